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
 * archive stays Barman's silent exit 1.
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
}
