package org.barman4j.storage.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.barman4j.gcs.testserver.FakeGcsServer;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.StorageUri;
import org.barman4j.storage.Upload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the contract does not cover: the requests sent, credentials, and how failures surface. */
class GcsStorageBackendTest {
  private static final String BUCKET = "backups";
  private static final int CHUNK = 256 * 1024;

  @TempDir Path tmp;

  private FakeGcsServer gcs;

  @BeforeEach
  void startServer() throws IOException {
    gcs = FakeGcsServer.start().createBucket(BUCKET);
  }

  @AfterEach
  void stopServer() {
    gcs.close();
  }

  private StorageBackend open(String url, Map<String, String> properties, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>();
    all.put(GcsStorageProperties.UPLOAD_CHUNK_SIZE, Integer.toString(CHUNK));
    all.putAll(properties);
    return new GcsStorageProvider(env).open(StorageUri.parse(url), StorageConfig.of(all));
  }

  private StorageBackend anonymous(String url) throws IOException {
    return open(url, Map.of(GcsStorageProperties.ENDPOINT, gcs.endpoint(), GcsStorageProperties.CREDENTIALS, "none"),
        Map.of());
  }

  @Test
  void ifAbsentIsSentAsIfGenerationMatchZeroAndTheServerRefusesTheSecondWrite() throws IOException {
    try (StorageBackend backend = anonymous("gs://backups/pg")) {
      backend.put("wals/small", "one".getBytes(UTF_8), PutOptions.ifAbsent());
      try (Upload upload = backend.openUpload("wals/large", PutOptions.ifAbsent())) {
        upload.stream().write(new byte[3 * CHUNK + 5]);
        upload.commit();
      }
      assertThat(gcs.requestLog()).filteredOn(r -> r.startsWith("POST /upload/"))
          .hasSize(2).allMatch(r -> r.contains("ifGenerationMatch=[0]"));
      assertThatThrownBy(() -> backend.put("wals/small", "two".getBytes(UTF_8), PutOptions.ifAbsent()))
          .isInstanceOf(ObjectExistsException.class).hasMessageContaining("wals/small");
      try (Upload upload = backend.openUpload("wals/large", PutOptions.ifAbsent())) {
        upload.stream().write(new byte[3 * CHUNK + 5]); // the session start already fails: reported at commit
        assertThatThrownBy(upload::commit).isInstanceOf(ObjectExistsException.class);
      }
      assertThat(gcs.objectNames(BUCKET)).containsExactly("pg/wals/large", "pg/wals/small");
    }
  }

  @Test
  void aLargeUploadIsOneResumableSessionThatStoresNothingUntilCommitAndNothingIfAbandoned() throws IOException {
    try (StorageBackend backend = anonymous("gs://backups/pg")) {
      try (Upload upload = backend.openUpload("base/data.tar", PutOptions.DEFAULT)) {
        upload.stream().write(new byte[5 * CHUNK]);
        assertThat(gcs.openUploadSessions()).isEqualTo(1);
        assertThat(gcs.objectNames(BUCKET)).isEmpty();
        upload.commit();
      }
      assertThat(gcs.openUploadSessions()).isZero();
      assertThat(backend.stat("base/data.tar").orElseThrow().size()).isEqualTo(5L * CHUNK);
      try (Upload upload = backend.openUpload("base/abandoned.tar", PutOptions.DEFAULT)) {
        upload.stream().write(new byte[5 * CHUNK]);
      }
      assertThat(gcs.objectNames(BUCKET)).containsExactly("pg/base/data.tar");
    }
  }

  @Test
  void tagsAreStoredAsMetadataAsBarmanDoesAndTheKmsKeyGoesWithEveryWrite() throws IOException {
    String kms = "projects/p/locations/eu/keyRings/r/cryptoKeys/k";
    try (StorageBackend backend = open("gs://backups", Map.of(GcsStorageProperties.ENDPOINT, gcs.endpoint(),
        GcsStorageProperties.CREDENTIALS, "none", GcsStorageProperties.KMS_KEY, kms), Map.of())) {
      PutOptions options = PutOptions.ifAbsent().withTags(Map.of("Environment", "prod", "codec", "tag"))
          .withMetadata(Map.of("codec", "gzip"));
      backend.put("small", "x".getBytes(UTF_8), options);
      try (Upload upload = backend.openUpload("large", options)) {
        upload.stream().write(new byte[2 * CHUNK + 1]);
        upload.commit();
      }
      for (String name : List.of("small", "large")) {
        assertThat(gcs.metadata(BUCKET, name)).as(name).isEqualTo(Map.of("Environment", "prod", "codec", "gzip"));
        assertThat(gcs.kmsKeyName(BUCKET, name)).as(name).isEqualTo(kms);
        assertThat(backend.stat(name).orElseThrow().metadata()).containsEntry("Environment", "prod");
      }
    }
  }

  @Test
  void batchDeletesGoInOneBatchRequestOfAtMostOneHundred() throws IOException {
    try (StorageBackend backend = anonymous("gs://backups/pg")) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        keys.add(String.format("wals/%03d", i));
        backend.put(keys.get(i), new byte[] {(byte) i}, PutOptions.DEFAULT);
      }
      keys.subList(98, 100).clear();
      keys.add("wals/000"); // a duplicate
      keys.add("wals/missing"); // ignored
      backend.deleteBatch(keys);
      assertThat(gcs.batchRequests()).isEqualTo(1);
      assertThat(gcs.objectNames(BUCKET)).containsExactly("pg/wals/098", "pg/wals/099");
      List<String> tooMany = new ArrayList<>();
      for (int i = 0; i < 101; i++) {
        tooMany.add("k" + i);
      }
      assertThatThrownBy(() -> backend.deleteBatch(tooMany)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theConsoleUrlFormNamesTheSameBucketAndPath() throws IOException {
    try (StorageBackend backend = anonymous("https://console.cloud.google.com/storage/browser/backups/pg/")) {
      backend.put("x", "x".getBytes(UTF_8), PutOptions.DEFAULT);
    }
    assertThat(gcs.objectNames(BUCKET)).containsExactly("pg/x");
  }

  @Test
  void storageEmulatorHostSelectsTheEmulatorWithoutCredentials() throws IOException {
    try (StorageBackend backend =
        open("gs://backups/pg", Map.of(), Map.of(GcsStorageProperties.EMULATOR_HOST_VARIABLE, gcs.hostAndPort()))) {
      backend.check();
      backend.put("x", "x".getBytes(UTF_8), PutOptions.DEFAULT);
      assertThat(backend.list("", ListOptions.DEFAULT).objects()).hasSize(1);
    }
  }

  @Test
  void withoutCreateBucketAMissingBucketIsOneLineSayingItDoesNotExistForEveryOperation() throws IOException {
    try (StorageBackend backend = open("gs://no-such-bucket/pg", Map.of(GcsStorageProperties.ENDPOINT, gcs.endpoint(),
        GcsStorageProperties.CREDENTIALS, "none", GcsStorageProperties.CREATE_BUCKET, "false"), Map.of())) {
      for (ThrowingCallable call : List.<ThrowingCallable>of(backend::check,
          () -> backend.list("", ListOptions.DEFAULT), () -> backend.stat("k"), () -> backend.read("k", ByteRange.ALL),
          () -> backend.put("k", new byte[1], PutOptions.DEFAULT))) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isExactlyInstanceOf(GcsErrors.NoSuchBucketException.class)
            .isInstanceOf(StorageException.class).isNotInstanceOf(StorageUnavailableException.class)
            .hasMessageStartingWith("Bucket 'no-such-bucket' does not exist").hasMessageContaining("gs://no-such-bucket");
        assertThat(thrown.getMessage()).doesNotContain("\n");
      }
    }
    assertThat(gcs.bucketExists("no-such-bucket")).isFalse();
  }

  @Test
  void withCreateBucketAMissingBucketIsAnEmptyStoreThatTheFirstWriteCreates() throws IOException {
    try (StorageBackend backend = anonymous("gs://new-bucket/pg")) {
      backend.check();
      assertThat(backend.list("", ListOptions.DEFAULT).objects()).isEmpty();
      assertThat(backend.stat("k")).isEmpty();
      assertThatThrownBy(() -> backend.read("k", ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
      assertThat(gcs.bucketExists("new-bucket")).isFalse();
      backend.put("k", "v".getBytes(UTF_8), PutOptions.ifAbsent());
      assertThat(gcs.bucketExists("new-bucket")).isTrue();
      assertThat(gcs.objectNames("new-bucket")).containsExactly("pg/k");
    }
    // A write larger than a chunk goes through a resumable session: the bucket is made before it starts.
    try (StorageBackend backend = anonymous("gs://big-bucket/pg")) {
      byte[] big = new byte[CHUNK * 2 + 1];
      try (Upload upload = backend.openUpload("big", PutOptions.DEFAULT)) {
        upload.stream().write(big);
        upload.commit();
      }
      assertThat(gcs.objectNames("big-bucket")).containsExactly("pg/big");
    }
    assertThat(gcs.requestLog()).anyMatch(line -> line.startsWith("POST /storage/v1/b"));
  }

  @Test
  void requestsWithoutValidCredentialsAreAccessDeniedWithAOneLineMessage() throws IOException {
    gcs.requireAuthentication();
    try (StorageBackend backend = anonymous("gs://backups/pg")) {
      Throwable thrown = catchThrowable(backend::check);
      assertThat(thrown).isInstanceOf(StorageAccessDeniedException.class).hasMessageContaining("gs://backups")
          .hasMessageContaining("access denied");
      assertThat(thrown.getMessage()).doesNotContain("\n");
      assertThatThrownBy(() -> backend.put("k", new byte[1], PutOptions.DEFAULT))
          .isInstanceOf(StorageAccessDeniedException.class);
      assertThatThrownBy(() -> backend.list("", ListOptions.DEFAULT)).isInstanceOf(StorageAccessDeniedException.class);
    }
  }

  @Test
  void aServiceAccountKeyFromGoogleApplicationCredentialsAuthenticatesThroughItsTokenUri() throws Exception {
    KeyPair key = rsaKey();
    gcs.requireAuthentication().registerServiceAccount("barman@p.iam.gserviceaccount.com", key.getPublic());
    Path file = serviceAccountFile("barman@p.iam.gserviceaccount.com", key);
    try (StorageBackend backend = open("gs://backups/pg", Map.of(GcsStorageProperties.ENDPOINT, gcs.endpoint()),
        Map.of(GcsStorageProperties.CREDENTIALS_VARIABLE, file.toString()))) {
      backend.check();
      backend.put("k", "v".getBytes(UTF_8), PutOptions.ifAbsent());
      assertThat(backend.stat("k")).isPresent();
    }
  }

  @Test
  void aKeyTheTokenEndpointRejectsIsAccessDeniedAndTheMessageHoldsNoSecret() throws Exception {
    KeyPair registered = rsaKey();
    KeyPair wrong = rsaKey();
    gcs.requireAuthentication().registerServiceAccount("barman@p.iam.gserviceaccount.com", registered.getPublic());
    Path file = serviceAccountFile("barman@p.iam.gserviceaccount.com", wrong);
    try (StorageBackend backend = open("gs://backups/pg", Map.of(GcsStorageProperties.ENDPOINT, gcs.endpoint(),
        GcsStorageProperties.MAX_ATTEMPTS, "1"), Map.of(GcsStorageProperties.CREDENTIALS_VARIABLE, file.toString()))) {
      Throwable thrown = catchThrowable(() -> backend.put("k", new byte[1], PutOptions.DEFAULT));
      assertThat(thrown).isInstanceOf(StorageAccessDeniedException.class).hasMessageContaining("gs://backups/pg/k");
      String message = thrown.getMessage();
      assertThat(message).doesNotContain("\n").doesNotContain("PRIVATE KEY")
          .doesNotContain(base64(wrong.getPrivate().getEncoded()).substring(0, 40)).doesNotContain("assertion=");
    }
    assertThat(gcs.objectNames(BUCKET)).isEmpty();
  }

  @Test
  void aMissingCredentialsFileIsAccessDeniedNamingTheFileAtTheFirstRequestNotAtOpen() throws IOException {
    Path missing = tmp.resolve("missing.json");
    StorageBackend backend = open("gs://backups/pg", Map.of(GcsStorageProperties.ENDPOINT, gcs.endpoint()),
        Map.of(GcsStorageProperties.CREDENTIALS_VARIABLE, missing.toString()));
    try (backend) {
      assertThatThrownBy(backend::check).isInstanceOf(StorageAccessDeniedException.class)
          .hasMessageContaining(missing.toString()).hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS");
    }
  }

  @Test
  @Timeout(30)
  void anUnreachableEndpointIsUnavailableAndOpeningItDoesNoIo() throws IOException {
    long start = System.nanoTime();
    String closed = "http://127.0.0.1:" + freePort();
    try (StorageBackend backend = open("gs://backups/pg", Map.of(GcsStorageProperties.ENDPOINT, closed,
        GcsStorageProperties.CREDENTIALS, "none", GcsStorageProperties.MAX_ATTEMPTS, "1"), Map.of())) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThatThrownBy(backend::check).isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("gs://backups");
      assertThatThrownBy(() -> backend.put("k", new byte[1], PutOptions.DEFAULT))
          .isInstanceOf(StorageUnavailableException.class).hasMessageContaining("gs://backups/pg/k");
    }
  }

  @Test
  void malformedUrlsAndPropertiesAreRejectedAtOpen() {
    for (String url : List.of("gs://", "gs://B/x", "gs://ab/x", "gs://bucket/a//b", "gs://-bucket/x")) {
      assertThatThrownBy(() -> anonymous(url)).as(url).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(url);
    }
    assertThatThrownBy(() -> open("gs://backups", Map.of(GcsStorageProperties.UPLOAD_CHUNK_SIZE, "1000"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(GcsStorageProperties.UPLOAD_CHUNK_SIZE);
    assertThatThrownBy(() -> open("gs://backups", Map.of(GcsStorageProperties.CREATE_BUCKET, "yes"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(GcsStorageProperties.CREATE_BUCKET);
    assertThatThrownBy(() -> open("gs://backups", Map.of(GcsStorageProperties.CREDENTIALS, "secret"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(GcsStorageProperties.CREDENTIALS);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static KeyPair rsaKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private Path serviceAccountFile(String email, KeyPair key) throws IOException {
    String pem = "-----BEGIN PRIVATE KEY-----\\n"
        + base64(key.getPrivate().getEncoded()).replaceAll("(.{64})", "$1\\\\n") + "\\n-----END PRIVATE KEY-----\\n";
    String json = "{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key_id\": \"k1\","
        + " \"private_key\": \"" + pem + "\", \"client_email\": \"" + email + "\", \"client_id\": \"1\","
        + " \"token_uri\": \"" + gcs.tokenUri() + "\"}";
    Path file = tmp.resolve("sa-" + System.nanoTime() + ".json");
    Files.writeString(file, json);
    return file;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
