package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C locale, as PostgreSQL and cron often give it to {@code archive_command}, with non-ASCII paths: a real
 * PostgreSQL 15 cluster under {@code …/données}, a tablespace at {@code …/tbs_é} and a file {@code notes_é.txt}
 * in the data directory. The server, and so its {@code archive_command} and {@code restore_command} (which get
 * the relative {@code pg_wal/…} path, the data directory being their working directory), and every tool run
 * here have {@code LC_ALL=C LANG=C}: what makes the JVM read these names is the launchers' own locale coercion
 * (the test JVMs themselves run under C.UTF-8, see the parent pom). Also: the launchers' locale rule case by
 * case, and the error a JVM started under the C locale without them gives.
 */
class CLocaleIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Map<String, String> C_LOCALE = Map.of("LC_ALL", "C", "LANG", "C");
  private static final String NOTES = "notes_é.txt";
  private static final String ENCODING_HINT = "the JVM's file-name encoding is ANSI_X3.4-1968, not UTF-8";
  private static final String ENCODING_ADVICE = "start the JVM with a UTF-8 locale, such as LC_ALL=C.UTF-8";

  @TempDir Path tmp;

  /** The launchers' locale variables: all of {@code LC_*} and {@code LANG}. */
  private static boolean localeVariable(String name) {
    return name.startsWith("LC_") || name.equals("LANG");
  }

  /** Runs {@code command} in {@code dir} with {@code LC_ALL=C LANG=C} and no other locale variable. */
  private static ToolResult inCLocale(Path dir, List<String> command) throws IOException, InterruptedException {
    return ToolRun.command(command).in(dir).withoutAny(CLocaleIT::localeVariable).env(C_LOCALE)
        .timeout(Duration.ofMinutes(5)).run();
  }

  /**
   * A tool run by a plain {@code java} command, as an application embedding Barman4J runs its code: in the C
   * locale, nothing gives that JVM a UTF-8 one.
   */
  private static List<String> plainJava(String tool, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dbarman4j.home=" + ToolRun.home(), "-cp", ToolRun.home().resolve("lib") + "/*",
        "org.barman4j.cloud.CloudTools", tool));
    command.addAll(List.of(args));
    return command;
  }

  /** The connection options for the cluster: its Unix socket directory when it has one there, else TCP. */
  private static List<String> connection(PostgresCluster pg) {
    if (Files.exists(pg.tempDir().resolve(".s.PGSQL." + pg.port()))) {
      return List.of("-h", pg.tempDir().toString(), "-p", Integer.toString(pg.port()), "-U", "postgres");
    }
    return List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", "postgres");
  }

  /** The postmaster's environment, which its archive_command and restore_command inherit. */
  private static List<String> serverEnvironment(PostgresCluster pg) throws IOException {
    String pid = Files.readAllLines(pg.dataDir().resolve("postmaster.pid")).get(0).strip();
    return List.of(new String(Files.readAllBytes(Path.of("/proc", pid, "environ")), StandardCharsets.UTF_8).split("\0"));
  }

  @Test
  void aClusterAndTablespaceUnderNonAsciiPathsArchiveBackUpRestoreAndRecoverUnderTheCLocale() throws Exception {
    PgBinaries bin = PgBinaries.forTests(Assumptions::abort);
    Path site = Files.createDirectories(tmp.resolve("données"));
    Path tablespace = Files.createDirectories(site.resolve("tbs_é"));
    Path store = tmp.resolve("bucket");
    String url = "file://" + store;

    String rowsAtTarget;
    String oid;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(bin)
        .parentDir(site)
        .environment(C_LOCALE)
        .archiveCommand(ToolRun.launcher("barman-cloud-wal-archive") + " --gzip " + url + " main %p")
        .init()) {
      assertThat(primary.dataDir().toString()).contains("données");
      assertThat(serverEnvironment(primary)).as("what archive_command inherits").contains("LC_ALL=C", "LANG=C");
      primary.execute("CREATE TABLESPACE tbs LOCATION '" + tablespace + "'");
      oid = primary.queryValue("SELECT oid FROM pg_tablespace WHERE spcname = 'tbs'");
      assertThat(primary.queryValue("SELECT pg_tablespace_location(" + oid + ")")).isEqualTo(tablespace.toString());
      primary.execute("CREATE TABLE far (id int primary key, note text) TABLESPACE tbs;"
          + " INSERT INTO far SELECT g, 'before the backup' FROM generate_series(1, 5000) g");
      Files.writeString(primary.dataDir().resolve(NOTES), "café\n", StandardCharsets.UTF_8);

      List<String> backup = new ArrayList<>(List.of(ToolRun.launcher("barman-cloud-backup").toString(), "--gzip",
          "--immediate-checkpoint"));
      backup.addAll(connection(primary));
      backup.addAll(List.of(url, "main"));
      ToolResult b = inCLocale(site, backup);
      assertThat(b.exitCode()).as("barman-cloud-backup under LC_ALL=C: %s", b.stderr()).isZero();

      // Without the launcher, a JVM under the C locale cannot name the data directory, and says why.
      ToolResult plain = inCLocale(tmp, plainJava("barman-cloud-backup", "-h", "127.0.0.1",
          "-p", Integer.toString(primary.port()), "-U", "postgres", url, "main"));
      assertThat(plain.exitCode()).as(plain.stderr()).isEqualTo(3);
      assertThat(plain.stderr()).contains(ENCODING_HINT).contains(ENCODING_ADVICE);

      // After the backup: rows that only the archived WAL carries, a target, and rows past it.
      primary.execute("INSERT INTO far SELECT g, 'after the backup' FROM generate_series(5001, 5100) g");
      primary.execute("SELECT pg_create_restore_point('c_locale_target')");
      rowsAtTarget = primary.queryValue("SELECT count(*) || '/' || max(id) FROM far");
      primary.execute("INSERT INTO far SELECT g, 'past the target' FROM generate_series(5101, 5200) g");
      primary.awaitArchived(primary.switchWal(), TIMEOUT);
      assertThat(primary.queryValue("SELECT failed_count FROM pg_stat_archiver"))
          .as("archive_command (relative %%p, working directory under données) never failed").isEqualTo("0");
    }
    assertThat(rowsAtTarget).isEqualTo("5100/5100");

    Path backupId;
    try (Stream<Path> ids = Files.list(store.resolve("main/base"))) {
      backupId = ids.findFirst().orElseThrow().getFileName();
    }
    Path restoreSite = Files.createDirectories(tmp.resolve("restaurée"));
    Path dest = restoreSite.resolve("pgdata");
    Path relocated = restoreSite.resolve("tbs_é_déplacé");
    ToolResult r = inCLocale(restoreSite, List.of(ToolRun.launcher("barman-cloud-restore").toString(),
        "--tablespace", "tbs:" + relocated, "--target-name", "c_locale_target", "--target-action", "promote",
        url, "main", backupId.toString(), dest.toString()));
    assertThat(r.exitCode()).as("barman-cloud-restore under LC_ALL=C: %s", r.stderr()).isZero();
    ToolResult plain = inCLocale(tmp, plainJava("barman-cloud-restore", "--tablespace",
        "tbs:" + tmp.resolve("plain-tbs"),
        url, "main", backupId.toString(), tmp.resolve("plain").toString()));
    assertThat(plain.exitCode()).as(plain.stderr()).isEqualTo(3);
    assertThat(plain.stderr()).contains("notes_").contains(ENCODING_HINT).contains(ENCODING_ADVICE);
    assertThat(Files.readString(dest.resolve(NOTES), StandardCharsets.UTF_8)).isEqualTo("café\n");
    assertThat(Files.readSymbolicLink(dest.resolve("pg_tblspc").resolve(oid))).isEqualTo(relocated);
    try (Stream<Path> versions = Files.list(relocated)) {
      assertThat(versions.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("PG_15_");
    }
    assertThat(Files.readString(dest.resolve("postgresql.auto.conf")))
        .contains("restore_command = '" + ToolRun.launcher("barman-cloud-wal-restore") + " " + url + " main %f %p'");

    // The restored server recovers through barman-cloud-wal-restore, run in its data directory under restaurée.
    try (PostgresCluster copy = PostgresCluster.builder().binaries(bin)
        .parentDir(restoreSite)
        .environment(C_LOCALE)
        .fromBaseBackup(dest)) {
      copy.awaitRecoveryEnd(TIMEOUT);
      assertThat(copy.queryValue("SELECT count(*) || '/' || max(id) FROM far"))
          .as("the rows committed before the restore point, from the tablespace").isEqualTo(rowsAtTarget);
      assertThat(copy.queryValue("SELECT pg_tablespace_location(" + oid + ")")).isEqualTo(relocated.toString());
      assertThat(Files.readString(copy.serverLog()))
          .contains("restored log file")
          .contains("recovery stopping at restore point \"c_locale_target\"");
    }
  }

  @Test
  void theLauncherGivesTheJvmCUtf8ForACOrPosixLocaleAndLeavesOtherLocalesAlone() throws Exception {
    Path fakeJava = tmp.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\necho \"LC_ALL=${LC_ALL-unset} LC_CTYPE=${LC_CTYPE-unset} LANG=${LANG-unset}"
        + " LC_MESSAGES=${LC_MESSAGES-unset}\"\n");
    assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("LC_ALL=C LANG=C", "LC_ALL=C.UTF-8 LC_CTYPE=unset LANG=C LC_MESSAGES=unset");
    cases.put("LC_ALL=POSIX LC_CTYPE=en_US.UTF-8", "LC_ALL=C.UTF-8 LC_CTYPE=en_US.UTF-8 LANG=unset LC_MESSAGES=unset");
    cases.put("LANG=C", "LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=C LC_MESSAGES=unset");
    cases.put("", "LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=unset LC_MESSAGES=unset");
    cases.put("LC_ALL= LANG=POSIX LC_MESSAGES=de_DE.UTF-8", "LC_ALL= LC_CTYPE=C.UTF-8 LANG=POSIX LC_MESSAGES=de_DE.UTF-8");
    cases.put("LC_CTYPE=C LANG=en_US.UTF-8", "LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=en_US.UTF-8 LC_MESSAGES=unset");
    cases.put("LC_CTYPE=de_DE.ISO-8859-1 LANG=C", "LC_ALL=unset LC_CTYPE=de_DE.ISO-8859-1 LANG=C LC_MESSAGES=unset");
    cases.put("LC_ALL=C.UTF-8", "LC_ALL=C.UTF-8 LC_CTYPE=unset LANG=unset LC_MESSAGES=unset");
    cases.put("LANG=en_US.UTF-8 LC_MESSAGES=C", "LC_ALL=unset LC_CTYPE=unset LANG=en_US.UTF-8 LC_MESSAGES=C");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      ToolRun run = ToolRun.tool("barman-cloud-wal-archive", "--help").withoutAny(CLocaleIT::localeVariable);
      for (String assignment : c.getKey().split(" ")) {
        if (!assignment.isEmpty()) {
          run.env(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }
      }
      ToolResult result = run.env("BARMAN4J_JAVA", fakeJava.toString()).without(List.of("BARMAN4J_JAVA_OPTS"))
          .stderrIntoStdout().run();
      String seen = result.stdout().strip();
      assertThat(result.exitCode()).isZero();
      assertThat(seen).as("the JVM's locale for [%s]", c.getKey()).isEqualTo(c.getValue());
    }
  }

  @Test
  void aJvmWhoseFileNameEncodingIsNotUtf8SaysSoInsteadOfWalFileNotFound() throws Exception {
    Path cluster = Files.createDirectories(tmp.resolve("données"));
    Path segment = Files.createDirectories(cluster.resolve("pg_wal")).resolve("000000010000000000000001");
    Files.write(segment, new byte[16 << 20]);
    String url = "file://" + tmp.resolve("bucket");

    ToolResult embedded = inCLocale(cluster, plainJava("barman-cloud-wal-archive", url, "main",
        "pg_wal/" + segment.getFileName()));
    assertThat(embedded.exitCode()).isNotZero();
    assertThat(embedded.stderr())
        .contains("WAL file not found: pg_wal/000000010000000000000001")
        .contains(ENCODING_HINT + ", and cannot represent " + tmp + "/donn").contains(ENCODING_ADVICE);

    // The launcher, in the same place and locale, archives it.
    ToolResult launched = inCLocale(cluster, List.of(ToolRun.launcher("barman-cloud-wal-archive").toString(), url,
        "main", "pg_wal/" + segment.getFileName()));
    assertThat(launched.exitCode()).as(launched.stderr()).isZero();
    assertThat(tmp.resolve("bucket/main/wals/0000000100000000/000000010000000000000001")).isRegularFile();
  }
}
