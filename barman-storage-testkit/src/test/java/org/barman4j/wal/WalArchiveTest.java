package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.Upload;
import org.barman4j.storage.testkit.InMemoryStorageBackend;
import org.barman4j.wal.WalArchive.ArchiveOptions;
import org.barman4j.wal.WalArchive.Outcome;
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
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ((i * seed) ^ (i >>> 7));
    }
    return Files.write(tmp.resolve(SEGMENT), data);
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

  private static List<String> keys(InMemoryStorageBackend backend) throws IOException {
    return StorageBackends.listAll(backend, "").stream().map(ObjectInfo::key).toList();
  }

  @Test
  void archivingTheSameContentAgainReportsItAlreadyArchived() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    WalArchive archive = new WalArchive(backend, layout);
    Path wal = segment(3);
    assertThat(archive.archive(wal, with(Compression.GZIP)).outcome()).isEqualTo(Outcome.STORED);
    assertThat(archive.archive(wal, with(Compression.ZSTD)).outcome()).isEqualTo(Outcome.ALREADY_ARCHIVED);
    assertThat(keys(backend)).containsExactly(KEY + ".gz");
    backend.checkNoOpenStreams();
  }

  @Test
  void differentContentUnderAnArchivedNameIsAConflictAndNothingChanges() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    WalArchive archive = new WalArchive(backend, layout);
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
    return new StorageBackend() {
      private boolean raced;

      @Override
      public Upload openUpload(String key, PutOptions options) throws IOException {
        if (!raced) {
          raced = true;
          store.put(rivalKey, rival, PutOptions.ifAbsent());
        }
        return store.openUpload(key, options);
      }

      @Override
      public Capabilities capabilities() {
        return store.capabilities();
      }

      @Override
      public Optional<ObjectInfo> stat(String key) throws IOException {
        return store.stat(key);
      }

      @Override
      public InputStream read(String key, ByteRange range) throws IOException {
        return store.read(key, range);
      }

      @Override
      public ListPage list(String prefix, ListOptions options) throws IOException {
        return store.list(prefix, options);
      }

      @Override
      public void delete(String key) throws IOException {
        store.delete(key);
      }

      @Override
      public void check() throws IOException {
        store.check();
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  @Test
  void losingTheRaceForTheSameKeyToIdenticalContentIsASuccess() throws IOException {
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".gz", compressed(Compression.GZIP, Files.readAllBytes(wal)));
    WalArchive.ArchiveResult result = new WalArchive(racing, layout).archive(wal, with(Compression.GZIP));
    assertThat(result.outcome()).isEqualTo(Outcome.ALREADY_ARCHIVED);
    assertThat(keys(backend)).containsExactly(KEY + ".gz");
  }

  @Test
  void losingTheRaceForTheSameKeyToOtherContentIsAConflict() throws IOException {
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".gz", compressed(Compression.GZIP, new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> new WalArchive(racing, layout).archive(wal, with(Compression.GZIP)))
        .isInstanceOf(WalArchiveConflictException.class);
    assertThat(keys(backend)).containsExactly(KEY + ".gz");
  }

  @Test
  void aRivalCopyUnderAnotherSuffixWithOtherContentMakesTheNewerCopyWithdraw() throws IOException {
    Path wal = segment(3);
    byte[] rival = compressed(Compression.LZ4, new byte[] {9, 9, 9});
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".lz4", rival);
    assertThatThrownBy(() -> new WalArchive(racing, layout).archive(wal, with(Compression.GZIP)))
        .isInstanceOf(WalArchiveConflictException.class)
        .hasMessageContaining(KEY + ".lz4");
    assertThat(keys(backend)).containsExactly(KEY + ".lz4");
    assertThat(backend.read(KEY + ".lz4", ByteRange.ALL).readAllBytes()).isEqualTo(rival);
  }

  @Test
  void aRivalCopyUnderAnotherSuffixWithTheSameContentIsHarmless() throws IOException {
    Path wal = segment(3);
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    StorageBackend racing = racing(backend, KEY + ".lz4", compressed(Compression.LZ4, Files.readAllBytes(wal)));
    assertThat(new WalArchive(racing, layout).archive(wal, with(Compression.GZIP)).outcome()).isEqualTo(Outcome.STORED);
    assertThat(keys(backend)).containsExactly(KEY + ".gz", KEY + ".lz4");
  }

  @Test
  void aReadErrorWhileComparingIsNotReportedAsDifferentContent() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    WalArchive archive = new WalArchive(backend, layout);
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
    assertThatThrownBy(() -> new WalArchive(backend, layout).archive(tmp.resolve(SEGMENT), with(Compression.GZIP)))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("Cannot verify");
    assertThat(backend.read(KEY + ".gz", ByteRange.ALL).readAllBytes()).isEqualTo(truncated);
  }

  @Test
  void aFailedUploadLeavesNothingAndReportsTheKey() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    backend.failNext("commit", new org.barman4j.storage.StorageException("Cannot commit " + KEY + ": injected"));
    assertThatThrownBy(() -> new WalArchive(backend, layout).archive(segment(3), with(Compression.XZ)))
        .isInstanceOf(StorageFailureException.class).hasMessageContaining(KEY);
    assertThat(keys(backend)).isEmpty();
    backend.checkNoOpenStreams();
  }

  @Test
  void storesWithoutAtomicCreateStillArchiveAndDetectDifferentContent() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend(new Capabilities(false, false, 1, Long.MAX_VALUE));
    WalArchive archive = new WalArchive(backend, layout);
    assertThat(archive.archive(segment(3), with(Compression.NONE)).outcome()).isEqualTo(Outcome.STORED);
    assertThatThrownBy(() -> archive.archive(segment(4), with(Compression.NONE)))
        .isInstanceOf(WalArchiveConflictException.class);
  }

  @Test
  void restorePrefersTheCompleteSegmentToItsPartialCopy() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    backend.put(KEY + ".partial.gz", compressed(Compression.GZIP, new byte[] {1}), PutOptions.DEFAULT);
    backend.put(KEY + ".zst", compressed(Compression.ZSTD, new byte[] {2}), PutOptions.DEFAULT);
    WalArchive archive = new WalArchive(backend, layout);
    Path dest = tmp.resolve("RECOVERYXLOG");
    archive.restore(SEGMENT, dest, true);
    assertThat(Files.readAllBytes(dest)).containsExactly(2);

    backend.delete(KEY + ".zst");
    archive.restore(SEGMENT, dest, true);
    assertThat(Files.readAllBytes(dest)).containsExactly(1);
    assertThatThrownBy(() -> archive.restore(SEGMENT, tmp.resolve("other"), false))
        .isInstanceOf(WalNotFoundException.class).hasMessageContaining(SEGMENT);
    archive.restore(SEGMENT + ".partial", tmp.resolve("asked-for-partial"), false);
    assertThat(Files.readAllBytes(tmp.resolve("asked-for-partial"))).containsExactly(1);
  }

  @Test
  void aRestoreThatFailsHalfWayLeavesNothingAtTheDestination() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    byte[] good = compressed(Compression.GZIP, Files.readAllBytes(segment(3)));
    backend.put(KEY + ".gz", Arrays.copyOf(good, good.length - 20), PutOptions.DEFAULT);
    Path restoreDir = Files.createDirectories(tmp.resolve("pg_wal"));
    Path dest = restoreDir.resolve("RECOVERYXLOG");
    assertThatThrownBy(() -> new WalArchive(backend, layout).restore(SEGMENT, dest, true))
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
    assertThatThrownBy(() -> new WalArchive(backend, layout).restore(SEGMENT, dest, true))
        .isInstanceOf(BarmanException.class)
        .hasMessageContaining(dest.getParent().toString()).hasMessageContaining("does not exist");
  }

  @Test
  void timelineHistoryFilesUseTheirOwnTags() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    Path history = Files.writeString(tmp.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified\n");
    ArchiveOptions options = new ArchiveOptions(Compression.NONE, CompressionLevel.MEDIUM, Map.of("kind", "wal"),
        Map.of("kind", "history"));
    WalArchive.ArchiveResult result = new WalArchive(backend, layout).archive(history, options);
    assertThat(result.stored().key()).isEqualTo("srv/wals/00000002.history");
  }
}
