package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.compress.Compression;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.memory.InMemoryStorageBackend;
import org.barman4j.wal.WalArchive.ArchiveOptions;
import org.barman4j.wal.WalArchive.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PreparedWal}: compression ahead of the upload, in memory or streamed, changes nothing stored. */
class PreparedWalTest {
  private static final String SEGMENT = "000000010000000000000009";
  private static final String KEY = "srv/wals/0000000100000000/" + SEGMENT;

  @TempDir Path tmp;
  private final ServerLayout layout = new ServerLayout("srv");

  private Path segment() throws IOException {
    byte[] data = new byte[300_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ((i * 31) ^ (i >>> 9));
    }
    return Files.write(tmp.resolve(SEGMENT), data);
  }

  private static byte[] restored(InMemoryStorageBackend backend, String key, Compression compression)
      throws IOException {
    try (InputStream in = compression.decompress(backend.read(key, ByteRange.ALL))) {
      return in.readAllBytes();
    }
  }

  @Test
  void aSegmentCompressedAheadInMemoryIsStoredAsIfStreamed() throws IOException {
    Path wal = segment();
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    ArchiveOptions options = ArchiveOptions.DEFAULT.withCompression(Compression.GZIP);
    try (PreparedWal prepared = PreparedWal.start(wal, options)) {
      assertThat(new WalArchive(backend, layout.wal()).archive(prepared).outcome()).isEqualTo(Outcome.STORED);
    }
    assertThat(restored(backend, KEY + ".gz", Compression.GZIP)).isEqualTo(Files.readAllBytes(wal));
    backend.checkNoOpenStreams();
  }

  @Test
  void aFileOverTheMemoryBoundIsCompressedWhileItIsUploaded() throws IOException {
    Path wal = segment();
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    ArchiveOptions options = ArchiveOptions.DEFAULT.withCompression(Compression.ZSTD);
    try (PreparedWal prepared = PreparedWal.start(wal, options, 1024)) {
      new WalArchive(backend, layout.wal()).archive(prepared);
    }
    assertThat(restored(backend, KEY + ".zst", Compression.ZSTD)).isEqualTo(Files.readAllBytes(wal));
  }

  @Test
  void uncompressedSegmentsAreStoredByteForByte() throws IOException {
    Path wal = segment();
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    new WalArchive(backend, layout.wal()).archive(wal, ArchiveOptions.DEFAULT);
    assertThat(backend.read(KEY, ByteRange.ALL).readAllBytes()).isEqualTo(Files.readAllBytes(wal));
  }

  @Test
  void aMissingFileIsReportedWhenArchivedAndNothingIsStored() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    Path missing = tmp.resolve(SEGMENT);
    try (PreparedWal prepared = PreparedWal.start(missing, ArchiveOptions.DEFAULT)) {
      assertThatThrownBy(() -> new WalArchive(backend, layout.wal()).archive(prepared))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("WAL file not found")
          .hasMessageContaining(missing.toString());
    }
    assertThat(StorageBackends.listAll(backend, "")).isEmpty();
  }

  @Test
  void aPreparedFileThatIsNeverArchivedWritesNothing() throws IOException {
    InMemoryStorageBackend backend = new InMemoryStorageBackend();
    try (PreparedWal prepared = PreparedWal.start(segment(), ArchiveOptions.DEFAULT)) {
      assertThat(prepared.path().getFileName().toString()).isEqualTo(SEGMENT);
    }
    assertThat(StorageBackends.listAll(backend, "")).isEmpty();
  }

  @Test
  void theCompressedBytesAreHandedOverWhole() throws IOException {
    Path wal = segment();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PreparedWal prepared = PreparedWal.start(wal, ArchiveOptions.DEFAULT.withCompression(Compression.LZ4))) {
      prepared.writeTo(out);
    }
    try (InputStream in = Compression.LZ4.decompress(new java.io.ByteArrayInputStream(out.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(wal));
    }
  }
}
