package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageProviders;
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
 * What {@code barman-cloud-wal-restore} (the distribution's launcher) refuses to put at {@code %p}: a short
 * segment, a segment whose first page header is not its own, and, where the store kept the checksum recorded
 * at archive time (S3 user metadata), a single flipped byte anywhere. Each refusal is one stderr line naming
 * the object, exit 1, and nothing at all in the destination directory.
 */
class WalRestoreVerificationIT {
  private static final String ACCESS_KEY = "verify-access";
  private static final String SECRET_KEY = "verify-Secret-Key";
  private static final String WAL = "00000001000000000000002C";
  private static final String KEY = "pg/wals/0000000100000000/" + WAL;

  private static S3Proxy proxy;

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
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
  }

  /** A 16 MiB segment named {@link #WAL}: its first page header, then some noise and zeros. */
  private Path segment() throws IOException {
    byte[] data = new byte[16 << 20];
    byte[] noise = new byte[1 << 20];
    new Random(44).nextBytes(noise);
    System.arraycopy(noise, 0, data, 8192, noise.length);
    byte[] header = WalSegmentHeader.of(WalFileName.parse(WAL), WalSegmentSize.DEFAULT, 42).toBytes();
    System.arraycopy(header, 0, data, 0, header.length);
    return Files.write(Files.createDirectories(tmp.resolve("pg_wal")).resolve(WAL), data);
  }

  @Test
  void onFileStoresAShortOrForeignSegmentIsRefusedAndNothingAppearsAtTheDestination() throws Exception {
    Path wal = segment();
    String url = "file://" + tmp.resolve("archive");
    ToolResult archived = run(List.of("barman-cloud-wal-archive", url, "pg", wal.toString()));
    assertThat(archived.exitCode()).as(archived.stderr()).isZero();
    Path stored = tmp.resolve("archive").resolve(KEY);
    byte[] original = Files.readAllBytes(wal);

    // A valid segment restores.
    Path restoreDir = Files.createDirectories(tmp.resolve("restore"));
    Path dest = restoreDir.resolve("RECOVERYXLOG");
    ToolResult ok = run(List.of("barman-cloud-wal-restore", url, "pg", WAL, dest.toString()));
    assertThat(ok.exitCode()).as(ok.stderr()).isZero();
    assertThat(Files.mismatch(wal, dest)).isEqualTo(-1);
    Files.delete(dest);

    Files.write(stored, Arrays.copyOf(original, 100));
    assertRefused(url, restoreDir, "100 bytes");

    byte[] flipped = original.clone();
    flipped[9] ^= 0x04; // in xlp_pageaddr: the header of another segment
    Files.write(stored, flipped);
    assertRefused(url, restoreDir, "not a valid WAL segment");

    // Compressed, the same checks apply to the decompressed bytes.
    Files.delete(stored);
    Path gz = stored.resolveSibling(WAL + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(original, 0, 100);
    }
    assertRefused(url, restoreDir, "100 bytes");
  }

  @Test
  void onS3AFlippedByteAnywhereIsCaughtByTheChecksumRecordedWhenArchived() throws Exception {
    Path wal = segment();
    String url = "s3://verify/barman";
    ToolResult archived = run(List.of("barman-cloud-wal-archive", "--endpoint-url", endpoint(), url, "pg",
        wal.toString()));
    assertThat(archived.exitCode()).as(archived.stderr()).isZero();
    Path restoreDir = Files.createDirectories(tmp.resolve("restore"));
    Path dest = restoreDir.resolve("RECOVERYXLOG");
    ToolResult ok = run(List.of("barman-cloud-wal-restore", "--endpoint-url", endpoint(), url, "pg", WAL,
        dest.toString()));
    assertThat(ok.exitCode()).as(ok.stderr()).isZero();
    assertThat(Files.mismatch(wal, dest)).isEqualTo(-1);
    Files.delete(dest);

    try (StorageBackend s3 = s3()) {
      Map<String, String> metadata = s3.stat(KEY).orElseThrow().metadata();
      assertThat(metadata).containsKey("wal_crc32c");
      byte[] bytes;
      try (InputStream in = s3.read(KEY, ByteRange.ALL)) {
        bytes = in.readAllBytes();
      }
      bytes[bytes.length / 2 + 3] ^= 0x01; // deep inside: no header or size check can see it
      s3.delete(KEY);
      s3.put(KEY, bytes, PutOptions.DEFAULT.withMetadata(metadata));
    }
    ToolResult refused = run(List.of("barman-cloud-wal-restore", "--endpoint-url", endpoint(), url, "pg", WAL,
        dest.toString()));
    assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(1);
    assertThat(refused.stderr().strip()).doesNotContain("\n").contains(KEY).contains("CRC-32C");
    try (Stream<Path> files = Files.list(restoreDir)) {
      assertThat(files).as("nothing at %p, no temporary file").isEmpty();
    }

    // Written by Barman's tools: no checksum, and a valid segment restores.
    try (StorageBackend s3 = s3()) {
      s3.delete(KEY);
      s3.put(KEY, Files.readAllBytes(wal), PutOptions.DEFAULT);
    }
    ToolResult barmans = run(List.of("barman-cloud-wal-restore", "--endpoint-url", endpoint(), url, "pg", WAL,
        dest.toString()));
    assertThat(barmans.exitCode()).as(barmans.stderr()).isZero();
    assertThat(Files.mismatch(wal, dest)).isEqualTo(-1);
  }

  private void assertRefused(String url, Path restoreDir, String reason) throws Exception {
    ToolResult r = run(List.of("barman-cloud-wal-restore", url, "pg", WAL,
        restoreDir.resolve("RECOVERYXLOG").toString()));
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(r.stderr().strip()).doesNotContain("\n").startsWith("ERROR: ").contains(KEY).contains(reason);
    try (Stream<Path> files = Files.list(restoreDir)) {
      assertThat(files).as("nothing at %p, no temporary file").isEmpty();
    }
  }

  private static StorageBackend s3() throws IOException {
    return StorageProviders.open("s3://verify/barman", Map.of("s3.endpoint", endpoint(), "s3.region", "us-east-1",
        "s3.access-key-id", ACCESS_KEY, "s3.secret-access-key", SECRET_KEY));
  }

  private static String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  private static ToolResult run(List<String> args) throws Exception {
    return ToolRun.tool(args.get(0), args.subList(1, args.size())).without(ToolRun.AWS_MACHINE_SETTINGS)
        .env(ToolRun.awsKeys(ACCESS_KEY, SECRET_KEY)).run();
  }
}
