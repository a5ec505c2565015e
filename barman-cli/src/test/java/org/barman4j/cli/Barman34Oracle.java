package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs Debian's Barman 3.4 ({@code /usr/bin/barman}) and ours on the same configuration file. */
final class Barman34Oracle {
  static final Path BARMAN = Path.of("/usr/bin/barman");

  /** What one run printed, and its exit code. */
  record Run(int code, String out, String err) {}

  private final Path config;
  private final String timeZone;

  Barman34Oracle(Path config, String timeZone) {
    this.config = config;
    this.timeZone = timeZone;
  }

  static void assumeInstalled() {
    assumeThat(Files.isExecutable(BARMAN)).as("Barman 3.4 (Debian's barman package) is not installed").isTrue();
  }

  Run barman(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(BARMAN.toString(), "-c", config.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("TZ", timeZone);
    pb.environment().put("LANG", "C.UTF-8");
    Path err = Files.createTempFile("barman-err", ".txt");
    try {
      pb.redirectError(err.toFile());
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("barman timed out: " + command);
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
    } finally {
      Files.delete(err);
    }
  }

  Run ours(String... args) {
    CliRun.Result ours = CliRun.on(config).in(Map.of("TZ", timeZone)).run(args);
    return new Run(ours.code(), ours.out(), ours.err());
  }

  /** Asserts that both print the same bytes on both streams and exit with the same code. */
  void assertSame(String... args) throws Exception {
    Run theirs = barman(args);
    Run ours = ours(args);
    String what = String.join(" ", args);
    assertThat(ours.out()).as("stdout of " + what).isEqualTo(theirs.out());
    assertThat(ours.err()).as("stderr of " + what).isEqualTo(theirs.err());
    assertThat(ours.code()).as("exit code of " + what).isEqualTo(theirs.code());
  }
}
