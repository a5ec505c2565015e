package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupId;
import org.barman4j.compress.Compression;
import org.barman4j.config.BarmanConfig;
import org.barman4j.config.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's Barman 3.4 ({@code /usr/bin/barman -c FILE}) and Barman4J process the same queued WAL files and
 * the same catalogue, each in its own copy of one {@code barman_home}: the resulting trees, {@code xlog.db}
 * entries and console lines are the same.
 */
class Barman34ArchiverRetentionOracleTest {

  private static final Path BARMAN = Path.of("/usr/bin/barman");

  @TempDir Path work;

  @BeforeAll
  static void barmanIsInstalled() throws Exception {
    boolean runs = Files.isExecutable(BARMAN)
        && new ProcessBuilder(BARMAN.toString(), "--version").redirectErrorStream(true).start().waitFor() == 0;
    assumeThat(runs).as("Barman 3.4 (Debian package barman) is not installed").isTrue();
  }

  /** The same configuration in two homes: index 0 for Barman, 1 for Barman4J. */
  private Path[] configure(String serverOptions) throws IOException {
    Path[] files = new Path[2];
    for (int i = 0; i < 2; i++) {
      Path home = work.resolve(i == 0 ? "barman" : "ours");
      for (String dir : List.of("incoming", "streaming", "errors", "wals", "base")) {
        Files.createDirectories(home.resolve("pg").resolve(dir));
      }
      files[i] = work.resolve((i == 0 ? "barman" : "ours") + ".conf");
      Files.writeString(files[i], String.join("\n", "[barman]", "barman_home = " + home,
          "barman_user = " + System.getProperty("user.name"), "log_file = " + work.resolve("barman.log"), "",
          "[pg]", "description = oracle", "conninfo = host=localhost dbname=postgres",
          "streaming_conninfo = host=localhost", "backup_method = postgres", "archiver = on", serverOptions, ""));
    }
    return files;
  }

  private static ServerDirectories directories(Path conf) {
    BarmanConfig config = BarmanConfig.load(conf);
    return new ServerDirectories("pg", server(conf).backupDirectory(), config.lockDirectory());
  }

  private static ServerConfig server(Path conf) {
    return BarmanConfig.load(conf).server("pg").orElseThrow();
  }

  private static void queueBoth(Path[] confs, String dir, String name, byte[] content) throws Exception {
    for (Path conf : confs) {
      WalArchiverTest.queue(directories(conf).backupDirectory().resolve(dir), name, content);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "bzip2", "pygzip", "pybzip2", ""})
  void archiveWalLeavesWhatBarmanLeaves(String compression) throws Exception {
    Path[] confs = configure(compression.isEmpty() ? "" : "compression = " + compression);
    queueBoth(confs, "incoming", "000000010000000000000003", WalArchiverTest.segment("3", 1 << 20));
    queueBoth(confs, "incoming", "000000010000000000000001", WalArchiverTest.segment("1", 1 << 20));
    queueBoth(confs, "incoming", "000000010000000000000002", WalArchiverTest.compress(Compression.GZIP,
        WalArchiverTest.segment("2", 1 << 20)));
    queueBoth(confs, "incoming", "000000010000000000000003.00000028.backup",
        "START WAL LOCATION: 0/3000028 (file 000000010000000000000003)\n".getBytes(StandardCharsets.UTF_8));
    queueBoth(confs, "incoming", "000000010000000000000004.partial", WalArchiverTest.segment("4", 1 << 16));
    queueBoth(confs, "incoming", "00000002.history", "1\t0/5000000\tno recovery target specified\n".getBytes());
    queueBoth(confs, "incoming", "not-a-wal", "x".getBytes());
    queueBoth(confs, "incoming", "000000010000000000000005.tmp", "x".getBytes());

    compareArchiveWal(confs);

    // duplicates: the same content is dropped, a different one goes to errors/
    queueBoth(confs, "incoming", "000000010000000000000001", WalArchiverTest.segment("1", 1 << 20));
    byte[] changed = WalArchiverTest.segment("3", 1 << 20);
    changed[5] ^= 1;
    queueBoth(confs, "incoming", "000000010000000000000003", changed);
    // Barman's filecmp.cmp is shallow: with the same size and mtime it calls an uncompressed pair identical
    // without reading it. Barman4J always compares contents; another mtime makes Barman read them too.
    for (Path conf : confs) {
      Files.setLastModifiedTime(directories(conf).incoming().resolve("000000010000000000000003"),
          java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(1796296099)));
    }
    compareArchiveWal(confs);
  }

  @Test
  void batchSizeAsBarman() throws Exception {
    Path[] confs = configure("archiver_batch_size = 2\ncompression = gzip");
    for (int i = 1; i <= 3; i++) {
      queueBoth(confs, "incoming", "00000001000000000000000" + i, WalArchiverTest.segment("b" + i, 1 << 16));
    }
    compareArchiveWal(confs);
    compareArchiveWal(confs);
  }

  private void compareArchiveWal(Path[] confs) throws Exception {
    List<String> barmans = barman(confs[0], "archive-wal", "pg");
    ServerDirectories ours = directories(confs[1]);
    WalArchiveReport report = new WalArchiver(ours, WalArchiver.Settings.of(server(confs[1])),
        Clock.systemUTC()).archive();
    assertThat(report.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactlyElementsOf(barmans);

    ServerDirectories theirs = directories(confs[0]);
    assertThat(tree(ours.backupDirectory())).isEqualTo(tree(theirs.backupDirectory()));
    for (String file : tree(ours.wals()).keySet()) {
      if (file.equals("xlog.db")) {
        continue;
      }
      byte[] a = Files.readAllBytes(theirs.wals().resolve(file));
      byte[] b = Files.readAllBytes(ours.wals().resolve(file));
      assertThat(Compression.fromMagic(b)).as(file).isEqualTo(Compression.fromMagic(a));
      assertThat(WalArchiverTest.read(ours.wals().resolve(file))).as(file)
          .isEqualTo(WalArchiverTest.read(theirs.wals().resolve(file)));
    }
    List<XlogDbEntry> a = new XlogDb(theirs).read();
    List<XlogDbEntry> b = new XlogDb(ours).read();
    assertThat(b).extracting(XlogDbEntry::name, XlogDbEntry::time, XlogDbEntry::compression)
        .containsExactlyElementsOf(a.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.name(), e.time(),
            e.compression())).toList());
    for (XlogDbEntry e : b) {
      assertThat(e.size()).isEqualTo(Files.size(ours.walFile(org.barman4j.wal.WalFileName.parse(e.name()))));
    }
  }

  @Test
  void cronRetentionLeavesWhatBarmanLeaves() throws Exception {
    Path[] confs = configure("retention_policy = REDUNDANCY 2");
    for (Path conf : confs) {
      ServerDirectories d = directories(conf);
      backup(d, "20261201T100000", "DONE", 2, 1);
      backup(d, "20261202T100000", "DONE", 4, 1);
      backup(d, "20261202T110000", "FAILED", 5, 2);
      backup(d, "20261203T100000", "DONE", 6, 1);
      backup(d, "20261204T100000", "DONE", 8, 1);
      backup(d, "20261205T100000", "DONE", 10, 1);
      Files.createDirectories(d.backup(BackupId.parse("20261201T100000")).resolve("annotations"));
      Files.writeString(d.backup(BackupId.parse("20261201T100000")).resolve("annotations/keep"), "standalone");
      wals(d, 1, 12);
      wals(d, 2, 3);
    }
    List<String> barmans = barman(confs[0], "cron").stream()
        .filter(l -> !l.startsWith("Starting WAL archiving")).map(Barman34ArchiverRetentionOracleTest::timeless)
        .toList();
    ServerDirectories ours = directories(confs[1]);
    List<String> lines = new ServerRetention(ours, server(confs[1]), Clock.systemDefaultZone()).enforce().stream()
        .map(ServerMessage::consoleText).map(Barman34ArchiverRetentionOracleTest::timeless).toList();

    assertThat(lines).containsExactlyElementsOf(barmans);
    assertThat(barmans).contains("Enforcing retention policy: removing backup 20261202T100000 for server pg");
    ServerDirectories theirs = directories(confs[0]);
    assertThat(tree(ours.backupDirectory())).isEqualTo(tree(theirs.backupDirectory()));
    assertThat(Files.readString(ours.xlogDb())).isEqualTo(Files.readString(theirs.xlogDb()));
    // the standalone-kept backup keeps its WAL; other timelines and history files stay
    assertThat(new XlogDb(ours).read()).extracting(XlogDbEntry::name)
        .contains("000000010000000000000002", "000000020000000000000001", "00000002.history")
        .doesNotContain("000000010000000000000001", "000000010000000000000003", "000000010000000000000007");
  }

  @Test
  void deleteAsBarman() throws Exception {
    Path[] confs = configure("minimum_redundancy = 1");
    for (Path conf : confs) {
      ServerDirectories d = directories(conf);
      backup(d, "20261201T100000", "DONE", 2, 1);
      backup(d, "20261202T100000", "DONE", 4, 1);
      backup(d, "20261203T100000", "FAILED", 5, 1);
      backup(d, "20261204T100000", "DONE", 6, 1);
      wals(d, 1, 8);
    }
    // the middle one: an older backup remains, so its WAL stays; then the oldest: WAL up to the next one's go
    List<String> seen = new ArrayList<>();
    for (String id : List.of("20261202T100000", "20261201T100000", "20261203T100000", "20261204T100000")) {
      Result barmans = run(confs[0], "delete", "pg", id);
      List<ServerMessage> ours = new ServerRetention(directories(confs[1]), server(confs[1]),
          Clock.systemDefaultZone()).delete(BackupId.parse(id));
      List<String> stdout = ours.stream().filter(l -> l.level() == ServerMessage.Level.INFO)
          .map(ServerMessage::consoleText).map(Barman34ArchiverRetentionOracleTest::timeless).toList();
      assertThat(stdout).as(id).containsExactlyElementsOf(barmans.stdout.stream()
          .map(Barman34ArchiverRetentionOracleTest::timeless).toList());
      List<String> warnings = ours.stream().filter(l -> l.level() == ServerMessage.Level.WARNING)
          .map(ServerMessage::consoleText).toList();
      assertThat(barmans.stderr.stream().filter(l -> l.startsWith("WARNING")).toList()).as(id)
          .containsExactlyElementsOf(warnings);
      boolean failed = ours.stream().anyMatch(l -> l.level() == ServerMessage.Level.ERROR);
      assertThat(failed).as(id).isEqualTo(barmans.exitCode != 0);
      assertThat(tree(directories(confs[1]).backupDirectory()))
          .isEqualTo(tree(directories(confs[0]).backupDirectory()));
      assertThat(Files.readString(directories(confs[1]).xlogDb()))
          .isEqualTo(Files.readString(directories(confs[0]).xlogDb()));
      seen.addAll(barmans.stdout);
      seen.addAll(barmans.stderr);
    }
    assertThat(seen).contains("\t000000010000000000000005", "WARNING: Skipping delete of backup 20261204T100000 "
        + "for server pg due to minimum redundancy requirements (minimum redundancy = 1, current redundancy = 1)");
  }

  private static String timeless(String line) {
    return line.replaceAll("\\(start time: .*\\)$", "(start time: …)");
  }

  static void backup(ServerDirectories d, String id, String status, int wal, int timeline) throws IOException {
    String walName = String.format("%08X%016X", timeline, wal);
    String day = id.substring(0, 4) + "-" + id.substring(4, 6) + "-" + id.substring(6, 8);
    String time = id.substring(9, 11) + ":" + id.substring(11, 13) + ":" + id.substring(13, 15);
    Path dir = d.backup(BackupId.parse(id));
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/PG_VERSION"), "15\n");
    Files.writeString(dir.resolve("backup.info"), String.join("\n", "backup_id=" + id, "status=" + status,
        "server_name=pg", "mode=postgres", "begin_wal=" + walName, "end_wal=" + walName, "timeline=" + timeline,
        "begin_time=" + day + " " + time + ".000000+00:00", "end_time=" + day + " " + time + ".500000+00:00",
        "begin_xlog=0/" + Integer.toHexString(wal) + "000028", "end_xlog=0/" + Integer.toHexString(wal) + "000100",
        "begin_offset=40", "end_offset=256", "size=1000", "version=150004", "systemid=7318812823811184251",
        "xlog_segment_size=16777216", "tablespaces=None", ""));
  }

  static void wals(ServerDirectories d, int timeline, int count) throws Exception {
    List<XlogDbEntry> entries = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = String.format("%08X%016X", timeline, i);
      Path file = d.wals().resolve(name.substring(0, 16)).resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, name);
      entries.add(new XlogDbEntry(name, name.length(), 1796296067.0 + i, ""));
      if (i == 3) {
        String label = name + ".00000028.backup";
        Files.writeString(file.resolveSibling(label), label);
        entries.add(new XlogDbEntry(label, label.length(), 1796296067.5 + i, ""));
      }
    }
    if (timeline > 1) {
      String history = String.format("%08X.history", timeline);
      Files.writeString(d.wals().resolve(history), "1\t0/5000000\tno recovery target specified\n");
      entries.add(new XlogDbEntry(history, 40, 1796296099.0, ""));
    }
    new XlogDb(d).append(entries);
  }

  /** Relative path → size of every regular file, lock files and errors/ time stamps aside. */
  private static Map<String, Long> tree(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(p).toString().replaceAll("\\.\\d{8}T\\d{6}Z\\.", ".STAMP.");
        boolean walFile = rel.startsWith("wals/"); // compressed sizes differ between implementations
        files.put(rel, walFile ? -1L : Files.size(p));
      }
    }
    return files;
  }

  private record Result(int exitCode, List<String> stdout, List<String> stderr) {}

  private List<String> barman(Path conf, String... args) throws Exception {
    Result r = run(conf, args);
    assertThat(r.exitCode).as(String.join("\n", r.stderr)).isZero();
    return r.stdout;
  }

  private Result run(Path conf, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(BARMAN.toString(), "-c", conf.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("barman " + String.join(" ", args) + " timed out");
    }
    return new Result(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }
}
