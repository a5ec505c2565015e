package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.StorageProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code barman-cloud-wal-archive} processes racing to archive the same WAL name, round after round, with
 * mixed compressions (so, mostly, different keys) and mixed content, on S3Proxy and on a {@code file://} store:
 * exactly one wins, its object stays and restores to its bytes, and the loser exits 1 naming it; with the same
 * content both succeed.
 */
class WalArchiveRaceIT {
  private static final String ACCESS_KEY = "race-access";
  private static final String SECRET_KEY = "race-Secret-Key";
  private static final String BUCKET = "race";
  private static final int SEGMENT_SIZE = 16 << 20;
  private static final int ROUNDS = 20;
  /** The flag and suffix of each compression; an empty flag archives uncompressed. */
  private static final List<String[]> COMPRESSIONS = List.of(
      new String[] {"--gzip", ".gz"}, new String[] {"--zstd", ".zst"}, new String[] {"--bzip2", ".bz2"},
      new String[] {"", ""}, new String[] {"--lz4", ".lz4"}, new String[] {"--xz", ".xz"},
      new String[] {"--snappy", ".snappy"});

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

  @Test
  void onS3RacingArchiversOfOneNameLeaveExactlyOneWinnerWhateverTheCompressions() throws Exception {
    int differentContentRounds = race("s3://" + BUCKET + "/barman", ROUNDS, WalArchiveRaceIT::s3Listing);
    assertThat(differentContentRounds).isEqualTo(16);
  }

  @Test
  void onFileStoresToo() throws Exception {
    Path root = tmp.resolve("archive");
    Lister files = prefix -> {
      Path dir = root.resolve(prefix).getParent();
      List<String> keys = new ArrayList<>();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> list = Files.list(dir)) {
          list.forEach(p -> keys.add(root.relativize(p).toString()));
        }
      }
      return keys;
    };
    int differentContentRounds = race("file://" + root, 10, files);
    assertThat(differentContentRounds).isEqualTo(8);
  }

  /** The keys under {@code prefix}'s directory, relative to the URL's path. */
  private interface Lister {
    List<String> keys(String prefix) throws IOException;
  }

  /** Runs {@code rounds} races against {@code url}; returns how many had different content. */
  private int race(String url, int rounds, Lister lister) throws Exception {
    Random random = new Random(20);
    int differentContentRounds = 0;
    for (int round = 0; round < rounds; round++) {
      String name = String.format("0000000100000000000000%02X", round + 1);
      String[] first = COMPRESSIONS.get(round % COMPRESSIONS.size());
      // Every pair of distinct compressions over the rounds, plus one round on the same key.
      String[] second = round == rounds - 1 ? first : COMPRESSIONS.get((round + 1 + round / 7) % COMPRESSIONS.size());
      boolean sameContent = round % 5 == 3;
      byte[] a = segment(name, random.nextLong());
      byte[] b = sameContent ? a : segment(name, random.nextLong());
      Path dirA = Files.createDirectories(tmp.resolve(round + "-a"));
      Path dirB = Files.createDirectories(tmp.resolve(round + "-b"));
      Files.write(dirA.resolve(name), a);
      Files.write(dirB.resolve(name), b);

      ToolRun.Running pa = start(archive(first[0], url, dirA.resolve(name)));
      ToolRun.Running pb = start(archive(second[0], url, dirB.resolve(name)));
      ToolResult ra = pa.finish();
      ToolResult rb = pb.finish();
      String context = "round " + round + " (" + first[0] + " vs " + second[0] + "): A=" + ra + " B=" + rb;

      String prefix = "pg/wals/0000000100000000/" + name;
      List<String> variants = new ArrayList<>();
      for (String key : lister.keys(prefix)) {
        if (key.equals(prefix) || COMPRESSIONS.stream().anyMatch(c -> !c[1].isEmpty() && key.equals(prefix + c[1]))) {
          variants.add(key);
        }
      }
      if (sameContent) {
        assertThat(ra.exitCode()).as(context).isZero();
        assertThat(rb.exitCode()).as(context).isZero();
        assertThat(restore(url, name, tmp.resolve(round + "-restored"), context)).as(context).isEqualTo(a);
        continue;
      }
      differentContentRounds++;
      assertThat(List.of(ra.exitCode(),
          rb.exitCode())).as(context + ", stored: " + variants).containsExactlyInAnyOrder(0, 1);
      byte[] restored = restore(url, name, tmp.resolve(round + "-restored"), context);
      boolean aWon = ra.exitCode() == 0;
      String winnerKey = prefix + (aWon ? first : second)[1];
      ToolResult loser = aWon ? rb : ra;
      assertThat(variants).as(context).containsExactly(winnerKey);
      assertThat(loser.stderr().strip()).as(context).doesNotContain("\n").contains(winnerKey);
      assertThat(Arrays.equals(restored, aWon ? a : b)).as(context + ": the stored bytes are the winner's").isTrue();
    }
    return differentContentRounds;
  }

  /**
   * A compressible segment with a valid first page header for {@code name} (16 MiB segments), some random
   * pages (so that two seeds differ everywhere a reader might look) and zeros.
   */
  private static byte[] segment(String name, long seed) {
    byte[] data = new byte[SEGMENT_SIZE];
    Random random = new Random(seed);
    for (int page = 1; page < 48; page++) {
      byte[] chunk = new byte[2048];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, data, page * 8192 + 24, chunk.length);
    }
    long log = Long.parseLong(name.substring(8, 16), 16);
    long seg = Long.parseLong(name.substring(16, 24), 16);
    ByteBuffer header = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    header.putShort(0, (short) 0xD110); // PostgreSQL 15
    header.putShort(2, (short) 0x0002); // XLP_LONG_HEADER
    header.putInt(4, Integer.parseInt(name.substring(0, 8), 16));
    header.putLong(8, (log << 32) + seg * SEGMENT_SIZE);
    header.putInt(16, 0);
    header.putLong(24, 7300000000000000000L + random.nextInt(1000));
    header.putInt(32, SEGMENT_SIZE);
    header.putInt(36, 8192);
    return data;
  }

  /** The keys under {@code prefix}, relative to the URL's path, through the S3 backend itself. */
  private static List<String> s3Listing(String prefix) throws IOException {
    Map<String, String> properties = Map.of("s3.endpoint", endpoint(), "s3.region", "us-east-1",
        "s3.access-key-id", ACCESS_KEY, "s3.secret-access-key", SECRET_KEY);
    try (StorageBackend backend = StorageProviders.open("s3://" + BUCKET + "/barman", properties)) {
      return StorageBackends.listAll(backend, prefix).stream().map(ObjectInfo::key).toList();
    }
  }

  private static List<String> archive(String flag, String url, Path wal) {
    List<String> args = new ArrayList<>(List.of("barman-cloud-wal-archive", "--endpoint-url", endpoint()));
    if (!flag.isEmpty()) {
      args.add(flag);
    }
    args.addAll(List.of(url, "pg", wal.toString()));
    return args;
  }

  private static byte[] restore(String url, String name, Path dest, String context) throws Exception {
    ToolResult r = start(List.of("barman-cloud-wal-restore", "--endpoint-url", endpoint(), url, "pg", name,
        dest.toString())).finish();
    assertThat(r.exitCode()).as(context + ": restore " + r).isZero();
    return Files.readAllBytes(dest);
  }

  private static String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  private static ToolRun.Running start(List<String> args) throws IOException {
    return ToolRun.tool(args.get(0), args.subList(1, args.size())).without(ToolRun.AWS_MACHINE_SETTINGS)
        .env(ToolRun.awsKeys(ACCESS_KEY, SECRET_KEY)).start();
  }
}
