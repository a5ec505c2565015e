package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code barman} command line: the distribution's launcher (Barman4J) or Debian's {@code /usr/bin/barman}
 * (Barman 3.4), on a given configuration file, and returns what it printed.
 *
 * @param executable the launcher
 * @param config the configuration file passed with {@code -c}
 */
record BarmanRun(Path executable, Path config) {
  /** Barman 3.4, the reference implementation, from Debian's {@code barman} package. */
  static final Path BARMAN_34 = Path.of("/usr/bin/barman");

  /** What one run printed, and its exit code. */
  record Result(int code, String out, String err) {
    Result ok() {
      assertThat(code).as("exit code; stdout:\n%s\nstderr:\n%s", out, err).isZero();
      return this;
    }
  }

  /** The distribution's {@code barman}, as the build passes its home in {@code barman4j.home}. */
  static BarmanRun ours(Path config) {
    String home = System.getProperty("barman4j.home");
    assertThat(home).as("system property barman4j.home (set by the build)").isNotNull();
    Path launcher = Path.of(home, "bin", "barman");
    assertThat(launcher).as("launcher built by mvn package").isExecutable();
    return new BarmanRun(launcher, config);
  }

  /** Barman 3.4 on the same configuration file. */
  static BarmanRun barman34(Path config) {
    assertThat(BARMAN_34).as("Debian's barman package (Barman 3.4), installed by .ci/run").isExecutable();
    return new BarmanRun(BARMAN_34, config);
  }

  Result run(String... args) throws IOException, InterruptedException {
    return start(args).await();
  }

  /** A started run, for a test that kills it. */
  record Started(Process process, Path out, Path err) {
    Result await() throws IOException, InterruptedException {
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("barman did not finish in 10 minutes");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  Started start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(executable.toString(), "-c", config.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("barman-out", ".txt");
    Path err = Files.createTempFile("barman-err", ".txt");
    out.toFile().deleteOnExit();
    err.toFile().deleteOnExit();
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("BARMAN"));
    return new Started(builder.start(), out, err);
  }
}
