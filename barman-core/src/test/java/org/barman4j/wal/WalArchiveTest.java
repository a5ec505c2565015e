package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.Upload;
import org.barman4j.storage.memory.InMemoryStorageBackend;
import org.barman4j.testing.ForwardingStorageBackend;
import org.barman4j.wal.WalArchive.ArchiveOptions;
import org.barman4j.wal.WalArchive.Outcome;
import org.barman4j.wal.WalArchive.PartialSegments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WalArchive}'s rules on the in-memory backend, including races and failures that only fault
 * injection can stage. (It lives here because barman-core cannot depend on the test kit.)
 */
class WalArchiveTest {
  private static final String SEGMENT = "000000010000000000000007";
  private static final String KEY = "srv/wals/0000000100000000/" + SEGMENT;

  @TempDir Path tmp;
  private final ServerLayout layout = new ServerLayout("srv");

  private Path segment(int seed) throws IOException {
    return Files.write(tmp.resolve(SEGMENT), segmentBytes(seed));
  }

  /** A 1 MiB segment named {@link #SEGMENT}, with a valid first page header, whose content depends on {@code seed}. */
  private static byte[] segmentBytes(int seed) {
    byte[] data = new byte[1 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ((i * seed) ^ (i >>> 7));
    }
    byte[] header =
        WalSegmentHeader.of(WalFileName.parse(SEGMENT), WalSegmentSize.ofMebibytes(1), 7_000_000_000L + seed).toBytes();
    System.arraycopy(header, 0, data, 0, header.length);
    return data;
  }

  private static ArchiveOptions with(Compression compression) {
    return ArchiveOptions.DEFAULT.withCompression(compression);
  }

  private static byte[] compressed(Compression compression, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c = compression.compress(out, CompressionLevel.MEDIUM)) {
      c.write(data);
    }
    return out.toByteArray();
  }

  /** The stored keys but the claims of WAL names. */
  private static List<String> keys(InMemoryStorageBackend backend) throws IOException {
    return allKeys(backend).stream().filter(k -> !k.endsWith(".claim")).toList();
  }

  private static List<String> allKeys(InMemoryStorageBackend backend) throws IOException {
    return StorageBackends.listAll(backend, "").stream().map(ObjectInfo::key).toList();
  }

  @Test
  void archivingTheSameContentAgainReportsItAlreadyArchived() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    WalArchive archive = new WalArchive(backend, layout.wal());
    Path wal = segment(3);
    assertThat(archive.archive(wal, with(Compression.GZIP)).outcome()).isEqualTo(Outcome.STORED);
    assertThat(archive.archive(wal, with(Compression.ZSTD)).outcome()).isEqualTo(Outcome.ALREADY_ARCHIVED);
    assertThat(keys(backend)).containsExactly(KEY + ".gz");
    backend.checkNoOpenStreams();
  }

  @Test
  void differentContentUnderAnArchivedNameIsAConflictAndNothingChanges() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    WalArchive archive = new WalArchive(backend, layout.wal());
    archive.archive(segment(3), with(Compression.NONE));
    byte[] before = backend.read(KEY, ByteRange.ALL).readAllBytes();
    Path other = segment(5);
    assertThatThrownBy(() -> archive.archive(other, with(Compression.LZ4)))
        .isInstanceOf(WalArchiveConflictException.class)
        .hasMessageContaining(SEGMENT).hasMessageContaining("different content");
    assertThat(keys(backend)).containsExactly(KEY);
    assertThat(backend.read(KEY, ByteRange.ALL).readAllBytes()).isEqualTo(before);
  }

  /** A backend on which a concurrent archiver stores {@code rival} at {@code rivalKey} just before our upload. */
  private static StorageBackend racing(InMemoryStorageBackend store, String rivalKey, byte[] rival) {
    return new ForwardingStorageBackend(store) {
      private boolean raced;

      @Override
      public Upload openUpload(String key, PutOptions options) throws IOException {
        if (!raced) {
          raced = true;
          store.put(rivalKey, rival, PutOptions.ifAbsent());
        }
        return store.openUpload(key, options);
      }

    };
  }

  @Test
  void losingTheRaceForTheSameKeyToIdenticalContentIsASuccess() throws IOException {
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".gz", compressed(Compression.GZIP, Files.readAllBytes(wal)));
    WalArchive.ArchiveResult result = new WalArchive(racing, layout.wal()).archive(wal, with(Compression.GZIP));
    assertThat(result.outcome()).isEqualTo(Outcome.ALREADY_ARCHIVED);
    assertThat(keys(backend)).containsExactly(KEY + ".gz");
  }

  @Test
  void losingTheRaceForTheSameKeyToOtherContentIsAConflict() throws IOException {
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".gz", compressed(Compression.GZIP, new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> new WalArchive(racing, layout.wal()).archive(wal, with(Compression.GZIP)))
        .isInstanceOf(WalArchiveConflictException.class);
    assertThat(keys(backend)).containsExactly(KEY + ".gz");
  }

  @Test
  void aRivalCopyUnderAnotherSuffixWithOtherContentMakesTheNewerCopyWithdraw() throws IOException {
    // The rival stored its copy first; it may have found itself alone and reported success already.
    Path wal = segment(3);
    byte[] rival = compressed(Compression.LZ4, new byte[] {9, 9, 9});
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".lz4", rival);
    assertThatThrownBy(() -> new WalArchive(racing, layout.wal()).archive(wal, with(Compression.GZIP)))
        .isInstanceOf(WalArchiveConflictException.class)
        .hasMessageContaining(KEY + ".lz4");
    assertThat(allKeys(backend)).containsExactly(KEY + ".claim", KEY + ".lz4");
    assertThat(backend.read(KEY + ".lz4", ByteRange.ALL).readAllBytes()).isEqualTo(rival);
    assertThat(new String(backend.read(KEY + ".claim", ByteRange.ALL).readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(SEGMENT + ".lz4");
  }

  @Test
  void aRetryOfALoserThatDiedBeforeWithdrawingFailsNamingTheClaimedCopyAndWithdrawsItsOwn() throws IOException {
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    new WalArchive(backend, layout.wal()).archive(wal, with(Compression.GZIP));
    byte[] loserContent = segmentBytes(9);
    backend.put(KEY + ".lz4", compressed(Compression.LZ4, loserContent), PutOptions.ifAbsent());
    backend.put(KEY + ".claim", (SEGMENT + ".gz").getBytes(StandardCharsets.UTF_8), PutOptions.ifAbsent());
    // Until withdrawn, restore takes the claimed copy, whatever the key order.
    Path dest = tmp.resolve("RECOVERYXLOG");
    new WalArchive(backend, layout.wal()).restore(SEGMENT, dest, PartialSegments.ACCEPTED);
    assertThat(Files.readAllBytes(dest)).isEqualTo(Files.readAllBytes(wal));

    Path loserWal = Files.write(Files.createDirectories(tmp.resolve("loser")).resolve(SEGMENT), loserContent);
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).archive(loserWal, with(Compression.LZ4)))
        .isInstanceOf(WalArchiveConflictException.class)
        .hasMessageContaining(KEY + ".gz");
    assertThat(allKeys(backend)).containsExactly(KEY + ".claim", KEY + ".gz");
  }

  @Test
  void withoutAClaimAnotherContentsCopyIsNeverRemoved() throws IOException {
    // A racer killed between storing its copy and looking for rivals: nothing says which copy is archived.
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    new WalArchive(backend, layout.wal()).archive(wal, with(Compression.GZIP));
    byte[] otherContent = segmentBytes(9);
    backend.put(KEY + ".lz4", compressed(Compression.LZ4, otherContent), PutOptions.ifAbsent());
    Path otherWal = Files.write(Files.createDirectories(tmp.resolve("other")).resolve(SEGMENT), otherContent);
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).archive(otherWal, with(Compression.LZ4)))
        .isInstanceOf(WalArchiveConflictException.class)
        .hasMessageContaining(KEY + ".gz");
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).archive(wal, with(Compression.GZIP)))
        .isInstanceOf(WalArchiveConflictException.class)
        .hasMessageContaining(KEY + ".lz4");
    assertThat(allKeys(backend)).containsExactly(KEY + ".gz", KEY + ".lz4");
  }

  @Test
  void aClaimNamingACopyNoLongerStoredIsReplaced() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    // Left by an earlier race on this name whose copies retention removed since.
    backend.put(KEY + ".claim", (SEGMENT + ".xz").getBytes(StandardCharsets.UTF_8), PutOptions.ifAbsent());
    byte[] rival = compressed(Compression.LZ4, segmentBytes(9));
    StorageBackend racing = racing(backend, KEY + ".lz4", rival);
    assertThatThrownBy(() -> new WalArchive(racing, layout.wal()).archive(segment(3), with(Compression.GZIP)))
        .isInstanceOf(WalArchiveConflictException.class)
        .hasMessageContaining(KEY + ".lz4");
    assertThat(new String(backend.read(KEY + ".claim", ByteRange.ALL).readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(SEGMENT + ".lz4");
    assertThat(keys(backend)).containsExactly(KEY + ".lz4");
  }

  /**
   * A backend on which uploads commit together, {@code parties} at a time: concurrent archivers all find
   * nothing stored, then all store their copy before any of them looks for the others'.
   */
  private static StorageBackend committingTogether(InMemoryStorageBackend store, int parties) {
    CyclicBarrier barrier = new CyclicBarrier(parties);
    return new ForwardingStorageBackend(store) {
      @Override
      public Upload openUpload(String key, PutOptions options) throws IOException {
        Upload upload = store.openUpload(key, options);
        return new Upload() {
          @Override
          public OutputStream stream() {
            return upload.stream();
          }

          @Override
          public ObjectInfo commit() throws IOException {
            await(); // every racer has found nothing stored and is about to commit
            ObjectInfo info = upload.commit();
            await(); // every racer's copy is stored before any looks for the others'
            return info;
          }

          private void await() throws IOException {
            try {
              barrier.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
              throw new IOException(e);
            }
          }

          @Override
          public void close() throws IOException {
            upload.close();
          }
        };
      }

      @Override
      public ObjectInfo put(String key, byte[] content, PutOptions options) throws IOException {
        return store.put(key, content, options);
      }
    };
  }

  private static List<Future<WalArchive.ArchiveResult>> race(List<Callable<WalArchive.ArchiveResult>> racers)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(racers.size());
    try {
      return pool.invokeAll(racers);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void archiversRacingUnderDifferentSuffixesWithOtherContentLeaveExactlyOneWinner() throws Exception {
    Compression[][] pairs = {
      {Compression.GZIP, Compression.ZSTD}, {Compression.ZSTD, Compression.GZIP}, {Compression.NONE, Compression.BZIP2},
      {Compression.LZ4, Compression.XZ}, {Compression.SNAPPY, Compression.NONE}
    };
    for (int round = 0; round < 4 * pairs.length; round++) {
      Compression[] pair = pairs[round % pairs.length];
      InMemoryStorageBackend store = new InMemoryStorageBackend();
      StorageBackend backend = committingTogether(store, 2);
      byte[][] contents = new byte[2][];
      List<Callable<WalArchive.ArchiveResult>> racers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Path dir = Files.createDirectories(tmp.resolve(round + "-" + i));
        byte[] data = segmentBytes(11 + i);
        contents[i] = data;
        Path wal = Files.write(dir.resolve(SEGMENT), data);
        Compression compression = pair[i];
        racers.add(() -> new WalArchive(backend, layout.wal()).archive(wal, with(compression)));
      }
      List<Future<WalArchive.ArchiveResult>> results = race(racers);
      int winner = -1;
      List<Throwable> failures = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        try {
          assertThat(results.get(i).get().outcome()).isEqualTo(Outcome.STORED);
          assertThat(winner).as("a single winner").isEqualTo(-1);
          winner = i;
        } catch (ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      assertThat(failures).as(Arrays.toString(pair) + ": one loser").hasSize(1);
      Throwable loserFailure = failures.get(0);
      String winnerKey = KEY + pair[winner].suffix();
      assertThat(loserFailure).isInstanceOf(WalArchiveConflictException.class).hasMessageContaining(winnerKey);
      assertThat(keys(store)).containsExactly(winnerKey);
      Path dest = tmp.resolve("restored-" + round);
      new WalArchive(store, layout.wal()).restore(SEGMENT, dest, PartialSegments.ACCEPTED);
      assertThat(Files.readAllBytes(dest)).isEqualTo(contents[winner]);
    }
  }

  @Test
  void archiversRacingUnderDifferentSuffixesWithTheSameContentBothSucceed() throws Exception {
    InMemoryStorageBackend store = new InMemoryStorageBackend();
    StorageBackend backend = committingTogether(store, 2);
    Path wal = segment(5);
    List<Future<WalArchive.ArchiveResult>> results = race(List.of(
        () -> new WalArchive(backend, layout.wal()).archive(wal, with(Compression.GZIP)),
        () -> new WalArchive(backend, layout.wal()).archive(wal, with(Compression.ZSTD))));
    List<Outcome> outcomes = List.of(results.get(0).get().outcome(), results.get(1).get().outcome());
    assertThat(outcomes).containsExactly(Outcome.STORED, Outcome.STORED);
    // Two copies of the same bytes: either restores the segment; no claim is needed.
    assertThat(allKeys(store)).containsExactly(KEY + ".gz", KEY + ".zst");
  }

  @Test
  void aRivalCopyUnderAnotherSuffixWithTheSameContentIsHarmless() throws IOException {
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".lz4", compressed(Compression.LZ4, Files.readAllBytes(wal)));
    assertThat(new WalArchive(racing, layout.wal()).archive(wal, with(Compression.GZIP)).outcome()).isEqualTo(Outcome.STORED);
    assertThat(allKeys(backend)).containsExactly(KEY + ".gz", KEY + ".lz4");
  }

  @Test
  void aReadErrorWhileComparingIsNotReportedAsDifferentContent() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    WalArchive archive = new WalArchive(backend, layout.wal());
    Path wal = segment(3);
    archive.archive(wal, with(Compression.ZSTD));
    backend.failNext("read", new SocketTimeoutException("read timed out"));
    assertThatThrownBy(() -> archive.archive(wal, with(Compression.ZSTD)))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("Cannot verify the archived copy of " + SEGMENT)
        .hasMessageContaining("read timed out")
        .hasMessageNotContaining("different content");
    assertThat(keys(backend)).containsExactly(KEY + ".zst");
  }

  @Test
  void aCorruptArchivedCopyIsNeverOverwritten() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    byte[] good = compressed(Compression.GZIP, Files.readAllBytes(segment(3)));
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    backend.put(KEY + ".gz", truncated, PutOptions.DEFAULT);
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).archive(tmp.resolve(SEGMENT), with(Compression.GZIP)))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("Cannot verify");
    assertThat(backend.read(KEY + ".gz", ByteRange.ALL).readAllBytes()).isEqualTo(truncated);
  }

  @Test
  void aFailedUploadLeavesNothingAndReportsTheKey() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    backend.failNext("commit", new org.barman4j.storage.StorageException("Cannot commit " + KEY + ": injected"));
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).archive(segment(3), with(Compression.XZ)))
        .isInstanceOf(StorageFailureException.class).hasMessageContaining(KEY);
    assertThat(keys(backend)).isEmpty();
    backend.checkNoOpenStreams();
  }

  @Test
  void storesWithoutAtomicCreateStillArchiveAndDetectDifferentContent() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend(new Capabilities(false, false, 1, Long.MAX_VALUE));
    WalArchive archive = new WalArchive(backend, layout.wal());
    assertThat(archive.archive(segment(3), with(Compression.NONE)).outcome()).isEqualTo(Outcome.STORED);
    assertThatThrownBy(() -> archive.archive(segment(4), with(Compression.NONE)))
        .isInstanceOf(WalArchiveConflictException.class);
  }

  @Test
  void restorePrefersTheCompleteSegmentToItsPartialCopy() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    backend.put(KEY + ".partial.gz", compressed(Compression.GZIP, new byte[] {1}), PutOptions.DEFAULT);
    backend.put(KEY + ".zst", compressed(Compression.ZSTD, segmentBytes(2)), PutOptions.DEFAULT);
    WalArchive archive = new WalArchive(backend, layout.wal());
    Path dest = tmp.resolve("RECOVERYXLOG");
    archive.restore(SEGMENT, dest, PartialSegments.ACCEPTED);
    assertThat(Files.readAllBytes(dest)).isEqualTo(segmentBytes(2));

    backend.delete(KEY + ".zst");
    archive.restore(SEGMENT, dest, PartialSegments.ACCEPTED);
    assertThat(Files.readAllBytes(dest)).containsExactly(1);
    assertThatThrownBy(() -> archive.restore(SEGMENT, tmp.resolve("other"), PartialSegments.REFUSED))
        .isInstanceOf(WalNotFoundException.class).hasMessageContaining(SEGMENT);
    archive.restore(SEGMENT + ".partial", tmp.resolve("asked-for-partial"), PartialSegments.REFUSED);
    assertThat(Files.readAllBytes(tmp.resolve("asked-for-partial"))).containsExactly(1);
  }

  @Test
  void aRestoreThatFailsHalfWayLeavesNothingAtTheDestination() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    byte[] good = compressed(Compression.GZIP, Files.readAllBytes(segment(3)));
    backend.put(KEY + ".gz", Arrays.copyOf(good, good.length - 20), PutOptions.DEFAULT);
    Path restoreDir = Files.createDirectories(tmp.resolve("pg_wal"));
    Path dest = restoreDir.resolve("RECOVERYXLOG");
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).restore(SEGMENT, dest, PartialSegments.ACCEPTED))
        .hasMessageContaining(KEY);
    try (Stream<Path> files = Files.list(restoreDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void restoreIntoAMissingDirectorySaysWhichDirectory() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    backend.put(KEY, new byte[] {1}, PutOptions.DEFAULT);
    Path dest = tmp.resolve("no/such/dir/RECOVERYXLOG");
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).restore(SEGMENT, dest, PartialSegments.ACCEPTED))
        .isInstanceOf(BarmanException.class)
        .hasMessageContaining(dest.getParent().toString()).hasMessageContaining("does not exist");
  }

  @Test
  void timelineHistoryFilesUseTheirOwnTags() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    Path history = Files.writeString(tmp.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified\n");
    ArchiveOptions options = new ArchiveOptions(Compression.NONE, CompressionLevel.MEDIUM, Map.of("kind", "wal"),
        Map.of("kind", "history"));
    WalArchive.ArchiveResult result = new WalArchive(backend, layout.wal()).archive(history, options);
    assertThat(result.stored().key()).isEqualTo("srv/wals/00000002.history");
  }

  /** Restoring {@link #SEGMENT} into an empty directory fails with {@code reason}, leaving the directory empty. */
  private void assertRestoreRefused(StorageBackend backend, String reason) throws IOException {
    Path restoreDir = Files.createDirectories(tmp.resolve("refused-" + System.nanoTime()));
    assertThatThrownBy(() -> new WalArchive(backend, layout.wal())
        .restore(SEGMENT, restoreDir.resolve("RECOVERYXLOG"), PartialSegments.ACCEPTED))
        .isInstanceOf(WalCorruptException.class)
        .hasMessageContaining(KEY)
        .hasMessageContaining(reason);
    try (Stream<Path> files = Files.list(restoreDir)) {
      assertThat(files).as("nothing at %p, no temporary file").isEmpty();
    }
  }

  @Test
  void aShortSegmentIsNotRestored() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    backend.put(KEY, Arrays.copyOf(segmentBytes(3), 100), PutOptions.DEFAULT);
    assertRestoreRefused(backend, "100 bytes");
    backend.delete(KEY);
    backend.put(KEY + ".gz", compressed(Compression.GZIP, Arrays.copyOf(segmentBytes(3), 512 * 1024)), PutOptions.DEFAULT);
    assertRestoreRefused(backend, "524288 bytes");
  }

  @Test
  void aFlippedByteInsideASegmentIsCaughtByTheChecksumRecordedWhenArchived() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    new WalArchive(backend, layout.wal()).archive(segment(3), with(Compression.NONE));
    Map<String, String> metadata = backend.stat(KEY).orElseThrow().metadata();
    assertThat(metadata).containsKey("wal_crc32c");
    byte[] stored = backend.read(KEY, ByteRange.ALL).readAllBytes();
    stored[stored.length / 2] ^= 0x10;
    backend.delete(KEY);
    backend.put(KEY, stored, PutOptions.DEFAULT.withMetadata(metadata));
    assertRestoreRefused(backend, "CRC-32C");
  }

  @Test
  void withoutAChecksumAHeaderForAnotherSegmentIsRefused() throws IOException {
    // As Barman's tools store it: no checksum in the metadata.
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    byte[] segment = segmentBytes(3);
    backend.put(KEY, segment, PutOptions.DEFAULT);
    Path dest = tmp.resolve("RECOVERYXLOG");
    new WalArchive(backend, layout.wal()).restore(SEGMENT, dest, PartialSegments.ACCEPTED);
    assertThat(Files.readAllBytes(dest)).isEqualTo(segment);

    byte[] flipped = segment.clone();
    flipped[10] ^= 0x01; // in xlp_pageaddr
    backend.delete(KEY);
    backend.put(KEY, flipped, PutOptions.DEFAULT);
    assertRestoreRefused(backend, "location");

    byte[] noMagic = segment.clone();
    noMagic[1] = 0x42;
    backend.delete(KEY);
    backend.put(KEY, noMagic, PutOptions.DEFAULT);
    assertRestoreRefused(backend, "WAL page header");
  }

  @Test
  void historyBackupAndPartialFilesAreRestoredWhateverTheirSize() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    WalArchive archive = new WalArchive(backend, layout.wal());
    Path dir = Files.createDirectories(tmp.resolve("pg_wal"));
    List<String> names = List.of("00000002.history", SEGMENT + ".00000028.backup", SEGMENT + ".partial");
    for (String name : names) {
      archive.archive(Files.writeString(dir.resolve(name), "short text " + name + "\n"), with(Compression.GZIP));
    }
    for (String name : names) {
      Path dest = tmp.resolve("restored-" + name);
      archive.restore(name, dest, PartialSegments.ACCEPTED);
      assertThat(Files.readString(dest)).isEqualTo("short text " + name + "\n");
    }
  }
}
