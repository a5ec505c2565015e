package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.gcs.testserver.FakeGcsServer;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentHeader;
import org.barman4j.wal.WalSegmentSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launchers with {@code --cloud-provider google-cloud-storage} against the GCS JSON API
 * fake: Barman's GCS options are accepted, failures are one line with barman-cloud's exit code (a missing
 * bucket 1 for the reading tools and created by the archiver, refused credentials 4) and no
 * secret, and the Google libraries load only for {@code gs://} URLs.
 */
class GcsToolsIT {
  private static final String BUCKET = "pg-backups";
  private static final String WAL = "000000010000000000000001";

  @TempDir Path tmp;

  private FakeGcsServer gcs;
  private Path wal;

  @BeforeEach
  void setUp() throws IOException {
    gcs = FakeGcsServer.start().createBucket(BUCKET);
    byte[] content = new byte[1 << 20];
    byte[] header = WalSegmentHeader.of(WalFileName.parse(WAL), WalSegmentSize.ofMebibytes(1), 1).toBytes();
    System.arraycopy(header, 0, content, 0, header.length);
    wal = Files.write(Files.createDirectories(tmp.resolve("pg_wal")).resolve(WAL), content);
  }

  @AfterEach
  void stopGcs() {
    gcs.close();
  }

  private static String launcher(String tool) {
    return ToolRun.launcher(tool).toString();
  }

  @Test
  void walArchiveAcceptsBarmansGcsOptionsAndStoresTheSegmentOnce() throws Exception {
    Map<String, String> env = Map.of("STORAGE_EMULATOR_HOST", gcs.hostAndPort());
    String kms = "projects/p/locations/eu/keyRings/r/cryptoKeys/k";
    ToolResult test = run(env, launcher("barman-cloud-wal-archive"), "--cloud-provider", "google-cloud-storage",
        "--test", "gs://" + BUCKET + "/path", "main");
    assertThat(test.exitCode()).as(test.stderr()).isZero();
    ToolResult archived = run(env, launcher("barman-cloud-wal-archive"), "--cloud-provider", "google-cloud-storage",
        "--tags", "env,ci", "team,db", "--history-tags", "kind,history", "--kms-key-name", kms, "--gzip",
        "gs://" + BUCKET + "/path", "main", wal.toString());
    assertThat(archived.exitCode()).as(archived.stderr()).isZero();
    assertThat(archived.stderr()).as("nothing on stderr in a normal run").isEmpty();
    String name = "path/main/wals/0000000100000000/" + WAL + ".gz";
    assertThat(gcs.objectNames(BUCKET)).containsExactly(name);
    assertThat(gcs.kmsKeyName(BUCKET, name)).isEqualTo(kms);
    // The tags, as Barman stores them on GCS, and the checksum restore verifies.
    assertThat(gcs.metadata(BUCKET, name)).containsAllEntriesOf(Map.of("env", "ci", "team", "db"))
        .containsKey("wal_crc32c").hasSize(3);
    ToolResult again = run(env, launcher("barman-cloud-wal-archive"), "--cloud-provider", "google-cloud-storage",
        "--gzip", "gs://" + BUCKET + "/path", "main", wal.toString());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    Path restored = tmp.resolve("restored");
    ToolResult restore = run(env, launcher("barman-cloud-wal-restore"), "--cloud-provider", "google-cloud-storage",
        "gs://" + BUCKET + "/path", "main", WAL, restored.toString());
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    assertThat(Files.mismatch(wal, restored)).isEqualTo(-1L);
  }

  @Test
  void aMissingBucketIsCreatedByTheArchiverAndIsOneLineAndExitOneForTheReadingTools() throws Exception {
    Map<String, String> env = Map.of("STORAGE_EMULATOR_HOST", gcs.hostAndPort());
    String url = "gs://no-such-bucket/path";
    // As Barman 3.4: the reading tools say the bucket does not exist and exit 1.
    List<List<String>> readers = List.of(
        List.of(launcher("barman-cloud-backup-list"), "--cloud-provider", "google-cloud-storage", url, "main"));
    for (List<String> call : readers) {
      ToolResult result = run(env, call.toArray(String[]::new));
      assertThat(result.exitCode()).as(call + ": " + result.stderr()).isEqualTo(1);
      assertThat(result.stderr().lines()).as(call.toString()).hasSize(1);
      assertThat(result.stderr()).startsWith("ERROR: Bucket 'no-such-bucket' does not exist")
          .contains("gs://no-such-bucket");
    }
    // wal-restore, and its -t: a restore_command pointing nowhere is a configuration error (exit 2), not a
    // missing segment (1, which ends recovery quietly).
    for (String test : List.of("--quiet", "-t")) {
      ToolResult result = run(env, launcher("barman-cloud-wal-restore"), "--cloud-provider", "google-cloud-storage",
          test, url, "main", "000000010000000000000001", tmp.resolve("restored").toString());
      assertThat(result.exitCode()).as(test + ": " + result.stderr()).isEqualTo(2);
      assertThat(result.stderr().lines()).as(test).hasSize(1);
      assertThat(result.stderr()).startsWith("ERROR: ").contains("Bucket 'no-such-bucket' does not exist")
          .contains("gs://no-such-bucket");
      assertThat(tmp.resolve("restored")).doesNotExist();
    }
    // check-wal-archive: an empty archive; the archiver's -t passes, and its run creates the bucket.
    ToolResult check = run(env, launcher("barman-cloud-check-wal-archive"), "--cloud-provider", "google-cloud-storage",
        url, "main");
    assertThat(check.exitCode()).as(check.stderr()).isZero();
    ToolResult test = run(env, launcher("barman-cloud-wal-archive"), "--cloud-provider", "google-cloud-storage", "-t",
        url, "main");
    assertThat(test.exitCode()).as(test.stderr()).isZero();
    assertThat(gcs.bucketExists("no-such-bucket")).isFalse();
    ToolResult archived = run(env, launcher("barman-cloud-wal-archive"), "--cloud-provider", "google-cloud-storage",
        url, "main", wal.toString());
    assertThat(archived.exitCode()).as(archived.stderr()).isZero();
    assertThat(archived.stderr()).isEmpty();
    assertThat(gcs.objectNames("no-such-bucket")).hasSize(1);
    ToolResult listed = run(env, launcher("barman-cloud-backup-list"), "--cloud-provider", "google-cloud-storage", url,
        "main");
    assertThat(listed.exitCode()).as(listed.stderr()).isZero();
    ToolResult missingSegment = run(env, launcher("barman-cloud-wal-restore"), "--cloud-provider",
        "google-cloud-storage", url, "main", "000000010000000000000009", tmp.resolve("restored").toString());
    assertThat(missingSegment.exitCode()).as("a segment absent from an existing archive").isEqualTo(1);
    assertThat(missingSegment.stderr()).isEmpty();
    ToolResult restoreTest = run(env, launcher("barman-cloud-wal-restore"), "--cloud-provider", "google-cloud-storage",
        "-t", url, "main", "000000010000000000000009", tmp.resolve("restored").toString());
    assertThat(restoreTest.exitCode()).as(restoreTest.stderr()).isZero();
  }

  @Test
  void anonymousRequestsToAServerThatWantsCredentialsAreOneLineAndExitFour() throws Exception {
    gcs.requireAuthentication();
    Map<String, String> env = Map.of("STORAGE_EMULATOR_HOST", gcs.hostAndPort());
    ToolResult result = run(env, launcher("barman-cloud-wal-archive"), "--cloud-provider", "google-cloud-storage",
        "gs://" + BUCKET + "/path", "main", wal.toString());
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(4);
    assertThat(result.stderr().lines()).hasSize(1);
    assertThat(result.stderr()).contains("gs://" + BUCKET + "/path").contains("access denied");
    assertThat(gcs.objectNames(BUCKET)).isEmpty();
  }

  @Test
  void aRejectedServiceAccountKeyIsOneLineWithoutSecretsAndExitFour() throws Exception {
    KeyPair registered = rsaKey();
    KeyPair wrong = rsaKey();
    gcs.requireAuthentication().registerServiceAccount("barman@p.iam.gserviceaccount.com", registered.getPublic());
    String privateKey = Base64.getEncoder().encodeToString(wrong.getPrivate().getEncoded());
    String pem = "-----BEGIN PRIVATE KEY-----\\n" + privateKey.replaceAll("(.{64})", "$1\\\\n")
        + "\\n-----END PRIVATE KEY-----\\n";
    Path credentials = tmp.resolve("key.json");
    Files.writeString(credentials, "{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key_id\": \"k1\","
        + " \"private_key\": \"" + pem + "\", \"client_email\": \"barman@p.iam.gserviceaccount.com\","
        + " \"client_id\": \"1\", \"token_uri\": \"" + gcs.tokenUri() + "\"}");
    // No emulator: the token exchange with the key file's token_uri (the fake) fails before any GCS request.
    Map<String, String> env = Map.of("GOOGLE_APPLICATION_CREDENTIALS", credentials.toString());
    ToolResult result = run(env, launcher("barman-cloud-wal-archive"), "--cloud-provider", "google-cloud-storage",
        "gs://" + BUCKET + "/path", "main", wal.toString());
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(4);
    assertThat(result.stderr().lines()).hasSize(1);
    assertThat(result.stderr()).contains("gs://" + BUCKET + "/path").contains("access denied")
        .doesNotContain(privateKey.substring(0, 40)).doesNotContain("PRIVATE KEY").doesNotContain("assertion");
  }

  @Test
  void theGoogleLibrariesLoadOnlyForGsUrls() throws Exception {
    Path fileLog = tmp.resolve("file-classes.log");
    ToolResult local = run(Map.of("BARMAN4J_JAVA_OPTS", "-Xlog:class+load=info:file=" + fileLog),
        launcher("barman-cloud-wal-archive"), "file://" + tmp.resolve("store"), "main", wal.toString());
    assertThat(local.exitCode()).as(local.stderr()).isZero();
    assertThat(Files.readString(fileLog)).doesNotContain("com.google.").contains("org.barman4j.cloud.CloudTools");
    Path gsLog = tmp.resolve("gs-classes.log");
    ToolResult remote = run(Map.of("BARMAN4J_JAVA_OPTS", "-Xlog:class+load=info:file=" + gsLog,
            "STORAGE_EMULATOR_HOST", gcs.hostAndPort()),
        launcher("barman-cloud-wal-archive"), "gs://" + BUCKET + "/path", "main", wal.toString());
    assertThat(remote.exitCode()).as(remote.stderr()).isZero();
    assertThat(Files.readString(gsLog)).contains("com.google.cloud.storage.");
  }

  private static KeyPair rsaKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static ToolResult run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    return ToolRun.command(List.of(command)).without(List.of("STORAGE_EMULATOR_HOST", "GOOGLE_APPLICATION_CREDENTIALS"))
        .env(env).run();
  }
}
