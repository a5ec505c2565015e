package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line of {@code barman-cloud-backup} and {@code barman-cloud-restore} (the distribution's
 * launchers, against a real PostgreSQL 15): drawn when stderr is a terminal (a pseudo-terminal from util-linux
 * {@code script}), absent from a stderr that is a file, as {@code archive_command} and cron give it.
 */
class ProgressOnTerminalIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  /** A drawn state: carriage return, job, phase, then a size and a percentage. */
  private static final Pattern UPDATE = Pattern.compile("\r(backup|restore): (copying|stopping|finishing|done) "
      + "[0-9.]+ [KMG]?i?B( of [0-9.]+ [KMG]?i?B)? \\(\\d{1,3}%\\), \\d+ files?, \\d+ parts?");

  @TempDir Path tmp;

  /** {@code command} run under {@code script}, which gives it a pseudo-terminal as stdin, stdout and stderr. */
  private static ToolResult onTerminal(List<String> command) throws IOException, InterruptedException {
    StringBuilder line = new StringBuilder();
    for (String arg : command) {
      line.append(line.length() == 0 ? "" : " ").append('\'').append(arg.replace("'", "'\\''")).append('\'');
    }
    return ToolRun.command(List.of("script", "-qfec", line.toString(), "/dev/null")).noInput().timeout(TIMEOUT).run();
  }

  private static ToolResult plain(List<String> command) throws IOException, InterruptedException {
    return ToolRun.command(command).noInput().timeout(TIMEOUT).run();
  }

  /** The connection options for the cluster: its Unix socket directory when it has one there, else TCP. */
  private static List<String> connection(PostgresCluster pg) {
    if (Files.exists(pg.tempDir().resolve(".s.PGSQL." + pg.port()))) {
      return List.of("-h", pg.tempDir().toString(), "-p", Integer.toString(pg.port()), "-U", "postgres");
    }
    return List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", "postgres");
  }

  private static void assertProgressLine(ToolResult onTerminal, String job) {
    String captured = onTerminal.stdout();
    assertThat(onTerminal.exitCode()).as(captured).isZero();
    assertThat(UPDATE.matcher(captured).results().count()).as("progress updates in: %s", captured)
        .isGreaterThanOrEqualTo(2);
    assertThat(captured).as("ends with the finished line").contains("\r" + job + ": done ").contains("(100%)")
        .endsWith("\n");
  }

  @Test
  void backupAndRestoreDrawAProgressLineOnATerminalAndNothingOnAFile() throws Exception {
    PgBinaries bin = PgBinaries.forTests(Assumptions::abort);
    String url = "file://" + tmp.resolve("archive");
    String walArchive = ToolRun.launcher("barman-cloud-wal-archive").toString();
    String backup = ToolRun.launcher("barman-cloud-backup").toString();
    String restore = ToolRun.launcher("barman-cloud-restore").toString();
    StringBuilder capture = new StringBuilder();
    try (PostgresCluster pg = PostgresCluster.builder().binaries(bin)
        .archiveCommand(walArchive + " " + url + " main %p").init()) {
      pg.pgbench("-i", "-s", "5");
      List<String> command = new ArrayList<>(List.of(backup, "--gzip", "-J", "1", "--immediate-checkpoint"));
      command.addAll(connection(pg));
      command.addAll(List.of(url, "main"));

      ToolResult terminal = onTerminal(command);
      assertProgressLine(terminal, "backup");
      capture.append("$ script -qfec \"barman-cloud-backup --gzip -J 1 ... ").append(url).append(" main\" /dev/null\n")
          .append(terminal.stdout());

      ToolResult file = plain(command);
      assertThat(file.exitCode()).as(file.stderr()).isZero();
      assertThat(file.stderr()).as("no progress on a non-terminal stderr").isEmpty();
      assertThat(file.stdout()).isEmpty();
    }

    Path onTty = tmp.resolve("restored-on-terminal");
    ToolResult terminal = onTerminal(List.of(restore, url, "main", "latest", onTty.toString()));
    assertProgressLine(terminal, "restore");
    assertThat(onTty.resolve("PG_VERSION")).hasContent("15\n");
    capture.append("$ script -qfec \"barman-cloud-restore ").append(url).append(" main latest ").append(onTty)
        .append("\" /dev/null\n").append(terminal.stdout());

    Path onFile = tmp.resolve("restored-on-file");
    ToolResult file = plain(List.of(restore, url, "main", "latest", onFile.toString()));
    assertThat(file.exitCode()).as(file.stderr()).isZero();
    assertThat(file.stderr()).as("no progress on a non-terminal stderr").isEmpty();
    assertThat(file.stdout()).isEmpty();
    assertThat(onFile.resolve("PG_VERSION")).hasContent("15\n");

    // The raw capture, control characters made visible, for the record.
    Path record = ToolRun.home().getParent().resolve("progress-on-terminal.txt");
    Files.writeString(record, capture.toString().replace("\r", "\\r").replace("\n", "\\n\n"), StandardCharsets.UTF_8);
  }
}
