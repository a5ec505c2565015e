package org.barman4j.storage.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Azurite's blob service (the Azure Storage emulator, from the npm project in {@code test-services/azurite},
 * installed there by {@code npm ci}) running on a free loopback port for a test, with in-memory storage.
 * Stopped by its process id in {@link #close()} (and by a shutdown hook if a test forgets).
 *
 * <p>If Azurite is not installed, {@link #start()} fails when the environment variable {@code CI} is set
 * and otherwise aborts the calling test with the reason, so that the skip is reported.
 */
public final class Azurite implements AutoCloseable {
  /** Azurite's well-known development account. */
  public static final String ACCOUNT = "devstoreaccount1";
  /** Its well-known key, published in Azurite's documentation: not a secret. */
  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final Path log;
  private final Thread hook;

  private Azurite(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.hook = new Thread(process::destroyForcibly, "azurite-stop-" + process.pid());
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The npm project directory: system property {@code azurite.home}, else {@code test-services/azurite} above the working directory. */
  public static Optional<Path> home() {
    String configured = System.getProperty("azurite.home");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured).toAbsolutePath().normalize());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("test-services/azurite");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The blob service's script, if Azurite is installed. */
  public static Optional<Path> script() {
    return home().map(h -> h.resolve("node_modules/azurite/dist/src/blob/main.js")).filter(Files::isRegularFile);
  }

  /** Starts Azurite's blob service and waits until it accepts connections. */
  public static Azurite start() throws IOException, InterruptedException {
    Optional<Path> script = script();
    String node = findOnPath("node").orElse(null);
    if (script.isEmpty() || node == null) {
      String reason = script.isEmpty()
          ? "Azurite is not installed: run 'npm ci' in " + home().map(Path::toString).orElse("test-services/azurite")
          : "node is not on the PATH (Azurite needs Node.js)";
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(reason + " (CI is set, so this is a failure rather than a skip)");
      }
      Assumptions.abort(reason);
    }
    Path log = Files.createTempFile("azurite-", ".log");
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(node, script.get().toString(),
        "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
        "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    Azurite azurite = new Azurite(process, port, log);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        azurite.close();
        throw new IOException("Azurite exited with " + process.exitValue() + " before listening: "
            + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return azurite;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          azurite.close();
          throw new IOException("Azurite did not listen on port " + port + " within " + START_TIMEOUT.toSeconds() + " s");
        }
        Thread.sleep(50);
      }
    }
  }

  /** The port the blob service listens on. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT/devstoreaccount1}. */
  public String blobEndpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  /** The emulator URL of {@code container} and {@code path}, as barman-cloud takes it. */
  public String url(String container, String path) {
    return blobEndpoint() + "/" + container + (path.isEmpty() ? "" : "/" + path);
  }

  /** A connection string for the development account. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
        + ";BlobEndpoint=" + blobEndpoint() + ";";
  }

  /** Stops the process by its id. Idempotent. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temporary file
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Optional<String> findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
