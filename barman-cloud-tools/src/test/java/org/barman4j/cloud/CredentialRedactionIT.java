package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import java.net.URLDecoder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.gcs.testserver.FakeGcsServer;
import org.barman4j.storage.testkit.Azurite;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launchers at {@code -vv} and {@code -vvv}, where the SDKs log their requests: the whole
 * output (stdout and stderr) holds neither the secrets of the environment nor the value of any
 * credential-bearing header or query parameter.
 */
class CredentialRedactionIT {
  private static final String ACCESS_KEY = "redaction-access";
  private static final String SECRET_KEY = "redaction-Secret-Key-Never-Printed";
  private static final String SESSION_TOKEN = "FwoGZXIvYXdzSessionTokenNeverPrinted0123456789abcdef";
  private static final String WAL = "000000010000000000000003";

  /** A credential-bearing name followed by something that is not the redaction mark. */
  private static final List<Pattern> UNREDACTED = List.of(
      Pattern.compile("(?i)x-amz-security-token\\s*[:=]\\s*(?!\\*\\*\\*\\*)[^\\s*]"),
      Pattern.compile("(?i)x-amz-signature\\s*[:=]\\s*(?!\\*\\*\\*\\*)[^\\s*]"),
      Pattern.compile("(?i)x-amz-credential\\s*[:=]\\s*(?!\\*\\*\\*\\*)[^\\s*]"),
      Pattern.compile("(?i)\\bSignature=(?!\\*\\*\\*\\*)[0-9a-f]{8}"),
      Pattern.compile("(?i)\\bauthorization\\s*[:=]\\s*\\[?\"?(?:(?:AWS4-HMAC-SHA256|AWS|Bearer|SharedKey|Basic)\\s+)?+"
          + "(?!\\*\\*\\*\\*)(?!<Not Logged>)[^\\s*]"),
      Pattern.compile("(?i)[?&;]sig=(?!\\*\\*\\*\\*)[^\\s*&]"),
      Pattern.compile("(?i)AccountKey=(?!\\*\\*\\*\\*)[^\\s*;]"),
      Pattern.compile("(?i)SharedAccessSignature=(?!\\*\\*\\*\\*)[^\\s*;]"),
      Pattern.compile("(?i)\\bBearer\\s+(?!\\*\\*\\*\\*)[A-Za-z0-9._~+/-]{8}"),
      Pattern.compile("(?i)\"?access_token\"?\\s*[:=]\\s*\"?(?!\\*\\*\\*\\*)[A-Za-z0-9._~+/-]{8}"),
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));

  @TempDir Path tmp;

  @Test
  void s3SessionTokenSecretAndSignaturesNeverShow() throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Map<String, String> env = new HashMap<>();
      env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
      env.put("AWS_SESSION_TOKEN", SESSION_TOKEN);
      env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
      env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      String endpoint = "http://127.0.0.1:" + proxy.getPort();
      Path segment = Files.write(tmp.resolve(WAL), new byte[1 << 20]);
      for (String verbosity : List.of("-vv", "-vvv")) {
        String output = run(env, "barman-cloud-wal-archive", verbosity, "--endpoint-url", endpoint,
            "s3://redaction-" + verbosity.length() + "/barman", "pg", segment.toString());
        assertThat(output).as("the SDK's request logging is on").containsIgnoringCase("x-amz-security-token");
        assertClean(output, SECRET_KEY, SESSION_TOKEN);
        String list = run(env, "barman-cloud-backup-list", verbosity, "--endpoint-url", endpoint,
            "s3://redaction-" + verbosity.length() + "/barman", "pg");
        assertClean(list, SECRET_KEY, SESSION_TOKEN);
      }
    } finally {
      proxy.stop();
    }
  }

  @Test
  void azureSasTokenAccountKeyAndConnectionStringNeverShow() throws Exception {
    try (Azurite azurite = Azurite.start()) {
      String connectionString = azurite.connectionString();
      String sas = new BlobServiceClientBuilder().connectionString(connectionString).buildClient()
          .generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
              AccountSasPermission.parse("rwdlacup"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
      String signature = sas.replaceAll(".*\\bsig=([^&]*).*", "$1");
      Path segment = Files.write(tmp.resolve(WAL), new byte[1 << 20]);
      List<Map<String, String>> credentials = List.of(
          Map.of("AZURE_STORAGE_SAS_TOKEN", "?" + sas),
          Map.of("AZURE_STORAGE_KEY", Azurite.ACCOUNT_KEY),
          Map.of("AZURE_STORAGE_CONNECTION_STRING", connectionString));
      int round = 0;
      for (Map<String, String> credential : credentials) {
        for (String verbosity : List.of("-vv", "-vvv")) {
          Map<String, String> env = new HashMap<>(credential);
          env.put("AZURE_HTTP_LOG_DETAIL_LEVEL", "body_and_headers"); // the SDK's own request log, all of it
          String url = azurite.url("redaction" + round++, "barman");
          String output = run(env, "barman-cloud-wal-archive", "--cloud-provider", "azure-blob-storage", verbosity,
              url, "pg", segment.toString());
          assertThat(output).as("the SDK's request logging is on").contains("x-ms-version");
          String list = run(env, "barman-cloud-backup-list", "--cloud-provider", "azure-blob-storage", verbosity, url,
              "pg");
          for (String text : List.of(output, list)) {
            assertClean(text, Azurite.ACCOUNT_KEY, sas, signature, URLDecoder.decode(signature, StandardCharsets.UTF_8));
          }
        }
      }
    }
  }

  @Test
  void gcsBearerTokensAssertionsAndKeysNeverShow() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair key = generator.generateKeyPair();
    try (FakeGcsServer gcs = FakeGcsServer.start().createBucket("pg-backups")) {
      gcs.requireAuthentication().registerServiceAccount("barman@p.iam.gserviceaccount.com", key.getPublic());
      String privateKey = Base64.getEncoder().encodeToString(key.getPrivate().getEncoded());
      String pem = "-----BEGIN PRIVATE KEY-----\\n" + privateKey.replaceAll("(.{64})", "$1\\\\n")
          + "\\n-----END PRIVATE KEY-----\\n";
      Path credentials = tmp.resolve("key.json");
      Files.writeString(credentials, "{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key_id\": \"k1\","
          + " \"private_key\": \"" + pem + "\", \"client_email\": \"barman@p.iam.gserviceaccount.com\","
          + " \"client_id\": \"1\", \"token_uri\": \"" + gcs.tokenUri() + "\"}");
      Path segment = Files.write(tmp.resolve(WAL), new byte[1 << 20]);
      Map<String, String> env = Map.of("STORAGE_EMULATOR_HOST", gcs.hostAndPort(),
          "GOOGLE_APPLICATION_CREDENTIALS", credentials.toString());
      for (String verbosity : List.of("-vv", "-vvv")) {
        String url = "gs://pg-backups/redaction" + verbosity.length();
        String output = run(env, "barman-cloud-wal-archive", "--cloud-provider", "google-cloud-storage", verbosity,
            url, "pg", segment.toString());
        String list = run(env, "barman-cloud-backup-list", "--cloud-provider", "google-cloud-storage", verbosity, url,
            "pg");
        for (String text : List.of(output, list)) {
          assertClean(text, privateKey.substring(0, 40), privateKey.substring(privateKey.length() - 40));
        }
        if (verbosity.equals("-vvv")) {
          assertThat(output).as("the HTTP library's request log is on").containsIgnoringCase("Authorization: Bearer");
        }
      }
      assertThat(gcs.objectNames("pg-backups")).hasSize(2);
    }
  }

  static void assertClean(String output, String... secrets) {
    for (String secret : secrets) {
      assertThat(output).as("a secret in the output").doesNotContain(secret);
    }
    for (Pattern pattern : UNREDACTED) {
      var matcher = pattern.matcher(output);
      if (matcher.find()) {
        int from = Math.max(0, matcher.start() - 80);
        int to = Math.min(output.length(), matcher.end() + 80);
        throw new AssertionError("unredacted credential (" + pattern + ") in: …" + output.substring(from, to) + "…");
      }
    }
  }

  /** The tool's stdout and stderr, both to one file so that nothing escapes the check. */
  private static String run(Map<String, String> env, String... args) throws Exception {
    ToolResult result = ToolRun.tool(args[0], Arrays.asList(args).subList(1, args.length)).stderrIntoStdout()
        .without(ToolRun.AWS_MACHINE_SETTINGS)
        .without(List.of("STORAGE_EMULATOR_HOST", "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_STORAGE_CONNECTION_STRING",
            "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_KEY", "AZURE_STORAGE_ACCOUNT"))
        .env(env).run();
    assertThat(result.exitCode()).as(result.command() + ": " + result.stdout()).isZero();
    return result.stdout();
  }
}
