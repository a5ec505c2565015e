package org.barman4j.testing.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs PostgreSQL executables, as an unprivileged user when the JVM runs as root.
 *
 * <p>{@code postgres} refuses to run as root. {@code unshare --user} maps root to uid 65534 inside
 * a new user namespace: the server sees itself as the owner of root-owned files, no chown is
 * needed, and commands it launches (archive_command, restore_command) keep root's real access to
 * files outside, such as jars under a 0700 home directory.
 */
final class Commands {
  /** A uid that has a passwd entry on Debian; initdb fails for uids without one. */
  private static final String MAPPED_ID = "65534";

  private final PgBinaries binaries;
  private final List<String> wrapper;

  Commands(PgBinaries binaries) {
    this.binaries = binaries;
    this.wrapper = isRoot()
        ? List.of("unshare", "--user", "--map-user=" + MAPPED_ID, "--map-group=" + MAPPED_ID)
        : List.of();
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  PgBinaries binaries() {
    return binaries;
  }

  /** Runs {@code tool} from the binaries directory; never throws for a non-zero exit. */
  ProcessResult run(
      Path workDir, Map<String, String> env, Duration timeout, String tool, List<String> args) {
    List<String> command = new ArrayList<>(wrapper);
    command.add(binaries.tool(tool).toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    // Inherited PG* variables (PGPORT, PGDATA, PGSERVICE...) would silently redirect the tools.
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PostgresClusterException(
          "Cannot start `" + String.join(" ", command) + "`: " + e.getMessage(), e);
    }
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new PostgresClusterException(
            "`" + String.join(" ", command) + "` did not finish within " + timeout
                + " and was killed\n--- stdout ---\n" + tail(stdout.getNow(""), 40)
                + "\n--- stderr ---\n" + tail(stderr.getNow(""), 40));
      }
      return new ProcessResult(command, process.exitValue(), stdout.get(), stderr.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PostgresClusterException("Interrupted while running " + command, e);
    } catch (ExecutionException e) {
      throw new PostgresClusterException("Cannot read the output of " + command, e.getCause());
    }
  }

  /** The last {@code lines} lines of {@code text}. */
  static String tail(String text, int lines) {
    String[] all = text.split("\n", -1);
    int end = all.length;
    if (end > 0 && all[end - 1].isEmpty()) {
      end--;
    }
    int start = Math.max(0, end - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(start, end));
  }

  private static CompletableFuture<String> drain(InputStream in) {
    // Both pipes are read concurrently so a chatty tool never blocks on a full pipe buffer.
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        runnable -> {
          Thread thread = new Thread(runnable, "pg-output-reader");
          thread.setDaemon(true);
          thread.start();
        });
  }
}
