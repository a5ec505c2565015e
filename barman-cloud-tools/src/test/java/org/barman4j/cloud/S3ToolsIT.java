package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentHeader;
import org.barman4j.wal.WalSegmentSize;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launchers on s3:// URLs against S3Proxy in this JVM (SigV4 over HTTP): a WAL segment
 * round trip with every S3 option on the wire, and the three failures a user meets first (unreachable
 * endpoint, refused credentials, missing bucket), each one stderr line naming the URL, never the secret,
 * with Barman 3.4's exit code (2, 4 and 1: see {@code S3Errors}).
 */
class S3ToolsIT {
  private static final String ACCESS_KEY = "tools-access";
  private static final String SECRET_KEY = "tools-Secret-Key-Never-Printed";
  private static final String WRONG_SECRET = "wrong-Secret-Key-Never-Printed";
  private static final String WAL = "000000010000000000000007";

  private static S3Proxy proxy;
  private static HttpTap tap;

  @TempDir Path tmp;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(proxy.getState()).isEqualTo("STARTED");
    tap = new HttpTap(proxy.getPort());
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (tap != null) {
      tap.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
  }

  private static String endpoint() {
    return "http://127.0.0.1:" + tap.port();
  }

  @Test
  void aWalSegmentRoundTripsWithTagsAndEncryptionOnTheWire() throws Exception {
    Path segment = tmp.resolve(WAL);
    byte[] content = new byte[16 << 20];
    new Random(7).nextBytes(content);
    byte[] header = WalSegmentHeader.of(WalFileName.parse(WAL), WalSegmentSize.DEFAULT, 7).toBytes();
    System.arraycopy(header, 0, content, 0, header.length);
    Files.write(segment, content);
    String url = "s3://tools-roundtrip/barman"; // no such bucket yet: wal-archive creates it, as Barman's

    ToolResult archived = run(credentials(SECRET_KEY), "barman-cloud-wal-archive", "--endpoint-url", endpoint(),
        "--read-timeout", "30", "-e", "aws:kms", "--sse-kms-key-id", "alias/barman", url, "pg", segment.toString(),
        "--tags", "retention,short", "team,dba ops");
    assertThat(archived.stderr()).isEmpty();
    assertThat(archived.exitCode()).isZero();
    List<String> puts = new ArrayList<>();
    for (String head : tap.heads()) {
      if (head.startsWith("put /tools-roundtrip/barman/pg/wals/0000000100000000/" + WAL)) {
        puts.add(head);
      }
    }
    // The first PUTs meet the missing bucket (S3Proxy answers 404 before reading the body and closes the
    // connection; the SDK retries); the backend then creates the bucket and the last PUT stores the segment.
    assertThat(puts).as("PutObject of the segment").isNotEmpty();
    assertThat(puts.get(puts.size() - 1))
        .contains("if-none-match: *")
        .contains("x-amz-server-side-encryption: aws:kms")
        .contains("x-amz-server-side-encryption-aws-kms-key-id: alias/barman")
        .containsAnyOf("x-amz-tagging: retention=short&team=dba%20ops", "x-amz-tagging: team=dba%20ops&retention=short");

    Path restored = tmp.resolve("restored");
    ToolResult restore = run(credentials(SECRET_KEY), "barman-cloud-wal-restore", "--endpoint-url", endpoint(), url,
        "pg", WAL, restored.toString());
    assertThat(restore.stderr()).isEmpty();
    assertThat(restore.exitCode()).isZero();
    assertThat(Arrays.equals(Files.readAllBytes(restored), content)).as("restored byte for byte").isTrue();
  }

  @Test
  void aNamedProfileSuppliesTheCredentials() throws Exception {
    Path credentialsFile = tmp.resolve("credentials");
    Files.writeString(credentialsFile, "[barman4j]\naws_access_key_id = " + ACCESS_KEY
        + "\naws_secret_access_key = " + SECRET_KEY + "\n");
    Map<String, String> env = credentials(WRONG_SECRET);
    env.put("AWS_SHARED_CREDENTIALS_FILE", credentialsFile.toString());
    for (String option : List.of("-P", "--aws-profile", "--profile")) {
      ToolResult list = run(env, "barman-cloud-check-wal-archive", "--endpoint-url", endpoint(), option, "barman4j",
          "s3://tools-profile/barman", "pg");
      assertThat(list.stderr()).as(option).isEmpty();
      assertThat(list.exitCode()).as(option).isZero();
    }
  }

  @Test
  void anUnreachableEndpointIsOneLineAndExit2() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String url = "s3://tools-unreachable/barman";
    ToolResult result = run(credentials(SECRET_KEY), "barman-cloud-backup-list", "--endpoint-url",
        "http://127.0.0.1:" + closedPort, url, "pg");
    assertOneLine(result, url);
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  void anEndpointThatNeverAnswersTimesOutAfterTheReadTimeoutWithExit2() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // and never answer
          }
        } catch (IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "s3://tools-silent/barman";
      long start = System.nanoTime();
      ToolResult result = run(credentials(SECRET_KEY), "barman-cloud-wal-restore", "--endpoint-url",
          "http://127.0.0.1:" + silent.getLocalPort(), "--read-timeout", "1", url, "pg", WAL,
          tmp.resolve("x").toString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertOneLine(result, url);
      assertThat(result.stderr()).contains("did not answer in time");
      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(took).as("three attempts of one second, not the default minute").isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void aServerThatStallsInTheMiddleOfABodyTimesOutWithExit2AndNothingRestored() throws Exception {
    String bucket = "tools-stall";
    String key = "barman/pg/wals/0000000100000000/" + WAL;
    try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket socket = stalling.accept();
            Thread connection = new Thread(() -> serveThenStall(socket, bucket, key));
            connection.setDaemon(true);
            connection.start();
          }
        } catch (IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Path dest = Files.createDirectories(tmp.resolve("pg_wal")).resolve("RECOVERYXLOG");
      long start = System.nanoTime();
      ToolResult result = run(credentials(SECRET_KEY), "barman-cloud-wal-restore", "--endpoint-url",
          "http://127.0.0.1:" + stalling.getLocalPort(), "--read-timeout", "1", "s3://" + bucket + "/barman", "pg",
          WAL, dest.toString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertOneLine(result, "s3://" + bucket + "/" + key);
      assertThat(result.stderr()).contains("did not resume in time");
      assertThat(result.exitCode()).as("the store stopped answering: exit 2, as the README says").isEqualTo(2);
      assertThat(took).isLessThan(Duration.ofSeconds(30));
      try (var left = Files.list(dest.getParent())) {
        assertThat(left).as("nothing at the destination, no temporary file").isEmpty();
      }
    }
  }

  /**
   * A minimal S3 endpoint: answers a ListObjectsV2 with one 16 MiB object, then sends that object's headers
   * and its first 64 KiB, and stalls for ever.
   */
  private static void serveThenStall(Socket socket, String bucket, String key) {
    try (socket) {
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      var out = socket.getOutputStream();
      while (true) {
        String requestLine = in.readLine();
        if (requestLine == null) {
          return;
        }
        for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
          // GETs and HEADs have no body to skip
        }
        if (requestLine.contains("list-type=2")) {
          byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
              + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name>"
              + "<Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
              + "<Contents><Key>" + key + "</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
              + "<ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag><Size>16777216</Size>"
              + "<StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>").getBytes(StandardCharsets.UTF_8);
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length
              + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(xml);
          out.flush();
        } else if (requestLine.startsWith("GET ")) {
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 16777216\r\n"
              + "ETag: \"0123456789abcdef0123456789abcdef\"\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(new byte[64 * 1024]);
          out.flush();
          while (socket.getInputStream().read() >= 0) {
            // stall until the client gives up and closes
          }
          return;
        } else if (requestLine.startsWith("HEAD ")) {
          // The object's metadata, as S3 answers it (restore reads it for a recorded checksum)
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 16777216\r\n"
              + "Last-Modified: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
              + "ETag: \"0123456789abcdef0123456789abcdef\"\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } else {
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client closed the connection
    }
  }

  @Test
  void refusedCredentialsAreOneLineWithoutTheSecretAndExit4() throws Exception {
    createBucket("tools-denied");
    String url = "s3://tools-denied/barman";
    for (String tool : List.of("barman-cloud-backup-list", "barman-cloud-wal-restore")) {
      List<String> args = new ArrayList<>(List.of(tool, "--endpoint-url", endpoint(), url, "pg"));
      if (tool.equals("barman-cloud-wal-restore")) {
        args.addAll(List.of(WAL, tmp.resolve("x").toString()));
      }
      ToolResult result = run(credentials(WRONG_SECRET), args.toArray(new String[0]));
      assertOneLine(result, url);
      assertThat(result.stderr()).contains("SignatureDoesNotMatch").doesNotContain(WRONG_SECRET);
      assertThat(result.exitCode()).as(tool).isEqualTo(4);
    }
    Map<String, String> unknownKey = credentials(SECRET_KEY);
    unknownKey.put("AWS_ACCESS_KEY_ID", "no-such-access-key");
    ToolResult result = run(unknownKey, "barman-cloud-backup-list", "--endpoint-url", endpoint(), url, "pg");
    assertOneLine(result, url);
    assertThat(result.exitCode()).isEqualTo(4);
  }

  @Test
  void aMissingBucketIsOneLineAndExit1ForTheToolsThatDoNotCreateIt() throws Exception {
    String url = "s3://tools-missing/barman";
    ToolResult list = run(credentials(SECRET_KEY), "barman-cloud-backup-list", "--endpoint-url", endpoint(), url, "pg");
    assertOneLine(list, "s3://tools-missing/");
    assertThat(list.stderr()).contains("Bucket 'tools-missing' does not exist");
    assertThat(list.exitCode()).isEqualTo(1);
  }

  @Test
  void walRestoreFromAMissingBucketIsAConfigurationErrorWithExit2AndItsTestFails() throws Exception {
    String url = "s3://tools-no-archive/barman";
    ToolResult restore = run(credentials(SECRET_KEY), "barman-cloud-wal-restore", "--endpoint-url", endpoint(), url,
        "pg", WAL, tmp.resolve("x").toString());
    assertOneLine(restore, "s3://tools-no-archive/");
    assertThat(restore.stderr()).contains("Bucket 'tools-no-archive' does not exist");
    assertThat(restore.exitCode()).isEqualTo(2);
    assertThat(tmp.resolve("x")).doesNotExist();
    ToolResult test = run(credentials(SECRET_KEY), "barman-cloud-wal-restore", "-t", "--endpoint-url", endpoint(), url,
        "pg", WAL, tmp.resolve("x").toString());
    assertOneLine(test, "s3://tools-no-archive/");
    assertThat(test.exitCode()).isEqualTo(2);

    createBucket("tools-no-archive");
    ToolResult missingSegment = run(credentials(SECRET_KEY), "barman-cloud-wal-restore", "--endpoint-url", endpoint(),
        url, "pg", WAL, tmp.resolve("x").toString());
    assertThat(missingSegment.exitCode()).as("a segment absent from an existing archive").isEqualTo(1);
    assertThat(missingSegment.stderr()).isEmpty();
    ToolResult passes = run(credentials(SECRET_KEY), "barman-cloud-wal-restore", "-t", "--endpoint-url", endpoint(),
        url, "pg", WAL, tmp.resolve("x").toString());
    assertThat(passes.exitCode()).as(passes.stderr()).isZero();
  }

  private static void assertOneLine(ToolResult result, String url) {
    assertThat(result.oneStderrLine()).startsWith("ERROR: ").contains(url).doesNotContain(SECRET_KEY)
        .doesNotContain(WRONG_SECRET);
  }

  private static void createBucket(String bucket) throws Exception {
    // Through our own tool: a wal-archive -t passes; the bucket is created by archiving a history file.
    Path history = Files.createTempFile("s3tools", ".history");
    Path named = history.resolveSibling("00000002.history");
    Files.move(history, named, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(named, "1\t0/3000000\tno recovery target specified\n");
    ToolResult r = run(credentials(SECRET_KEY), "barman-cloud-wal-archive", "--endpoint-url", endpoint(),
        "s3://" + bucket + "/barman", "pg", named.toString());
    Files.delete(named);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  private static Map<String, String> credentials(String secret) {
    return ToolRun.awsKeys(ACCESS_KEY, secret);
  }

  private static ToolResult run(Map<String, String> env, String... args) throws Exception {
    return ToolRun.tool(args[0], Arrays.asList(args).subList(1, args.length)).without(ToolRun.AWS_MACHINE_SETTINGS)
        .env(env).run();
  }
}
