package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launchers on {@code file://} URLs: a {@code restore_command} whose archive root does not
 * exist is one line naming the URL and exit 2 (and so is its {@code -t}); a segment absent from an existing
 * archive stays Barman's silent exit 1; run as Barman's pre-archive hook, {@code barman-cloud-wal-archive}
 * takes its WAL file from the hook's environment.
 */
class FileToolsIT {
  private static final String WAL = "000000010000000000000005";

  @TempDir Path tmp;

  private static ToolResult run(String tool, String... args) throws IOException, InterruptedException {
    return ToolRun.tool(tool, args).run();
  }

  @Test
  void walRestoreFromAMissingRootIsOneLineNamingTheUrlAndExit2() throws Exception {
    Path root = tmp.resolve("no-such-archive");
    String url = "file://" + root;
    Path dest = tmp.resolve("RECOVERYXLOG");
    for (String mode : List.of("--no-partial", "-t")) {
      ToolResult result = run("barman-cloud-wal-restore", mode, url, "main", WAL, dest.toString());
      assertThat(result.exitCode()).as(mode + ": " + result.stderr()).isEqualTo(2);
      assertThat(result.oneStderrLine()).as(mode).startsWith("ERROR: ").contains(url).contains("does not exist");
    }
    assertThat(dest).doesNotExist();
    assertThat(root).doesNotExist();

    Files.createDirectories(root);
    ToolResult missing = run("barman-cloud-wal-restore", url, "main", WAL, dest.toString());
    assertThat(missing.exitCode()).as("a segment absent from an existing archive").isEqualTo(1);
    assertThat(missing.stderr()).isEmpty();
    ToolResult test = run("barman-cloud-wal-restore", "-t", url, "main", WAL, dest.toString());
    assertThat(test.exitCode()).as(test.stderr()).isZero();
  }

  @Test
  void walArchiveAsBarmansPreArchiveHookArchivesTheFileItsEnvironmentNames() throws Exception {
    Path incoming = Files.createDirectories(tmp.resolve("barman/main/incoming"));
    byte[] bytes = new byte[64 * 1024];
    new java.util.Random(5).nextBytes(bytes);
    Path wal = Files.write(incoming.resolve(WAL), bytes);
    Path root = tmp.resolve("archive");
    String url = "file://" + root;
    for (String hook : List.of("archive_script", "archive_retry_script")) {
      ToolResult result = ToolRun.tool("barman-cloud-wal-archive", url, "main")
          .env("BARMAN_HOOK", hook).env("BARMAN_PHASE", "pre").env("BARMAN_FILE", wal.toString())
          .env("BARMAN_SEGMENT", WAL).env("BARMAN_SERVER", "main").run();
      assertThat(result.exitCode()).as(hook + ": " + result.stderr()).isZero();
      assertThat(root.resolve("main/wals/0000000100000000/" + WAL)).hasBinaryContent(bytes);
    }

    // After archiving, or as any other hook, there is nothing to archive: WAL_PATH is required, as without a hook.
    for (List<String> hookAndPhase : List.of(List.of("archive_script", "post"), List.of("backup_script", "pre"))) {
      ToolResult result = ToolRun.tool("barman-cloud-wal-archive", url, "main")
          .env("BARMAN_HOOK", hookAndPhase.get(0)).env("BARMAN_PHASE", hookAndPhase.get(1))
          .env("BARMAN_FILE", wal.toString()).run();
      assertThat(result.exitCode()).as(hookAndPhase + ": " + result.stderr()).isEqualTo(3);
      assertThat(result.oneStderrLine())
          .isEqualTo("barman-cloud-wal-archive: error: the following arguments are required: WAL_PATH");
    }
  }
}
