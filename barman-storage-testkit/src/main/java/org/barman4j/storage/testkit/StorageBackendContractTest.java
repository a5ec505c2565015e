package org.barman4j.storage.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Keys;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.Upload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link StorageBackend} must pass. Extend it, implement {@link #createBackend()}, run it
 * in CI:
 *
 * <pre>{@code
 * class AcmeStorageBackendIT extends StorageBackendContractTest {
 *   @Override
 *   protected StorageBackend createBackend() throws IOException {
 *     return StorageProviders.open("acme://ci-bucket/tck-" + UUID.randomUUID(), Map.of());
 *   }
 * }
 * }</pre>
 *
 * <p>One backend serves the whole class; each test works under its own fresh key prefix {@link #dir} and
 * deletes what it wrote, so the backend may be shared with other users. Optional behaviour is gated on
 * {@link StorageBackend#capabilities()} with assumptions, so skips stay visible. Where a store cannot meet
 * one test, override that test in the subclass with a comment saying why; do not weaken it here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("storage-contract")
public abstract class StorageBackendContractTest {
  /** One mebibyte. */
  protected static final int MIB = 1 << 20;

  // Covers file-system time granularity and the clock skew of a remote store, yet catches wrong time zones.
  private static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);

  /** The backend under test, opened once per class. */
  protected StorageBackend backend;

  /** A fresh key prefix for the running test, ending in '/'. */
  protected String dir;

  /** A backend rooted at a location private to this test class (or shared: tests stay under {@link #dir}). */
  protected abstract StorageBackend createBackend() throws Exception;

  /** Bytes written by the large-object tests: must exceed the backend's part size. Override to keep CI fast. */
  protected long largeObjectSize() {
    return 12L * MIB + 17;
  }

  @BeforeAll
  final void openBackend() throws Exception {
    backend = Objects.requireNonNull(createBackend(), "createBackend() returned null");
  }

  @BeforeEach
  final void freshPrefix() {
    dir = "tck-" + UUID.randomUUID() + "/";
  }

  @AfterEach
  final void removeObjects() throws IOException {
    StorageBackends.deleteAll(backend, dir);
  }

  @AfterAll
  final void closeBackend() throws IOException {
    if (backend != null) {
      backend.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Uploads: visibility, abort, preconditions

  @Test
  public void uploadIsInvisibleUntilCommitted() throws IOException {
    String key = dir + "sub/segment";
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      writeRandom(upload.stream(), largeObjectSize(), 1);
      upload.stream().flush();
      assertThat(backend.stat(key)).as("stat before commit").isEmpty();
      assertThat(keysUnder(dir)).as("listed before commit").isEmpty();
      assertThat(backend.list(dir, ListOptions.DEFAULT.withDelimiter()).commonPrefixes())
          .as("common prefixes before commit")
          .isEmpty();
      upload.commit();
    }
    assertThat(backend.stat(key)).get().extracting(ObjectInfo::size).isEqualTo(largeObjectSize());
  }

  @Test
  public void cleaningUpAbandonedUploadsSparesCommittedObjectsAndYoungUploads() throws IOException {
    String key = dir + "kept";
    backend.put(key, utf8("committed"), PutOptions.DEFAULT);
    assertThat(backend.cleanUpAbandonedUploads(dir, Duration.ZERO)).isGreaterThanOrEqualTo(0);
    assertThat(readAll(key)).isEqualTo(utf8("committed"));
    String pending = dir + "pending";
    try (Upload upload = backend.openUpload(pending, PutOptions.DEFAULT)) {
      writeRandom(upload.stream(), largeObjectSize(), 3);
      upload.stream().flush();
      assertThat(backend.cleanUpAbandonedUploads(dir, Duration.ofDays(1))).as("an upload a moment old").isZero();
      upload.commit();
    }
    assertThat(backend.stat(pending)).get().extracting(ObjectInfo::size).isEqualTo(largeObjectSize());
    assertThatThrownBy(() -> backend.cleanUpAbandonedUploads(dir, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void closingWithoutCommitLeavesNoTrace() throws IOException {
    String key = dir + "sub/aborted";
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      writeRandom(upload.stream(), largeObjectSize(), 2);
      upload.stream().flush();
    }
    assertThat(backend.stat(key)).isEmpty();
    assertThat(keysUnder(dir)).isEmpty();
    assertThat(backend.list(dir, ListOptions.DEFAULT.withDelimiter()).commonPrefixes()).isEmpty();
    assertThatThrownBy(() -> backend.read(key, ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
  }

  @Test
  public void ifAbsentNeverOverwrites() throws IOException {
    String key = dir + "000000010000000000000001";
    backend.put(key, utf8("first"), PutOptions.ifAbsent());
    Throwable thrown = catchThrowable(() -> backend.put(key, utf8("second"), PutOptions.ifAbsent()));
    assertThat(thrown).isInstanceOf(ObjectExistsException.class).hasMessageContaining(key);
    assertThat(((ObjectExistsException) thrown).key()).isEqualTo(key);
    assertThat(readAll(key)).isEqualTo(utf8("first"));
  }

  @Test
  public void ifAbsentUploadNeverOverwrites() throws IOException {
    String key = dir + "000000010000000000000002";
    backend.put(key, utf8("first"), PutOptions.ifAbsent());
    try (Upload upload = backend.openUpload(key, PutOptions.ifAbsent())) {
      upload.stream().write(utf8("second"));
      assertThatThrownBy(upload::commit).isInstanceOf(ObjectExistsException.class).hasMessageContaining(key);
    }
    assertThat(readAll(key)).isEqualTo(utf8("first"));
  }

  @Test
  @Timeout(120)
  public void ifAbsentHasExactlyOneWinner() throws Exception {
    assumeTrue(backend.capabilities().atomicCreateIfAbsent(), "the backend declares no atomic create-if-absent");
    String key = dir + "contended";
    int writers = 8;
    CyclicBarrier barrier = new CyclicBarrier(writers);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      int writer = i;
      tasks.add(() -> {
        try (Upload upload = backend.openUpload(key, PutOptions.ifAbsent())) {
          upload.stream().write(utf8("writer-" + writer));
          barrier.await(60, TimeUnit.SECONDS); // all commits race
          try {
            upload.commit();
            return writer;
          } catch (ObjectExistsException e) {
            return -1;
          }
        }
      });
    }
    List<Integer> winners = new ArrayList<>();
    for (int result : runConcurrently(tasks)) {
      if (result >= 0) {
        winners.add(result);
      }
    }
    assertThat(winners).as("writers whose commit succeeded").hasSize(1);
    assertThat(readAll(key)).isEqualTo(utf8("writer-" + winners.get(0)));
    assertThat(keysUnder(dir)).containsExactly(key);
  }

  @Test
  public void ifAbsentUploadThatLosesLeavesTheWinnerIntact() throws IOException {
    String key = dir + "raced";
    try (Upload loser = backend.openUpload(key, PutOptions.ifAbsent())) {
      loser.stream().write(utf8("loser"));
      backend.put(key, utf8("winner"), PutOptions.ifAbsent());
      assertThatThrownBy(loser::commit).isInstanceOf(ObjectExistsException.class).hasMessageContaining(key);
    }
    assertThat(readAll(key)).isEqualTo(utf8("winner"));
    assertThat(keysUnder(dir)).containsExactly(key);
  }

  @Test
  public void overwriteReplacesContentWhenNoPrecondition() throws IOException {
    String key = dir + "backup.info";
    backend.put(key, utf8("status=STARTED"), PutOptions.DEFAULT);
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      upload.stream().write(utf8("status=DONE"));
      upload.commit();
    }
    assertThat(readAll(key)).isEqualTo(utf8("status=DONE"));
    assertThat(backend.stat(key)).get().extracting(ObjectInfo::size).isEqualTo((long) "status=DONE".length());
    backend.put(key, utf8("status=FAILED"), PutOptions.DEFAULT);
    assertThat(readAll(key)).isEqualTo(utf8("status=FAILED"));
  }

  // ---------------------------------------------------------------------------------------------------
  // Round trips

  @Test
  public void emptyObjectRoundTrips() throws IOException {
    String key = dir + "empty";
    ObjectInfo committed;
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      committed = upload.commit();
    }
    assertThat(committed.key()).isEqualTo(key);
    assertThat(committed.size()).isZero();
    assertThat(backend.stat(key)).get().extracting(ObjectInfo::size).isEqualTo(0L);
    assertThat(readAll(key)).isEmpty();
    assertThat(readRange(key, ByteRange.from(0))).isEmpty();
    assertThat(backend.list(dir, ListOptions.DEFAULT).objects()).extracting(ObjectInfo::key, ObjectInfo::size)
        .containsExactly(tuple(key, 0L));
  }

  @Test
  public void emptyPutRoundTrips() throws IOException {
    String key = dir + "empty-put";
    ObjectInfo stored = backend.put(key, new byte[0], PutOptions.DEFAULT);
    assertThat(stored.size()).isZero();
    assertThat(readAll(key)).isEmpty();
  }

  @Test
  public void unknownLengthUploadRoundTripsByteForByte() throws IOException {
    String key = dir + "base/data.tar";
    byte[] written;
    ObjectInfo committed;
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      written = writeRandom(upload.stream(), largeObjectSize(), 3);
      committed = upload.commit();
    }
    assertThat(committed.key()).isEqualTo(key);
    assertThat(committed.size()).isEqualTo(largeObjectSize());
    assertThat(backend.stat(key)).get().extracting(ObjectInfo::size).isEqualTo(largeObjectSize());
    try (InputStream in = backend.read(key, ByteRange.ALL)) {
      Digested read = digest(in);
      assertThat(read.size()).isEqualTo(largeObjectSize());
      assertThat(read.sha256()).as("SHA-256 of what was read back").isEqualTo(written);
    }
  }

  @Test
  public void putFastPathMatchesUpload() throws IOException {
    byte[] content = randomBytes(200_003, 4);
    ObjectInfo put = backend.put(dir + "put", content, PutOptions.DEFAULT);
    try (Upload upload = backend.openUpload(dir + "upload", PutOptions.DEFAULT)) {
      upload.stream().write(content);
      upload.commit();
    }
    assertThat(put.key()).isEqualTo(dir + "put");
    assertThat(put.size()).isEqualTo(content.length);
    assertThat(readAll(dir + "put")).isEqualTo(content).isEqualTo(readAll(dir + "upload"));
    assertThat(backend.stat(dir + "put").orElseThrow().size())
        .isEqualTo(backend.stat(dir + "upload").orElseThrow().size());
  }

  @Test
  public void putCopiesTheCallersArray() throws IOException {
    byte[] content = utf8("original");
    backend.put(dir + "copied", content, PutOptions.DEFAULT);
    content[0] = 'X';
    assertThat(readAll(dir + "copied")).isEqualTo(utf8("original"));
  }

  @Test
  public void closingTheStreamOnlyFlushes() throws IOException {
    String key = dir + "compressed.gz";
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      OutputStream out = upload.stream();
      out.write(utf8("abc"));
      out.close(); // as a wrapping GZIPOutputStream does
      assertThat(backend.stat(key)).as("visible after closing the stream").isEmpty();
      upload.commit();
    }
    assertThat(readAll(key)).isEqualTo(utf8("abc"));
  }

  @Test
  public void readStreamSeesOneVersionDespiteLaterOverwrite() throws IOException {
    String key = dir + "versioned";
    byte[] first = randomBytes(256 * 1024, 5);
    byte[] second = randomBytes(256 * 1024, 6);
    backend.put(key, first, PutOptions.DEFAULT);
    try (InputStream in = backend.read(key, ByteRange.ALL)) {
      int head = in.read();
      backend.put(key, second, PutOptions.DEFAULT);
      byte[] rest = in.readAllBytes();
      assertThat(head).isEqualTo(first[0] & 0xff);
      assertThat(rest).isEqualTo(Arrays.copyOfRange(first, 1, first.length));
    }
    assertThat(readAll(key)).isEqualTo(second);
  }

  // ---------------------------------------------------------------------------------------------------
  // Reads and ranges

  @Test
  public void readOfMissingKeyThrowsNoSuchObjectNamingTheKey() {
    String key = dir + "missing/000000010000000000000009";
    Throwable thrown = catchThrowable(() -> backend.read(key, ByteRange.ALL));
    assertThat(thrown).as("thrown by read() itself").isInstanceOf(NoSuchObjectException.class).hasMessageContaining(key);
    assertThat(((NoSuchObjectException) thrown).key()).isEqualTo(key);
  }

  @Test
  public void rangedReadOfMissingKeyThrowsNoSuchObject() {
    String key = dir + "missing-range";
    assertThatThrownBy(() -> backend.read(key, ByteRange.of(10, 10)))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining(key);
  }

  @Test
  public void rangedReadReturnsExactBytes() throws IOException {
    String key = dir + "ranged";
    byte[] content = randomBytes(100_017, 7);
    backend.put(key, content, PutOptions.DEFAULT);
    assertRange(key, content, 0, 1);
    assertRange(key, content, 0, 10);
    assertRange(key, content, 12_345, 54_321);
    assertRange(key, content, content.length - 1, 1);
    assertRange(key, content, 7, 0);
    assertThat(readRange(key, ByteRange.from(99_000))).isEqualTo(slice(content, 99_000, content.length - 99_000));
    assertThat(readRange(key, ByteRange.ALL)).isEqualTo(content);
  }

  @Test
  public void rangeStartingAtOrPastEndIsEmpty() throws IOException {
    String key = dir + "short";
    backend.put(key, utf8("0123456789"), PutOptions.DEFAULT);
    assertThat(readRange(key, ByteRange.from(10))).isEmpty();
    assertThat(readRange(key, ByteRange.of(10, 5))).isEmpty();
    assertThat(readRange(key, ByteRange.from(11))).isEmpty();
    assertThat(readRange(key, ByteRange.of(1_000_000, 1))).isEmpty();
  }

  @Test
  public void rangeRunningPastEndIsCut() throws IOException {
    String key = dir + "cut";
    backend.put(key, utf8("0123456789"), PutOptions.DEFAULT);
    assertThat(readRange(key, ByteRange.of(7, 100))).isEqualTo(utf8("789"));
    assertThat(readRange(key, ByteRange.of(0, Long.MAX_VALUE))).isEqualTo(utf8("0123456789"));
    assertThat(readRange(key, ByteRange.of(9, Long.MAX_VALUE))).isEqualTo(utf8("9"));
  }

  // ---------------------------------------------------------------------------------------------------
  // Stat and metadata

  @Test
  public void statOfMissingKeyIsEmpty() throws IOException {
    assertThat(backend.stat(dir + "missing")).isEmpty();
    assertThat(backend.stat(dir + "no/such/prefix/missing")).isEmpty();
  }

  @Test
  public void statOfAPrefixOfOtherKeysIsEmpty() throws IOException {
    backend.put(dir + "wals/0000000100000000/000000010000000000000001", utf8("x"), PutOptions.DEFAULT);
    assertThat(backend.stat(dir + "wals")).isEmpty();
    assertThat(backend.stat(dir + "wals/0000000100000000")).isEmpty();
    assertThatThrownBy(() -> backend.read(dir + "wals", ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
  }

  @Test
  public void statReportsSizeAndRecentLastModified() throws IOException {
    String key = dir + "stat-me";
    Instant before = Instant.now();
    backend.put(key, new byte[1234], PutOptions.DEFAULT);
    Instant after = Instant.now();
    ObjectInfo info = backend.stat(key).orElseThrow();
    assertThat(info.key()).isEqualTo(key);
    assertThat(info.size()).isEqualTo(1234);
    assertThat(info.lastModified()).isBetween(before.minus(CLOCK_TOLERANCE), after.plus(CLOCK_TOLERANCE));
  }

  @Test
  public void metadataRoundTripsWhenSupported() throws IOException {
    assumeTrue(backend.capabilities().userMetadata(), "the backend declares no user metadata");
    Map<String, String> metadata = Map.of("wal_sha256", "9f86d081884c7d659a2feaa0c55ad015", "codec", "gzip");
    backend.put(dir + "put", utf8("x"), PutOptions.DEFAULT.withMetadata(metadata));
    try (Upload upload = backend.openUpload(dir + "upload", PutOptions.ifAbsent().withMetadata(metadata))) {
      upload.stream().write(utf8("y"));
      upload.commit();
    }
    assertThat(backend.stat(dir + "put").orElseThrow().metadata()).isEqualTo(metadata);
    assertThat(backend.stat(dir + "upload").orElseThrow().metadata()).isEqualTo(metadata);
  }

  @Test
  public void metadataIsDroppedQuietlyWhenUnsupported() throws IOException {
    assumeFalse(backend.capabilities().userMetadata(), "the backend declares user metadata");
    String key = dir + "no-metadata";
    backend.put(key, utf8("x"), PutOptions.DEFAULT.withMetadata(Map.of("wal_sha256", "abc")));
    assertThat(backend.stat(key).orElseThrow().metadata()).isEmpty();
    assertThat(readAll(key)).isEqualTo(utf8("x"));
  }

  // ---------------------------------------------------------------------------------------------------
  // Listing

  @Test
  public void listingsCarryNoMetadata() throws IOException {
    String key = dir + "listed";
    backend.put(key, utf8("12345"), PutOptions.DEFAULT.withMetadata(Map.of("codec", "none")));
    List<ObjectInfo> listed = backend.list(dir, ListOptions.DEFAULT).objects();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).key()).isEqualTo(key);
    assertThat(listed.get(0).size()).isEqualTo(5);
    assertThat(listed.get(0).metadata()).isEmpty();
  }

  /**
   * The prefix is a plain string prefix: {@code a/b} matches {@code a/b-d}, {@code a/b/c} and {@code a/bc},
   * and the order is flat byte order, so {@code a/b-d} ('-' is 0x2d) comes before {@code a/b/c} ('/' is
   * 0x2f), whatever a directory walk would suggest.
   */
  @Test
  public void listIsSortedAndPrefixIsNotADirectory() throws IOException {
    for (String k : List.of("a/c", "a/bc", "ab", "a/b/c", "a/ba", "a/b-d", "a/b!", "a0", "a/b/e/f")) {
      backend.put(dir + k, utf8(k), PutOptions.DEFAULT);
    }
    assertThat(relative(keysUnder(dir + "a/b")))
        .containsExactly("a/b!", "a/b-d", "a/b/c", "a/b/e/f", "a/ba", "a/bc");
    assertThat(relative(keysUnder(dir + "a/b/"))).containsExactly("a/b/c", "a/b/e/f");
    assertThat(relative(keysUnder(dir + "a/bc"))).containsExactly("a/bc");
    assertThat(relative(keysUnder(dir)))
        .containsExactly("a/b!", "a/b-d", "a/b/c", "a/b/e/f", "a/ba", "a/bc", "a/c", "a0", "ab");
  }

  /** A key may also be the start of longer keys below it, as on every object store. */
  @Test
  public void aKeyAndKeysBelowItCoexist() throws IOException {
    backend.put(dir + "a/b", utf8("object"), PutOptions.DEFAULT);
    backend.put(dir + "a/b/c", utf8("below"), PutOptions.DEFAULT);
    assertThat(readAll(dir + "a/b")).isEqualTo(utf8("object"));
    assertThat(readAll(dir + "a/b/c")).isEqualTo(utf8("below"));
    assertThat(relative(keysUnder(dir + "a/b"))).containsExactly("a/b", "a/b/c");
    ListPage folded = backend.list(dir + "a/", ListOptions.DEFAULT.withDelimiter());
    assertThat(relative(keys(folded.objects()))).containsExactly("a/b");
    assertThat(relative(folded.commonPrefixes())).containsExactly("a/b/");
  }

  @Test
  public void listOrderIsUtf8ByteOrder() throws IOException {
    // U+1F600 is a surrogate pair in UTF-16, so String.compareTo puts it before U+E000; UTF-8 puts it after.
    List<String> names = List.of("\uD83D\uDE00", "\uE000", "\u00e9", "~", "a", "A", "0");
    for (String name : names) {
      backend.put(dir + "o/" + name, utf8(name), PutOptions.DEFAULT);
    }
    assertThat(relative(keysUnder(dir + "o/")))
        .containsExactly("o/0", "o/A", "o/a", "o/~", "o/\u00e9", "o/\uE000", "o/\uD83D\uDE00");
  }

  @Test
  public void delimitedListFoldsCommonPrefixes() throws IOException {
    for (String k : List.of("d/x1", "d/sub1/a", "d/sub1/b", "d/sub2/c/deep", "d/y", "d-other")) {
      backend.put(dir + k, utf8(k), PutOptions.DEFAULT);
    }
    ListPage page = backend.list(dir + "d/", ListOptions.DEFAULT.withDelimiter());
    assertThat(relative(keys(page.objects()))).containsExactly("d/x1", "d/y");
    assertThat(relative(page.commonPrefixes())).containsExactly("d/sub1/", "d/sub2/");
    assertThat(page.nextPageToken()).isEmpty();

    ListPage partial = backend.list(dir + "d/s", ListOptions.DEFAULT.withDelimiter());
    assertThat(partial.objects()).isEmpty();
    assertThat(relative(partial.commonPrefixes())).containsExactly("d/sub1/", "d/sub2/");

    ListPage top = backend.list(dir, ListOptions.DEFAULT.withDelimiter());
    assertThat(relative(keys(top.objects()))).containsExactly("d-other");
    assertThat(relative(top.commonPrefixes())).containsExactly("d/");
  }

  @Test
  public void deletedKeysLeaveNoCommonPrefixBehind() throws IOException {
    backend.put(dir + "d/sub/deep/x", utf8("x"), PutOptions.DEFAULT);
    backend.put(dir + "d/y", utf8("y"), PutOptions.DEFAULT);
    backend.delete(dir + "d/sub/deep/x");
    ListPage page = backend.list(dir + "d/", ListOptions.DEFAULT.withDelimiter());
    assertThat(relative(keys(page.objects()))).containsExactly("d/y");
    assertThat(page.commonPrefixes()).isEmpty();
    assertThat(relative(keysUnder(dir))).containsExactly("d/y");
  }

  @Test
  public void listPagesAreCompleteAndDisjoint() throws IOException {
    List<String> all = List.of("p/1", "p/2", "p/3/x", "p/3/y", "p/4", "p/5/z/w", "p/6");
    for (String k : all) {
      backend.put(dir + k, utf8(k), PutOptions.DEFAULT);
    }
    List<String> seen = new ArrayList<>();
    ListOptions options = ListOptions.DEFAULT.withPageSize(2);
    for (int pages = 0; ; pages++) {
      assertThat(pages).as("pages needed for %s objects", all.size()).isLessThan(all.size() + 2);
      ListPage page = backend.list(dir + "p/", options);
      assertThat(page.objects().size()).as("page size").isLessThanOrEqualTo(2);
      assertThat(page.commonPrefixes()).isEmpty();
      seen.addAll(relative(keys(page.objects())));
      if (page.nextPageToken().isEmpty()) {
        break;
      }
      options = options.withPageToken(page.nextPageToken().get());
    }
    assertThat(seen).containsExactlyElementsOf(all);
  }

  @Test
  public void delimitedListPagesAreCompleteAndDisjoint() throws IOException {
    for (String k : List.of("p/1", "p/2", "p/3/x", "p/3/y", "p/4", "p/5/z/w", "p/6")) {
      backend.put(dir + k, utf8(k), PutOptions.DEFAULT);
    }
    List<String> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    ListOptions options = ListOptions.DEFAULT.withDelimiter().withPageSize(1);
    for (int pages = 0; ; pages++) {
      assertThat(pages).as("pages needed for 6 entries").isLessThan(8);
      ListPage page = backend.list(dir + "p/", options);
      assertThat(page.objects().size() + page.commonPrefixes().size()).as("entries in a page").isLessThanOrEqualTo(1);
      objects.addAll(relative(keys(page.objects())));
      prefixes.addAll(relative(page.commonPrefixes()));
      if (page.nextPageToken().isEmpty()) {
        break;
      }
      options = options.withPageToken(page.nextPageToken().get());
    }
    assertThat(objects).containsExactly("p/1", "p/2", "p/4", "p/6");
    assertThat(prefixes).containsExactly("p/3/", "p/5/");
  }

  @Test
  public void listOfAPrefixWithNoObjectsIsEmpty() throws IOException {
    for (ListOptions options : List.of(ListOptions.DEFAULT, ListOptions.DEFAULT.withDelimiter())) {
      ListPage page = backend.list(dir, options);
      assertThat(page.objects()).isEmpty();
      assertThat(page.commonPrefixes()).isEmpty();
      assertThat(page.nextPageToken()).isEmpty();
    }
    backend.put(dir + "present", utf8("x"), PutOptions.DEFAULT);
    assertThat(keysUnder(dir + "absent")).isEmpty();
    assertThat(keysUnder(dir + "present/")).isEmpty();
    assertThat(keysUnder(dir + "presentx")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------
  // Deletes

  @Test
  public void deleteRemovesTheObject() throws IOException {
    String key = dir + "doomed/x";
    backend.put(key, utf8("x"), PutOptions.DEFAULT);
    backend.delete(key);
    assertThat(backend.stat(key)).isEmpty();
    assertThat(keysUnder(dir)).isEmpty();
    assertThatThrownBy(() -> backend.read(key, ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
    backend.put(key, utf8("again"), PutOptions.ifAbsent());
    assertThat(readAll(key)).isEqualTo(utf8("again"));
  }

  @Test
  public void syncOfAStoredObjectSucceedsAndChangesNothing() throws IOException {
    String key = dir + "synced";
    backend.put(key, utf8("durable"), PutOptions.ifAbsent());
    backend.sync(key);
    assertThat(readAll(key)).isEqualTo(utf8("durable"));
    assertThatThrownBy(() -> backend.sync("/" + key)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void deleteOfMissingKeySucceeds() throws IOException {
    backend.delete(dir + "never-written");
    backend.delete(dir + "no/such/prefix/never-written");
    backend.put(dir + "a/b", utf8("x"), PutOptions.DEFAULT);
    backend.delete(dir + "a"); // a prefix of a key, not a key
    assertThat(relative(keysUnder(dir))).containsExactly("a/b");
  }

  @Test
  public void deleteBatchRemovesExactlyTheGivenKeys() throws IOException {
    int batch = Math.min(backend.capabilities().maxDeleteBatch(), 32);
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 2 * batch; i++) {
      String key = dir + String.format("b/%03d", i);
      backend.put(key, utf8(key), PutOptions.DEFAULT);
      all.add(key);
    }
    List<String> doomed = new ArrayList<>();
    for (int i = 0; i < batch - 1; i++) {
      doomed.add(all.get(2 * i));
    }
    doomed.add(dir + "b/missing"); // ignored
    backend.deleteBatch(doomed);
    List<String> survivors = new ArrayList<>(all);
    survivors.removeAll(doomed);
    assertThat(keysUnder(dir)).containsExactlyElementsOf(survivors);
  }

  @Test
  public void emptyDeleteBatchSucceeds() throws IOException {
    backend.deleteBatch(List.of());
  }

  @Test
  public void deleteBatchRejectsMoreKeysThanItsLimit() {
    int max = backend.capabilities().maxDeleteBatch();
    assumeTrue(max < 100_000, "the batch limit is too large to exceed in a test");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      keys.add(dir + "missing-" + i);
    }
    assertThatThrownBy(() -> backend.deleteBatch(keys)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------------------
  // Keys

  @Test
  public void unusualKeysRoundTrip() throws IOException {
    List<String> names = List.of(
        "with space", "plus+sign", "percent%20encoded", "equals=sign", "hash#tag", "question?mark",
        "amp&ersand", "tilde~", "colon:x", "quote'single", "star*", "brackets[1]", "comma,semi;",
        "caf\u00e9/\u00fc", "\u65e5\u672c\u8a9e", ".hidden/x", "x.tar.gz", "a..b", "long/" + "s".repeat(200));
    List<String> keys = new ArrayList<>();
    for (String name : names) {
      String key = dir + name;
      backend.put(key, utf8(key), PutOptions.DEFAULT);
      keys.add(key);
    }
    for (String key : keys) {
      assertThat(backend.stat(key)).as("stat of '%s'", key).get().extracting(ObjectInfo::size)
          .isEqualTo((long) utf8(key).length);
      assertThat(readAll(key)).as("content of '%s'", key).isEqualTo(utf8(key));
      assertThat(keysUnder(key)).as("listing of prefix '%s'", key).containsExactly(key);
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(Keys.UTF8_ORDER);
    assertThat(keysUnder(dir)).containsExactlyElementsOf(sorted);
    for (String key : keys) {
      backend.delete(key);
    }
    assertThat(keysUnder(dir)).isEmpty();
  }

  @Test
  public void invalidKeysAreRejected() throws IOException {
    List<String> invalid = List.of(
        "/" + dir + "x", dir + "a//b", dir + "a/../b", dir + "x/", "", dir + "a/./b", dir + "..", dir + "x.",
        dir + "a\nb", ".", "..");
    for (String key : invalid) {
      assertThatThrownBy(() -> backend.stat(key)).as("stat '%s'", key).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> backend.read(key, ByteRange.ALL)).as("read '%s'", key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> backend.put(key, utf8("x"), PutOptions.DEFAULT)).as("put '%s'", key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> backend.openUpload(key, PutOptions.DEFAULT).close()).as("openUpload '%s'", key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> backend.delete(key)).as("delete '%s'", key)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(keysUnder(dir)).isEmpty();
  }

  @Test
  public void invalidPrefixesAreRejected() {
    for (String prefix : List.of("/" + dir, dir + "a//", dir + "../x", dir + "./x")) {
      assertThatThrownBy(() -> backend.list(prefix, ListOptions.DEFAULT)).as("list '%s'", prefix)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Upload life cycle

  @Test
  public void streamsFailAfterCommitOrClose() throws IOException {
    String key = dir + "committed";
    OutputStream afterCommit;
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      afterCommit = upload.stream();
      afterCommit.write(1);
      upload.commit();
      assertThat(catchThrowable(() -> {
        afterCommit.write(2);
        afterCommit.flush();
      })).as("write after commit").isInstanceOfAny(IOException.class, IllegalStateException.class);
    }
    Upload aborted = backend.openUpload(dir + "aborted", PutOptions.DEFAULT);
    OutputStream afterClose = aborted.stream();
    aborted.close();
    assertThat(catchThrowable(() -> {
      afterClose.write(3);
      afterClose.flush();
    })).as("write after close").isInstanceOfAny(IOException.class, IllegalStateException.class);
    assertThat(readAll(key)).containsExactly(1);
    assertThat(keysUnder(dir)).containsExactly(key);
  }

  @Test
  public void closingTheStreamRefusesWritesButNeitherCommitsNorAborts() throws IOException {
    String key = dir + "stream-closed";
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      OutputStream out = upload.stream();
      out.write(utf8("kept"));
      out.close();
      assertThat(catchThrowable(() -> out.write(utf8("late")))).as("write after the stream's close")
          .isInstanceOf(IOException.class);
      assertThat(backend.stat(key)).as("visible before commit").isEmpty();
      upload.commit();
    }
    assertThat(readAll(key)).isEqualTo(utf8("kept"));
  }

  @Test
  public void secondCommitFails() throws IOException {
    String key = dir + "once";
    try (Upload upload = backend.openUpload(key, PutOptions.DEFAULT)) {
      upload.stream().write(utf8("once"));
      upload.commit();
      assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);
    }
    assertThat(readAll(key)).isEqualTo(utf8("once"));
  }

  @Test
  public void commitAfterCloseFails() throws IOException {
    String key = dir + "closed";
    Upload upload = backend.openUpload(key, PutOptions.DEFAULT);
    upload.stream().write(utf8("never"));
    upload.close();
    upload.close(); // idempotent
    assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);
    assertThat(backend.stat(key)).isEmpty();
  }

  @Test
  public void checkSucceedsOnHealthyBackend() throws IOException {
    backend.check();
  }

  @Test
  @Timeout(120)
  public void concurrentUploadsOfDifferentKeysAllLand() throws Exception {
    int writers = 8;
    int perWriter = 6;
    List<Callable<List<String>>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      tasks.add(() -> {
        List<String> written = new ArrayList<>();
        for (int j = 0; j < perWriter; j++) {
          // Writers share parent prefixes, to race on whatever a backend creates for them.
          String key = dir + "c/" + (j % 3) + "/" + writer + "-" + j;
          try (Upload upload = backend.openUpload(key, PutOptions.ifAbsent())) {
            upload.stream().write(utf8(key));
            upload.commit();
          }
          written.add(key);
        }
        return written;
      });
    }
    List<String> expected = new ArrayList<>();
    for (List<String> written : runConcurrently(tasks)) {
      expected.addAll(written);
    }
    expected.sort(Keys.UTF8_ORDER);
    assertThat(keysUnder(dir)).containsExactlyElementsOf(expected);
    for (String key : expected) {
      assertThat(readAll(key)).as(key).isEqualTo(utf8(key));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Helpers for this class and subclasses

  /** The UTF-8 bytes of {@code text}. */
  protected static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  /** The whole content of {@code key}. */
  protected byte[] readAll(String key) throws IOException {
    return readRange(key, ByteRange.ALL);
  }

  /** The bytes of {@code key} within {@code range}. */
  protected byte[] readRange(String key, ByteRange range) throws IOException {
    try (InputStream in = backend.read(key, range)) {
      return in.readAllBytes();
    }
  }

  /** Every key under {@code prefix}, across pages, in listing order. */
  protected List<String> keysUnder(String prefix) throws IOException {
    return keys(StorageBackends.listAll(backend, prefix));
  }

  /** {@code length} pseudo-random bytes, the same for the same seed. */
  protected static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /**
   * Writes {@code size} pseudo-random bytes in chunks of varying sizes (1 byte up to 1 MiB, to cross every
   * buffer boundary) and returns their SHA-256.
   */
  protected static byte[] writeRandom(OutputStream out, long size, long seed) throws IOException {
    int[] chunkSizes = {1, 7, 8191, 65_536, 65_537, MIB, 3, 131_071};
    Random random = new Random(seed);
    MessageDigest sha = sha256();
    byte[] buffer = new byte[MIB];
    long left = size;
    for (int i = 0; left > 0; i++) {
      int n = (int) Math.min(left, chunkSizes[i % chunkSizes.length]);
      random.nextBytes(buffer);
      if (n == 1) {
        out.write(buffer[0]);
      } else {
        out.write(buffer, 0, n);
      }
      sha.update(buffer, 0, n);
      left -= n;
    }
    return sha.digest();
  }

  private static List<String> keys(List<ObjectInfo> objects) {
    List<String> keys = new ArrayList<>();
    objects.forEach(o -> keys.add(o.key()));
    return keys;
  }

  private List<String> relative(List<String> keys) {
    List<String> relative = new ArrayList<>();
    for (String key : keys) {
      assertThat(key).startsWith(dir);
      relative.add(key.substring(dir.length()));
    }
    return relative;
  }

  private void assertRange(String key, byte[] content, int offset, int length) throws IOException {
    assertThat(readRange(key, ByteRange.of(offset, length)))
        .as("range of %s bytes at %s", length, offset)
        .isEqualTo(slice(content, offset, length));
  }

  private static byte[] slice(byte[] content, int offset, int length) {
    return Arrays.copyOfRange(content, offset, offset + length);
  }

  private record Digested(long size, byte[] sha256) {}

  private static Digested digest(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[64 * 1024];
    long size = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      sha.update(buffer, 0, n);
      size += n;
    }
    return new Digested(size, sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(100, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
