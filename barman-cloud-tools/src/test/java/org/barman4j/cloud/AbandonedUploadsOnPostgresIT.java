package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code barman-cloud-backup} into {@code file://}, killed with SIGKILL in the middle of an upload, leaves
 * partial temporary files in {@code .incoming/}; the next tool that writes to the store removes them.
 */
class AbandonedUploadsOnPostgresIT {
  @TempDir Path tmp;

  private static List<Path> temporaries(Path archive) throws Exception {
    Path incoming = archive.resolve(".incoming");
    if (!Files.isDirectory(incoming)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(incoming)) {
      return files.toList();
    }
  }

  @Test
  void aBackupKilledMidUploadLeavesNothingOnceTheNextToolHasWritten() throws Exception {
    PgBinaries bin = PgBinaries.forTests(Assumptions::abort);
    Path archive = tmp.resolve("archive");
    String url = "file://" + archive;
    try (PostgresCluster pg = PostgresCluster.builder().binaries(bin).init()) {
      pg.pgbench("-i", "-s", "3");
      List<String> command = new ArrayList<>(List.of(ToolRun.launcher("barman-cloud-backup").toString(), "-J", "2",
          "--immediate-checkpoint", "--max-bandwidth", "2MB"));
      if (Files.exists(pg.tempDir().resolve(".s.PGSQL." + pg.port()))) {
        command.addAll(List.of("-h", pg.tempDir().toString()));
      } else {
        command.addAll(List.of("-h", "127.0.0.1"));
      }
      command.addAll(List.of("-p", Integer.toString(pg.port()), "-U", "postgres", url, "main"));
      ToolRun.Running backup = ToolRun.command(command).timeout(Duration.ofSeconds(30)).start();
      ToolResult killed;
      try {
        // Wait until an upload has written a few MiB to its temporary file, then kill -9 (the launcher
        // execs the JVM, so this is the JVM).
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (temporaries(archive).stream().mapToLong(AbandonedUploadsOnPostgresIT::size).sum() < (4 << 20)) {
          assertThat(backup.process().isAlive()).as("backup still running: " + Files.readString(backup.err()))
              .isTrue();
          assertThat(System.nanoTime()).as("an upload under way within two minutes").isLessThan(deadline);
          Thread.sleep(50);
        }
      } finally {
        backup.process().destroyForcibly();
        killed = backup.finish();
      }
      assertThat(killed.exitCode()).as("killed by SIGKILL").isEqualTo(128 + 9);
      List<Path> left = temporaries(archive);
      assertThat(left).as("what the killed backup left").isNotEmpty();
      assertThat(left.stream().mapToLong(AbandonedUploadsOnPostgresIT::size).sum()).isGreaterThanOrEqualTo(4 << 20);

      // The next call on the store: a WAL archive (a history file, which needs no running archiver).
      Path history = Files.writeString(tmp.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified\n");
      ToolResult archiver = ToolRun.tool("barman-cloud-wal-archive", url, "main", history.toString())
          .stderrIntoStdout().run();
      assertThat(archiver.exitCode()).as(archiver.stdout()).isZero();
      assertThat(temporaries(archive)).as("no temporary file left behind").isEmpty();
      assertThat(archive.resolve("main/wals/00000002.history")).exists();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (Exception e) {
      return 0; // published or removed meanwhile
    }
  }
}
