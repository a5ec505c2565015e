package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.compress.Compression;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Barman 3.4's own Python code (Debian's python3-barman, through {@code /usr/bin/python3}) reads the
 * catalogue files written here, writes files read here, and rebuilds {@code xlog.db} from the same
 * {@code wals/} tree to the same text.
 */
class Barman34CatalogueInteropTest {

  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path home;

  @BeforeAll
  static void barmanIsImportable() throws Exception {
    boolean importable = Files.isExecutable(Path.of(PYTHON))
        && new ProcessBuilder(PYTHON, "-c", "import barman.xlog, barman.backup").start().waitFor() == 0;
    assumeThat(importable).as("/usr/bin/python3 cannot import Barman (Debian package python3-barman)").isTrue();
  }

  @Test
  void barmanReadsOurXlogDb() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    new XlogDb(d).append(List.of(
        new XlogDbEntry("000000010000000000000002", 16463, 1796296067.413091, "gzip"),
        new XlogDbEntry("000000010000000000000002.00000028.backup", 198, 1796296067.4245381, "bzip2"),
        new XlogDbEntry("00000002.history", 42, 1796296068.0, "")));
    assertThat(oracle("read", d.xlogDb().toString())).containsExactly(
        "000000010000000000000002|16463|1796296067.413091|gzip",
        "000000010000000000000002.00000028.backup|198|1796296067.4245381|bzip2",
        "00000002.history|42|1796296068.0|None");
  }

  @Test
  void weReadAnXlogDbBarmanWrote() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Files.createDirectories(d.wals());
    oracle("write", d.xlogDb().toString(),
        "000000010000000000000003", "16777216", "1796296069.1234567", "None",
        "000000010000000000000004", "4321", "1796296070.5", "gzip");
    assertThat(new XlogDb(d).read()).containsExactly(
        new XlogDbEntry("000000010000000000000003", 16777216, 1796296069.1234567, ""),
        new XlogDbEntry("000000010000000000000004", 4321, 1796296070.5, "gzip"));
  }

  @Test
  void barmanRebuildsTheSameXlogDbFromTheSameTree() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    byte[] wal = "a WAL segment".getBytes(StandardCharsets.UTF_8);
    XlogDbTest.store(d, "000000010000000000000001", XlogDbTest.compress(Compression.GZIP, wal));
    XlogDbTest.store(d, "000000010000000000000002", XlogDbTest.compress(Compression.BZIP2, wal));
    XlogDbTest.store(d, "000000010000000000000002.00000028.backup", XlogDbTest.compress(Compression.GZIP, wal));
    XlogDbTest.store(d, "000000010000000100000000", wal);
    XlogDbTest.store(d, "00000002.history", wal);
    XlogDbTest.store(d, "000000020000000100000001.partial", wal);
    // Nanoseconds in the mtime: the time field must be Python's st_mtime to the last digit.
    Files.setLastModifiedTime(d.walFile(WalFileName.parse("000000010000000100000000")),
        FileTime.from(Instant.ofEpochSecond(1796296071, 123_456_789)));

    oracle("rebuild", d.backupDirectory().toString(), d.lockDirectory().toString(), "pg");
    String barmans = Files.readString(d.xlogDb());
    List<XlogDbEntry> ours = new XlogDb(d).rebuild();

    assertThat(Files.readString(d.xlogDb())).isEqualTo(barmans);
    assertThat(ours).hasSize(5);
  }

  @Test
  void namesAndPlacesAsBarmanDoes() throws Exception {
    ServerDirectories d = new ServerDirectories("pg", home.resolve("pg"), home.resolve("locks"));
    BackupId id = BackupId.parse("20261203T110817");
    List<String> lines = oracle("paths", d.lockDirectory().toString(), "pg", id.value(),
        "000000010000000A000000FE", "000000010000000000000002.00000028.backup");
    assertThat(lines).containsExactly(d.xlogDbLock().toString(), d.archiveWalLock().toString(),
        d.backupLock().toString(), d.cronLock().toString(), d.receiveWalLock().toString(),
        d.syncWalLock().toString(), d.backupIdLock(id).toString(), d.syncBackupLock(id).toString(),
        d.globalCronLock().toString(), "000000010000000A", "0000000100000000");
  }

  @Test
  void identityJsonIsTheSameBothWays() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Files.createDirectories(d.backupDirectory());
    oracle("write-identity", d.backupDirectory().toString(), "7318812823811184251", "15");
    String barmans = Files.readString(d.identityJson());
    assertThat(ServerIdentity.read(d)).isEqualTo(new ServerIdentity("7318812823811184251", "15"));

    Files.delete(d.identityJson());
    new ServerIdentity("7318812823811184251", "15").write(d);
    assertThat(Files.readString(d.identityJson())).isEqualTo(barmans);
    assertThat(oracle("read-identity", d.backupDirectory().toString())).containsExactly("7318812823811184251|15");
  }

  @Test
  void backupInfoOfBarmansPostgresMethodIsListedAndOursIsReadByBarman() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    BackupId id = BackupId.parse("20261203T110817");
    oracle("write-backup-info", d.base().toString(), id.value());

    List<BackupInfo> listed = new ServerBackups(d).list();
    assertThat(listed).hasSize(1);
    BackupInfo info = listed.get(0);
    assertThat(info.status()).isEqualTo(BackupStatus.DONE);
    assertThat(info.mode()).contains("postgres");
    assertThat(info.backupName()).contains("nightly");
    assertThat(info.copyStats()).isPresent();
    assertThat(info.backupLabel().orElseThrow()).startsWith("START WAL LOCATION: 0/2000028");

    Files.delete(d.backupInfo(id));
    new ServerBackups(d).write(info);
    assertThat(oracle("read-backup-info", d.backupInfo(id).toString())).containsExactly(
        "backup_id=20261203T110817", "status=DONE", "server_name=pg", "mode=postgres",
        "begin_wal=000000010000000000000002", "end_wal=000000010000000000000002", "timeline=1",
        "systemid=7318812823811184251", "version=150004", "size=23456789",
        "begin_time=2026-12-03 11:08:17.123456+01:00", "end_time=2026-12-03 11:08:20.654321+01:00");
  }

  private static List<String> oracle(String... args) throws IOException, InterruptedException {
    Path script = Files.createTempFile("barman34_oracle", ".py");
    try {
      try (InputStream in = Barman34CatalogueInteropTest.class.getResourceAsStream("barman34_oracle.py")) {
        Files.write(script, in.readAllBytes());
      }
      List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("Barman oracle timed out");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(text).isZero();
      return text.lines().filter(l -> !l.startsWith("Rebuilding") && !l.startsWith("Done rebuilding")).toList();
    } finally {
      Files.delete(script);
    }
  }
}
