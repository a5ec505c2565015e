package org.barman4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ServerCli} in this JVM on a configuration file (passed with {@code -c}) and captures what it
 * printed; {@link BarmanRun} runs a launcher in a process instead.
 *
 * @param config the configuration file
 * @param environment the environment the command sees
 * @param clock the command's clock
 */
record CliRun(Path config, Map<String, String> environment, Clock clock) {

  /** What one run printed, and its exit code. */
  record Result(int code, String out, String err) {}

  /**
   * Writes {@code DIR/barman.conf}: a {@code [barman]} section with {@code barman_home = DIR/home} and
   * {@code barman_user} the current user, then {@code servers}.
   *
   * @return the file
   */
  static Path writeConfig(Path dir, String servers) throws IOException {
    Path config = dir.resolve("barman.conf");
    Files.writeString(config, "[barman]\nbarman_home = " + dir.resolve("home") + "\nbarman_user = " + System.getProperty("user.name") + "\n\n" + servers);
    return config;
  }

  /** {@return a runner on {@code config} with an empty environment and the system clock} */
  static CliRun on(Path config) {
    return new CliRun(config, Map.of(), Clock.systemDefaultZone());
  }

  /** {@return this runner with another clock} */
  CliRun at(Clock other) {
    return new CliRun(config, environment, other);
  }

  /** {@return this runner with another environment} */
  CliRun in(Map<String, String> other) {
    return new CliRun(config, other, clock);
  }

  /** Runs {@code barman -c CONFIG ARGS…}. */
  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("-c", config.toString()));
    all.addAll(List.of(args));
    int code = new ServerCli(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), clock).run(all.toArray(String[]::new));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
