package org.barman4j.testing.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class S3TestServerTest {
  @TempDir Path tmp;

  private static S3Client client(URI endpoint, String access, String secret) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(S3TestServer.REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
        .build();
  }

  @Test
  void aTransientServerServesSignedRequestsForItsKeysOnlyAndForgetsEverythingWhenClosed() {
    URI endpoint;
    try (S3TestServer server = S3TestServer.builder().credentials("AKID", "s3cr3t").bucket("bucket-a").start();
        S3Client s3 = client(server.endpoint(), "AKID", "s3cr3t")) {
      endpoint = server.endpoint();
      assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
      assertThat(endpoint.getPort()).isPositive();
      assertThat(server.environment()).containsEntry("AWS_ACCESS_KEY_ID", "AKID")
          .containsEntry("AWS_SECRET_ACCESS_KEY", "s3cr3t");

      s3.putObject(b -> b.bucket("bucket-a").key("main/wals/x"), RequestBody.fromString("hello"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("bucket-a").key("main/wals/x")).asUtf8String()).isEqualTo("hello");
      server.createBucket("bucket-b");
      server.createBucket("bucket-b");
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactlyInAnyOrder("bucket-a", "bucket-b");

      try (S3Client wrong = client(server.endpoint(), "AKID", "other")) {
        assertThatThrownBy(() -> wrong.listObjectsV2(b -> b.bucket("bucket-a")))
            .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      }
    }
    try (S3TestServer again = S3TestServer.builder().port(endpoint.getPort()).start();
        S3Client s3 = client(again.endpoint(), "access", "secret")) {
      assertThat(again.endpoint()).isEqualTo(endpoint);
      assertThat(s3.listBuckets().buckets()).isEmpty();
    }
  }

  @Test
  void aFilesystemStoreKeepsObjectsInItsDirectoryAcrossRestarts() {
    Path dir = tmp.resolve("store");
    try (S3TestServer server = S3TestServer.builder().filesystem(dir).bucket("bucket").start();
        S3Client s3 = client(server.endpoint(), server.accessKey(), server.secretKey())) {
      s3.putObject(b -> b.bucket("bucket").key("a/b/c"), RequestBody.fromBytes(new byte[3 << 20]));
    }
    assertThat(dir.resolve("bucket")).isDirectory();
    try (S3TestServer server = S3TestServer.builder().filesystem(dir).start();
        S3Client s3 = client(server.endpoint(), server.accessKey(), server.secretKey())) {
      assertThat(s3.listObjectsV2(b -> b.bucket("bucket")).contents())
          .extracting(S3Object::key, S3Object::size).containsExactly(org.assertj.core.groups.Tuple.tuple("a/b/c", 3L << 20));
    }
  }

  @Test
  void asItsOwnProcessItPrintsTheEndpointServesAndStopsOnSigterm() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        S3TestServer.class.getName(), "--access-key", "k", "--secret-key", "s", "--dir", tmp.toString(),
        "--bucket", "bench"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).matches("http://127\\.0\\.0\\.1:\\d+");
      try (S3Client s3 = client(URI.create(line), "k", "s")) {
        s3.putObject(b -> b.bucket("bench").key("k"), RequestBody.fromString("v"));
      }
      assertThat(Files.readString(tmp.resolve("bench/k"))).isEqualTo("v");
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(143);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void badCommandLinesExitWithThree() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        S3TestServer.class.getName(), "--nope", "x")).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).isEqualTo(3);
    assertThat(output).startsWith("S3TestServer: unknown option --nope\nusage:");
  }
}
