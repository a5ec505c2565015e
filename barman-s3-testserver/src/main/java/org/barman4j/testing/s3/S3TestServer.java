package org.barman4j.testing.s3;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3 server (S3Proxy, in this JVM) on {@code 127.0.0.1} and a free port, with SigV2/SigV4
 * authentication by one access/secret key pair, path-style addressing, and either a transient
 * in-memory store or a directory on disk (for data larger than the heap). {@link #close()} stops
 * it.
 *
 * <pre>{@code
 * try (S3TestServer s3 = S3TestServer.builder().bucket("backups").start()) {
 *   // s3://backups/... with --endpoint-url s3.endpoint() and s3.environment() for the credentials
 * }
 * }</pre>
 *
 * <p>{@link #main} runs the same server as its own process for shell scripts: it prints the
 * endpoint on one line of standard output and stops on SIGTERM.
 */
public final class S3TestServer implements AutoCloseable {
  /** The region clients should sign for; S3Proxy accepts any. */
  public static final String REGION = "us-east-1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final S3Proxy proxy;
  private final BlobStore store;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3TestServer(S3Proxy proxy, BlobStore store, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.store = store;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Options; finish with {@link Builder#start()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The endpoint, e.g. {@code http://127.0.0.1:43567} (for {@code --endpoint-url}). */
  public URI endpoint() {
    return endpoint;
  }

  /** The access key id the server accepts. */
  public String accessKey() {
    return accessKey;
  }

  /** The secret access key the server accepts. */
  public String secretKey() {
    return secretKey;
  }

  /**
   * The environment a client process needs to authenticate with the AWS default credential chain
   * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) and to pick the region ({@code
   * AWS_REGION}, {@code AWS_DEFAULT_REGION}).
   */
  public Map<String, String> environment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", accessKey,
        "AWS_SECRET_ACCESS_KEY", secretKey,
        "AWS_REGION", REGION,
        "AWS_DEFAULT_REGION", REGION);
  }

  /** Creates bucket {@code name}; does nothing if it exists. */
  public void createBucket(String name) {
    Objects.requireNonNull(name, "name is null");
    if (!store.containerExists(name)) {
      store.createContainer(name);
    }
  }

  /** Stops the server; later calls do nothing. Objects of a transient store are gone. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        proxy.stop();
      } catch (Exception e) {
        throw new IllegalStateException("Cannot stop S3Proxy at " + endpoint, e);
      } finally {
        store.close();
      }
    }
  }

  @Override
  public String toString() {
    return "S3TestServer[" + endpoint + "]";
  }

  /**
   * Runs a server until SIGTERM (or SIGINT). Options: {@code --access-key KEY} and {@code
   * --secret-key SECRET} (default {@code access}/{@code secret}), {@code --dir DIR} (a filesystem
   * store; default transient), {@code --bucket NAME} (repeatable), {@code --port N} (default a
   * free one). Prints the endpoint on standard output once it accepts requests.
   */
  public static void main(String[] args) throws InterruptedException {
    Builder builder = builder();
    String access = "access";
    String secret = "secret";
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        usage("missing value of " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--access-key" -> access = value;
        case "--secret-key" -> secret = value;
        case "--dir" -> builder.filesystem(Path.of(value));
        case "--bucket" -> builder.bucket(value);
        case "--port" -> builder.port(Integer.parseInt(value));
        default -> usage("unknown option " + option);
      }
    }
    S3TestServer server = builder.credentials(access, secret).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "s3-test-server-stop"));
    System.out.println(server.endpoint());
    System.out.flush();
    stopped.await();
  }

  private static void usage(String problem) {
    PrintStream err = System.err;
    err.println("S3TestServer: " + problem);
    err.println("usage: S3TestServer [--access-key KEY] [--secret-key SECRET] [--dir DIR]"
        + " [--bucket NAME]... [--port N]");
    System.exit(3);
  }

  /** Options for a server. Defaults: keys {@code access}/{@code secret}, transient, free port. */
  public static final class Builder {
    private String accessKey = "access";
    private String secretKey = "secret";
    private Optional<Path> directory = Optional.empty();
    private int port;
    private final List<String> buckets = new ArrayList<>();

    private Builder() {}

    /** The one key pair the server accepts. */
    public Builder credentials(String accessKey, String secretKey) {
      this.accessKey = Objects.requireNonNull(accessKey, "accessKey is null");
      this.secretKey = Objects.requireNonNull(secretKey, "secretKey is null");
      return this;
    }

    /** Keeps objects under {@code dir} (one sub-directory per bucket), created if absent. */
    public Builder filesystem(Path dir) {
      this.directory = Optional.of(dir.toAbsolutePath());
      return this;
    }

    /** A bucket to create at start. */
    public Builder bucket(String name) {
      buckets.add(Objects.requireNonNull(name, "name is null"));
      return this;
    }

    /** A fixed port instead of a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Starts the server and waits until it accepts requests. */
    public S3TestServer start() {
      BlobStore store = directory.map(Builder::filesystemStore).orElseGet(TransientNio2BlobStore::new);
      S3Proxy proxy = S3Proxy.builder()
          .blobStore(store)
          .endpoint(URI.create("http://127.0.0.1:" + port))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
          // The SDKs send headers S3Proxy does not implement (e.g. x-amz-mp-object-size on a
          // multipart completion); a real S3 ignores what it does not need.
          .ignoreUnknownHeaders(true)
          .build();
      try {
        proxy.start();
        awaitStarted(proxy);
        // The port is known only once Jetty is bound.
        S3TestServer server = new S3TestServer(proxy, store, accessKey, secretKey);
        buckets.forEach(server::createBucket);
        return server;
      } catch (Exception e) {
        try {
          proxy.stop();
          store.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e instanceof RuntimeException r ? r : new IllegalStateException("Cannot start S3Proxy", e);
      }
    }

    private static BlobStore filesystemStore(Path dir) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the store directory " + dir, e);
      }
      return new FilesystemNio2BlobStore(dir.toString());
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline || "FAILED".equals(proxy.getState())) {
          throw new IllegalStateException("S3Proxy did not start: state " + proxy.getState());
        }
        Thread.sleep(5);
      }
    }
  }
}
