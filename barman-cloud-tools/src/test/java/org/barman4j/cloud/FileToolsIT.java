package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  private record Result(int exitCode, String stderr) {}

  private static Result run(String tool, String... args) throws IOException, InterruptedException {
    String home = System.getProperty("barman4j.home");
    assertThat(home).as("system property barman4j.home (set by the build)").isNotNull();
    List<String> command = new ArrayList<>(List.of(Path.of(home, "bin", tool).toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("finished: " + command).isTrue();
    return new Result(p.exitValue(), stderr);
  }

  @Test
  void walRestoreFromAMissingRootIsOneLineNamingTheUrlAndExit2() throws Exception {
    Path root = tmp.resolve("no-such-archive");
    String url = "file://" + root;
    Path dest = tmp.resolve("RECOVERYXLOG");
    for (String mode : List.of("--no-partial", "-t")) {
      Result result = run("barman-cloud-wal-restore", mode, url, "main", WAL, dest.toString());
      assertThat(result.exitCode()).as(mode + ": " + result.stderr()).isEqualTo(2);
      assertThat(result.stderr().lines().toList()).as(mode).hasSize(1);
      assertThat(result.stderr()).startsWith("ERROR: ").contains(url).contains("does not exist");
    }
    assertThat(dest).doesNotExist();
    assertThat(root).doesNotExist();

    Files.createDirectories(root);
    Result missing = run("barman-cloud-wal-restore", url, "main", WAL, dest.toString());
    assertThat(missing.exitCode()).as("a segment absent from an existing archive").isEqualTo(1);
    assertThat(missing.stderr()).isEmpty();
    Result test = run("barman-cloud-wal-restore", "-t", url, "main", WAL, dest.toString());
    assertThat(test.exitCode()).as(test.stderr()).isZero();
  }
}
