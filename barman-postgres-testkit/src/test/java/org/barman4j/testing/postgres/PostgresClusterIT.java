package org.barman4j.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long SEGMENT_BYTES = 16L * 1024 * 1024;

  @TempDir Path tmp;
  private PgBinaries binaries;

  @BeforeEach
  void findBinaries() {
    binaries = PgBinaries.forTests(Assumptions::abort);
  }

  @Test
  void aClusterAnswersQueriesRunsPgbenchStopsAndRemovesItsTempDirOnClose() throws Exception {
    Path tempDir;
    try (PostgresCluster pg = PostgresCluster.builder().binaries(binaries).init()) {
      tempDir = pg.tempDir();
      try (Connection c = pg.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select version()")) {
        rs.next();
        assertThat(rs.getString(1)).contains("PostgreSQL 15");
      }
      pg.pgbench("-i", "-s", "1");
      assertThat(pg.queryValue("select count(*) from pgbench_accounts")).isEqualTo("100000");
      assertThat(pg.run("psql", "-Atc", "select current_user").stdout().strip())
          .isEqualTo("postgres");

      pg.stop();
      assertThat(pg.isRunning()).isFalse();
      pg.start();
      assertThat(pg.queryValue("select count(*) from pgbench_branches")).isEqualTo("1");
    }
    assertThat(tempDir).doesNotExist();
  }

  @Test
  void aClusterUnderADeepParentDirectoryKeepsItsUnixSocketInAShortPath() throws Exception {
    Path deep = Files.createDirectories(tmp.resolve("d".repeat(60)).resolve("e".repeat(60)));
    Path socketDir;
    try (PostgresCluster pg = PostgresCluster.builder().binaries(binaries).parentDir(deep).init()) {
      assertThat(pg.tempDir()).startsWith(deep);
      socketDir = Path.of(pg.queryValue("show unix_socket_directories"));
      assertThat(socketDir.toString()).startsWith("/tmp/pg4j-").hasSizeLessThan(60);
      assertThat(pg.run("psql", "-h", socketDir.toString(), "-Atc", "select 1").stdout())
          .isEqualTo("1\n");
    }
    assertThat(socketDir).doesNotExist();
    assertThat(deep).isEmptyDirectory();
  }

  @Test
  void aFailingToolReportsItsCommandExitCodeOutputAndTheServerLog() {
    try (PostgresCluster pg = PostgresCluster.builder().binaries(binaries).init()) {
      assertThatThrownBy(() -> pg.run("psql", "-v", "ON_ERROR_STOP=1", "-c", "select nonsense"))
          .isInstanceOf(PostgresClusterException.class)
          .hasMessageContaining("psql -v ON_ERROR_STOP=1 -c select nonsense")
          .hasMessageContaining("exited with 1")
          .hasMessageContaining("--- stderr ---")
          .hasMessageContaining("--- server log")
          .hasMessageContaining("column \"nonsense\" does not exist");
    }
  }

  @Test
  void anArchiveScriptCopiesEachCompletedSegmentIntoADirectoryOfTheTest() throws Exception {
    Path archive = Files.createDirectory(tmp.resolve("archive"));
    // A file only its owner may read, in a directory only its owner may enter: the archive
    // command must still read it although the server runs unprivileged.
    Path privateDir = Files.createDirectory(tmp.resolve("private"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path secret = Files.writeString(privateDir.resolve("secret"), "s3cr3t");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path log = archive.resolve("archive.log");

    try (PostgresCluster pg = PostgresCluster.builder()
        .binaries(binaries)
        .environment(java.util.Map.of("ARCHIVE_TAG", "from-the-builder"))
        .archiveScript("set -e\n"
            + "cp \"$1\" " + archive + "/\"$2\"\n"
            + "echo \"$2 $(cat " + secret + ") $ARCHIVE_TAG\" >> " + log + "\n")
        .init()) {
      pg.pgbench("-i", "-s", "1");
      String segment = pg.switchWal();
      pg.awaitArchived(segment, WAIT);

      assertThat(archive.resolve(segment)).hasSize(SEGMENT_BYTES);
      assertThat(Files.readString(log)).contains(segment + " s3cr3t from-the-builder");
    }
  }

  @Test
  void aJvmLaunchedByTheArchiveCommandReadsTheBuildsClasspath() throws Exception {
    Path archive = Files.createDirectory(tmp.resolve("archive"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String classpath = classpathOf(ArchiveCopyMain.class, org.postgresql.Driver.class);

    try (PostgresCluster pg = PostgresCluster.builder()
        .binaries(binaries)
        .archiveScript("exec " + java + " -Xshare:auto -XX:TieredStopAtLevel=1 -cp " + classpath
            + " " + ArchiveCopyMain.class.getName() + " \"$1\" " + archive + "/\"$2\"")
        .init()) {
      String segment = pg.switchWal();
      pg.awaitArchived(segment, WAIT);

      assertThat(archive.resolve(segment)).hasSize(SEGMENT_BYTES);
    }
  }

  @Test
  void aBaseBackupStartsAsASecondClusterThatReplaysTheArchiveToTheEnd() throws Exception {
    Path archive = Files.createDirectory(tmp.resolve("archive"));
    // An existing 0755 target keeps its mode through pg_basebackup; adopting it must fix that.
    Path backup = Files.createDirectory(tmp.resolve("backup"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    try (PostgresCluster primary = PostgresCluster.builder()
        .binaries(binaries)
        .archiveScript("cp \"$1\" " + archive + "/\"$2\"")
        .init()) {
      primary.pgbench("-i", "-s", "1");
      primary.baseBackup(backup, "-X", "none");
      primary.execute("create table marker(note text); insert into marker values ('after backup')");
      primary.awaitArchived(primary.switchWal(), WAIT);

      try (PostgresCluster restored = PostgresCluster.builder()
          .binaries(binaries)
          .restoreScript("exec cp " + archive + "/\"$2\" \"$1\"")
          .fromBaseBackup(backup)) {
        restored.awaitRecoveryEnd(WAIT);

        assertThat(restored.port()).isNotEqualTo(primary.port());
        assertThat(restored.queryValue("select count(*) from pgbench_accounts"))
            .isEqualTo("100000");
        assertThat(restored.queryValue("select note from marker")).isEqualTo("after backup");
        assertThat(Files.readString(restored.serverLog()))
            .contains("restored log file", "archive recovery complete");
      }
      assertThat(backup).doesNotExist();
    }
  }

  @Test
  void awaitArchivedFailsFastWithTheArchiverStatusWhenTheArchiveCommandKeepsFailing() {
    try (PostgresCluster pg = PostgresCluster.builder()
        .binaries(binaries)
        .archiveScript("echo 'archive refused' >&2\nexit 1")
        .init()) {
      long start = System.nanoTime();
      String segment = pg.switchWal();
      assertThatThrownBy(() -> pg.awaitArchived(segment, Duration.ofSeconds(60)))
          .isInstanceOf(PostgresClusterException.class)
          .hasMessageContaining("WAL segment " + segment + " not archived")
          .hasMessageContaining("failed_count=")
          .hasMessageContaining("last_failed_wal=" + segment)
          .hasMessageContaining("archive refused");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      // A fast shutdown would wait for the archiver; tests tear down failing clusters like this.
      pg.stopImmediate();
    }
  }

  @Test
  void theShutdownHookStopsTheServerAndRemovesTheTempDirWhenTheJvmExitsWithoutClose()
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(),
        "-D" + PgBinaries.BIN_PROPERTY + "=" + binaries.bin(),
        "-cp", classpathOf(ExitWithoutCloseMain.class, PostgresCluster.class,
            org.postgresql.Driver.class),
        ExitWithoutCloseMain.class.getName());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isEqualTo(3);

    Path tempDir = Path.of(value(output, "tempDir="));
    long pid = Long.parseLong(value(output, "pid="));
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as(output).isEmpty();
    assertThat(tempDir).doesNotExist();
  }

  private static String value(String output, String prefix) {
    return output.lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No " + prefix + " in:\n" + output));
  }

  private static String classpathOf(Class<?>... classes) {
    return Stream.of(classes)
        .map(PostgresClusterIT::location)
        .distinct()
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
