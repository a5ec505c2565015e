package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One run of a command, most often a launcher of the distribution the build puts under {@code barman4j.home}:
 * its arguments, environment, working directory and timeout, built step by step, then {@link #run()} for its
 * {@link ToolResult}, or {@link #start()} when the test runs several at once.
 *
 * <p>stdout and stderr go to files rather than pipes, so a chatty tool never blocks on a full pipe and the
 * tool sees the same non-terminal streams either way.
 */
final class ToolRun {
  /** The variables that point the AWS SDK at a profile, region, token or endpoint of the machine. */
  static final List<String> AWS_MACHINE_SETTINGS = List.of("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
      "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3");

  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /**
   * The environment that gives the AWS SDK exactly these keys and nothing of the machine's AWS configuration
   * (no config or credentials file, no instance metadata); used with {@code without(AWS_MACHINE_SETTINGS)}.
   */
  static Map<String, String> awsKeys(String accessKeyId, String secretAccessKey) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ACCESS_KEY_ID", accessKeyId);
    env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
    env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }


  private final List<String> command;
  private final List<Predicate<String>> removed = new ArrayList<>();
  private final Map<String, String> added = new LinkedHashMap<>();
  private Path directory;
  private Duration timeout = DEFAULT_TIMEOUT;
  private boolean stderrIntoStdout;
  private ProcessBuilder.Redirect input = ProcessBuilder.Redirect.PIPE;

  private ToolRun(List<String> command) {
    this.command = new ArrayList<>(command);
  }

  /** The distribution's home, {@code target/barman4j}, as the build passes it in {@code barman4j.home}. */
  static Path home() {
    String home = System.getProperty("barman4j.home");
    assertThat(home).as("system property barman4j.home (set by the build)").isNotNull();
    return Path.of(home);
  }

  /** The path of the distribution's launcher {@code tool}, asserted to be executable. */
  static Path launcher(String tool) {
    Path path = home().resolve("bin").resolve(tool);
    assertThat(path).as("launcher built by mvn package").isExecutable();
    return path;
  }

  /** A run of the distribution's launcher {@code tool} with {@code args}. */
  static ToolRun tool(String tool, String... args) {
    return tool(tool, List.of(args));
  }

  /** A run of the distribution's launcher {@code tool} with {@code args}. */
  static ToolRun tool(String tool, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(launcher(tool).toString());
    command.addAll(args);
    return new ToolRun(command);
  }

  /** A run of {@code commandLine} as given, its first element the program. */
  static ToolRun command(List<String> commandLine) {
    return new ToolRun(commandLine);
  }

  /** Adds {@code more} arguments at the end. */
  ToolRun args(String... more) {
    command.addAll(List.of(more));
    return this;
  }

  /** Sets {@code name} in the tool's environment. */
  ToolRun env(String name, String value) {
    added.put(name, value);
    return this;
  }

  /** Sets every entry of {@code variables} in the tool's environment. */
  ToolRun env(Map<String, String> variables) {
    added.putAll(variables);
    return this;
  }

  /** Removes these variables inherited from the test JVM (set ones are applied after the removal). */
  ToolRun without(List<String> names) {
    removed.add(names::contains);
    return this;
  }

  /** Removes the inherited variables whose name matches (set ones are applied after the removal). */
  ToolRun withoutAny(Predicate<String> names) {
    removed.add(names);
    return this;
  }

  /** Runs in {@code dir} instead of the test JVM's working directory. */
  ToolRun in(Path dir) {
    this.directory = dir;
    return this;
  }

  /** How long {@link #run()} waits before it kills the tool and fails; two minutes unless set. */
  ToolRun timeout(Duration limit) {
    this.timeout = limit;
    return this;
  }

  /** Writes stderr into stdout, interleaved as the tool wrote it; the result's stderr is then empty. */
  ToolRun stderrIntoStdout() {
    this.stderrIntoStdout = true;
    return this;
  }

  /** Gives the tool an empty stdin ({@code /dev/null}) instead of a pipe nobody writes to. */
  ToolRun noInput() {
    this.input = ProcessBuilder.Redirect.from(new File("/dev/null"));
    return this;
  }

  /** Runs the tool to its end. */
  ToolResult run() throws IOException, InterruptedException {
    return start().finish();
  }

  /** Starts the tool; {@link Running#finish()} waits for it. */
  Running start() throws IOException {
    Path out = Files.createTempFile("tool-out", ".txt");
    Path err = Files.createTempFile("tool-err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectInput(input);
    if (stderrIntoStdout) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(err.toFile());
    }
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    for (Predicate<String> names : removed) {
      builder.environment().keySet().removeIf(names);
    }
    builder.environment().putAll(added);
    return new Running(List.copyOf(command), builder.start(), timeout, out, err);
  }

  /** A started tool. */
  record Running(List<String> command, Process process, Duration timeout, Path out, Path err) {
    /** Waits for the tool (killing it and failing after the timeout) and returns what it did. */
    ToolResult finish() throws IOException, InterruptedException {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command) + "\n"
              + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new ToolResult(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    }
  }

  /** What a tool did: its command line, exit code, stdout and stderr. */
  record ToolResult(List<String> command, int exitCode, String stdout, String stderr) {
    /** The lines of stderr. */
    List<String> stderrLines() {
      return stderr.lines().toList();
    }

    /** Asserts that stderr is exactly one line and returns it. */
    String oneStderrLine() {
      List<String> lines = stderrLines();
      assertThat(lines).as("stderr of " + command + ": " + stderr).hasSize(1);
      return lines.get(0);
    }
  }
}
