package org.barman4j.server.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The host a recovery writes to: this one, or the one reached with the user's {@code --remote-ssh-command}
 * (for example {@code ssh postgres@db1}). Shell snippets run there through {@code /bin/sh}, locally, or as
 * the remote command of the ssh command; files are pushed with {@code rsync}, over {@code rsync -e SSH} for
 * a remote host, as Barman does.
 *
 * <p>rsync runs with {@code -rlpt}: links are copied as links, never followed, on either side (Barman's
 * {@code -L} and {@code -K} would follow them), and files are replaced by renaming, so a link in the
 * destination is replaced rather than written through.
 */
public final class RecoveryHost {
  private final Optional<String> sshCommand;

  /**
   * A host.
   *
   * @param sshCommand the command reaching the remote host, empty for this host
   */
  public RecoveryHost(Optional<String> sshCommand) {
    this.sshCommand = Objects.requireNonNull(sshCommand, "sshCommand is null");
  }

  /** {@return whether the host is remote} */
  public boolean remote() {
    return sshCommand.isPresent();
  }

  /**
   * Runs {@code script} with {@code /bin/sh} on the host.
   *
   * @param script the shell snippet
   * @return what it printed on stdout
   * @throws IOException if it fails, with its stderr
   */
  public String shell(String script) throws IOException {
    List<String> command = sshCommand.isPresent()
        ? List.of("/bin/sh", "-c", sshCommand.get() + " " + quote(script))
        : List.of("/bin/sh", "-c", script);
    return run(command, sshCommand.isPresent() ? "remote command" : "command");
  }

  /**
   * Pushes the directory {@code source} (its contents) into {@code target} on the host.
   *
   * @param source a local directory
   * @param target the directory on the host
   * @param options rsync options (deletion, exclusions, filters)
   * @throws IOException if rsync fails, with its stderr
   */
  public void push(String source, String target, List<String> options) throws IOException {
    List<String> command = new ArrayList<>(List.of("rsync", "-rlpt"));
    sshCommand.ifPresent(ssh -> command.addAll(List.of("-e", ssh)));
    command.addAll(options);
    command.add(source.endsWith("/") ? source : source + "/");
    String dest = target.endsWith("/") ? target : target + "/";
    command.add(sshCommand.isPresent() ? ":" + dest : dest);
    run(command, "rsync");
  }

  /**
   * {@return {@code text} quoted for {@code /bin/sh}}
   *
   * @param text any text
   */
  public static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static String run(List<String> command, String what) throws IOException {
    Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    byte[] out = readAll(process.getInputStream());
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(what + " interrupted", e);
    }
    if (code != 0) {
      String stderr = new String(err.join(), StandardCharsets.UTF_8).strip().replace('\n', ' ');
      throw new IOException(what + " failed with exit code " + code + (stderr.isEmpty() ? "" : ": " + stderr));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static byte[] readAll(InputStream in) {
    try (in; ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
      in.transferTo(buffer);
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
