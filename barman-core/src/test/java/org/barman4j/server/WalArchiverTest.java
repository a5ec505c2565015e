package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.server.WalArchiveReport.Outcome;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalArchiverTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T18:30:05Z"), ZoneOffset.UTC);

  @TempDir Path home;

  private ServerDirectories dirs() {
    return ServerDirectories.of(home, "pg");
  }

  static WalArchiver.Settings incoming(String compression, int batch) {
    return new WalArchiver.Settings(true, false, batch, 0, compression);
  }

  /** A segment-like file: a page of pseudo-random bytes (seeded by name) followed by zeros. */
  static byte[] segment(String name, int size) {
    byte[] data = new byte[size];
    byte[] head = new byte[Math.min(size, 8192)];
    new Random(name.hashCode()).nextBytes(head);
    System.arraycopy(head, 0, data, 0, head.length);
    return data;
  }

  static Path queue(Path directory, String name, byte[] content) throws Exception {
    Files.createDirectories(directory);
    Path file = directory.resolve(name);
    Files.write(file, content);
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1796296067, 123_456_789)));
    return file;
  }

  static byte[] read(Path stored) throws Exception {
    byte[] head;
    try (InputStream in = Files.newInputStream(stored)) {
      head = in.readNBytes(16);
    }
    Compression codec = Compression.fromMagic(head).orElse(Compression.NONE);
    try (InputStream in = codec.decompress(Files.newInputStream(stored))) {
      return in.readAllBytes();
    }
  }

  static byte[] compress(Compression codec, byte[] data) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = codec.compress(bytes, CompressionLevel.MEDIUM)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void archivesCompressesCataloguesAndOnlyThenRemovesTheSource() throws Exception {
    ServerDirectories d = dirs();
    byte[] one = segment("1", 1 << 20);
    byte[] history = "1\t0/3000000\tno recovery target specified\n".getBytes();
    queue(d.incoming(), "000000010000000000000002", one);
    queue(d.incoming(), "000000010000000000000001.partial", one);
    queue(d.incoming(), "000000010000000000000002.00000028.backup", "START WAL LOCATION".getBytes());
    queue(d.incoming(), "00000002.history", history);

    WalArchiveReport report = new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();

    assertThat(report.failure()).isEmpty();
    assertThat(report.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactly(
        "Processing xlog segments from file archival for pg",
        "\t000000010000000000000001.partial",
        "\t000000010000000000000002",
        "\t000000010000000000000002.00000028.backup",
        "\t00000002.history");
    try (var left = Files.list(d.incoming())) {
      assertThat(left).isEmpty();
    }
    Path stored = d.wals().resolve("0000000100000000/000000010000000000000002");
    assertThat(Files.readAllBytes(stored)).startsWith(0x1f, 0x8b, 0x08);
    assertThat(read(stored)).isEqualTo(one);
    // .history files too are compressed by Barman 3.4, at the top of wals/
    assertThat(read(d.wals().resolve("00000002.history"))).isEqualTo(history);
    assertThat(Files.readAllBytes(d.wals().resolve("00000002.history"))).startsWith(0x1f, 0x8b, 0x08);
    List<XlogDbEntry> entries = new XlogDb(d).read();
    assertThat(entries).extracting(XlogDbEntry::name).containsExactly("000000010000000000000001.partial",
        "000000010000000000000002", "000000010000000000000002.00000028.backup", "00000002.history");
    assertThat(entries).allSatisfy(e -> {
      assertThat(e.compression()).isEqualTo("gzip");
      assertThat(e.time()).isEqualTo(1796296067.1234567);
    });
    assertThat(entries.get(1).size()).isEqualTo(Files.size(stored));
    assertThat(Files.getLastModifiedTime(stored).toInstant()).isEqualTo(Instant.ofEpochSecond(1796296067, 123_456_789));
    try (var tree = Files.walk(d.wals())) {
      assertThat(tree.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void everyCodecBarmanNamesIsRecordedUnderItsName() throws Exception {
    for (String name : List.of("bzip2", "pigz", "pygzip", "pybzip2", "xz", "zstd", "lz4", "snappy", "")) {
      ServerDirectories d = new ServerDirectories("pg", home.resolve(name.isEmpty() ? "none" : name), home);
      byte[] data = segment(name, 65536);
      queue(d.incoming(), "000000010000000000000003", data);
      assertThat(new WalArchiver(d, incoming(name, 0), CLOCK).archive().failure()).isEmpty();
      Path stored = d.walFile(WalFileName.parse("000000010000000000000003"));
      assertThat(read(stored)).as(name).isEqualTo(data);
      assertThat(new XlogDb(d).read().get(0).compression()).as(name).isEqualTo(name);
      assertThat(new XlogDb(d).read().get(0).codec().orElseThrow()).as(name)
          .isEqualTo(Compression.fromMagic(Files.readAllBytes(stored)).orElse(Compression.NONE));
    }
  }

  @Test
  void anAlreadyCompressedFileKeepsItsCodec() throws Exception {
    ServerDirectories d = dirs();
    byte[] data = segment("x", 65536);
    byte[] bz = compress(Compression.BZIP2, data);
    queue(d.incoming(), "000000010000000000000004", bz);
    new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    Path stored = d.walFile(WalFileName.parse("000000010000000000000004"));
    assertThat(Files.readAllBytes(stored)).isEqualTo(bz);
    assertThat(new XlogDb(d).read().get(0).compression()).isEqualTo("bzip2");
  }

  @Test
  void unknownObjectsGoToErrorsWithBarmansSuffixAndTmpFilesStay() throws Exception {
    ServerDirectories d = dirs();
    queue(d.incoming(), "junk", "x".getBytes());
    queue(d.incoming(), "000000010000000000000005.tmp", "x".getBytes());
    Files.createDirectories(d.incoming().resolve("000000010000000000000006"));

    WalArchiveReport report = new WalArchiver(d, incoming("", 0), CLOCK).archive();

    assertThat(report.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactly(
        "Processing xlog segments from file archival for pg", "\tno file found",
        "Some unknown objects have been found while processing xlog segments for pg. Objects moved to errors directory:",
        "\t000000010000000000000006", "\tjunk");
    assertThat(d.errors().resolve("junk.20261203T183005Z.unknown")).exists();
    assertThat(d.errors().resolve("000000010000000000000006.20261203T183005Z.unknown")).isDirectory();
    assertThat(d.incoming().resolve("000000010000000000000005.tmp")).exists();
    assertThat(report.consoleLines(false)).extracting(ServerMessage::consoleText).doesNotContain("\tno file found");
  }

  @Test
  void anIdenticalDuplicateIsDroppedADifferentOneGoesToErrorsAndTheArchiveIsNeverOverwritten() throws Exception {
    ServerDirectories d = dirs();
    byte[] data = segment("7", 65536);
    queue(d.incoming(), "000000010000000000000007", data);
    new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    Path stored = d.walFile(WalFileName.parse("000000010000000000000007"));
    byte[] archived = Files.readAllBytes(stored);

    // the same content, uncompressed or compressed with another codec: dropped silently
    queue(d.incoming(), "000000010000000000000007", data);
    WalArchiveReport same = new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    assertThat(same.queues().get(0).files().get(0).outcome()).isEqualTo(Outcome.DUPLICATE_DROPPED);
    queue(d.incoming(), "000000010000000000000007", compress(Compression.BZIP2, data));
    new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    assertThat(d.incoming().resolve("000000010000000000000007")).doesNotExist();

    byte[] other = data.clone();
    other[100] ^= 1;
    queue(d.incoming(), "000000010000000000000007", other);
    WalArchiveReport different = new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    assertThat(different.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactly(
        "Processing xlog segments from file archival for pg", "\t000000010000000000000007",
        "\tError: 000000010000000000000007 is already present in server pg. File moved to errors directory.");
    assertThat(Files.readAllBytes(d.errors().resolve("000000010000000000000007.20261203T183005Z.duplicate")))
        .isEqualTo(other);
    assertThat(Files.readAllBytes(stored)).isEqualTo(archived);
    assertThat(new XlogDb(d).read()).hasSize(1);
    assertThat(d.incoming().resolve("000000010000000000000007")).doesNotExist();

    // a second different copy within the same second does not overwrite the first one in errors/
    queue(d.incoming(), "000000010000000000000007", other);
    new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    assertThat(d.errors().resolve("000000010000000000000007.20261203T183005Z.duplicate.1")).exists();
  }

  @Test
  void anUncompressedDuplicateWithTheSameSizeAndTimeIsComparedByContent() throws Exception {
    ServerDirectories d = dirs();
    byte[] data = segment("u", 65536);
    queue(d.incoming(), "000000010000000000000008", data);
    new WalArchiver(d, incoming("", 0), CLOCK).archive();
    byte[] other = data.clone();
    other[7] ^= 1;
    queue(d.incoming(), "000000010000000000000008", other); // same size, same mtime
    WalArchiveReport report = new WalArchiver(d, incoming("", 0), CLOCK).archive();
    assertThat(report.queues().get(0).files().get(0).outcome()).isEqualTo(Outcome.DUPLICATE_MOVED);
    assertThat(Files.readAllBytes(d.walFile(WalFileName.parse("000000010000000000000008")))).isEqualTo(data);
  }

  @Test
  void aTemporaryFileLeftByAKilledRunIsReplaced() throws Exception {
    ServerDirectories d = dirs();
    byte[] data = segment("k", 65536);
    queue(d.incoming(), "000000010000000000000009", data);
    Path stale = d.wals().resolve("0000000100000000/000000010000000000000009.tmp");
    Files.createDirectories(stale.getParent());
    Files.write(stale, "half".getBytes());
    assertThat(new WalArchiver(d, incoming("gzip", 0), CLOCK).archive().failure()).isEmpty();
    assertThat(read(d.walFile(WalFileName.parse("000000010000000000000009")))).isEqualTo(data);
    assertThat(stale).doesNotExist();
  }

  @Test
  void theBatchSizeLimitsOneRun() throws Exception {
    ServerDirectories d = dirs();
    for (int i = 1; i <= 5; i++) {
      queue(d.incoming(), String.format("0000000100000000000000%02X", i), segment("b" + i, 4096));
    }
    WalArchiveReport first = new WalArchiver(d, incoming("", 2), CLOCK).archive();
    assertThat(first.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactly(
        "Processing xlog segments from file archival for pg (batch size: 2)",
        "\t000000010000000000000001", "\t000000010000000000000002");
    assertThat(new XlogDb(d).read()).extracting(XlogDbEntry::name)
        .containsExactly("000000010000000000000001", "000000010000000000000002");
    new WalArchiver(d, incoming("", 2), CLOCK).archive();
    WalArchiveReport last = new WalArchiver(d, incoming("", 2), CLOCK).archive();
    assertThat(last.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactly(
        "Processing xlog segments from file archival for pg", "\t000000010000000000000005");
    assertThat(new XlogDb(d).read()).hasSize(5);
  }

  @Test
  void streamingHoldsBackTheNewestPartialOrTheNewestSegmentAndIsProcessedFirst() throws Exception {
    ServerDirectories d = dirs();
    queue(d.streaming(), "000000010000000000000001", segment("s1", 4096));
    queue(d.streaming(), "000000010000000000000002", segment("s2", 4096));
    queue(d.incoming(), "000000010000000000000003", segment("s3", 4096));
    WalArchiver archiver = new WalArchiver(d, new WalArchiver.Settings(true, true, 0, 0, "gzip"), CLOCK);

    WalArchiveReport report = archiver.archive();
    assertThat(report.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactly(
        "Processing xlog segments from streaming for pg", "\t000000010000000000000001",
        "Processing xlog segments from file archival for pg", "\t000000010000000000000003");
    assertThat(d.streaming().resolve("000000010000000000000002")).exists();

    queue(d.streaming(), "000000010000000000000003.partial", segment("p3", 4096));
    queue(d.streaming(), "000000010000000000000004.partial", segment("p4", 4096));
    archiver.archive();
    assertThat(d.walFile(WalFileName.parse("000000010000000000000002"))).exists();
    assertThat(d.walFile(WalFileName.parse("000000010000000000000003.partial"))).exists();
    assertThat(d.streaming().resolve("000000010000000000000004.partial")).exists();
  }

  @Test
  void aSecondArchiverSaysAlreadyRunning() throws Exception {
    ServerDirectories d = dirs();
    queue(d.incoming(), "000000010000000000000001", segment("l", 4096));
    try (ServerLock held = ServerLock.tryAcquire(d.archiveWalLock()).orElseThrow()) {
      WalArchiveReport report = new WalArchiver(d, incoming("", 0), CLOCK).archive();
      assertThat(report.alreadyRunning()).isTrue();
      assertThat(report.consoleLines(true)).extracting(ServerMessage::consoleText).containsExactly(
          "Another archive-wal process is already running on server pg. Skipping to the next server");
    }
    assertThat(d.incoming().resolve("000000010000000000000001")).exists();
    assertThat(new WalArchiver(d, incoming("", 0), CLOCK).archive().alreadyRunning()).isFalse();
  }

  @Test
  void filesCompressedInParallelAreCataloguedInNameOrder() throws Exception {
    ServerDirectories d = dirs();
    List<String> names = new java.util.ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      String name = String.format("0000000100000000000000%02X", i);
      names.add(name);
      queue(d.incoming(), name, segment(name, 1 << 18));
    }
    WalArchiveReport report = new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    assertThat(report.failure()).isEmpty();
    assertThat(new XlogDb(d).read()).extracting(XlogDbEntry::name).containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(read(d.walFile(WalFileName.parse(name)))).isEqualTo(segment(name, 1 << 18));
    }
    try (var left = Files.list(d.incoming()); var stored = Files.walk(d.wals())) {
      assertThat(left).isEmpty();
      assertThat(stored.map(Path::toString)).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void whenXlogDbCannotBeAppendedTheSourceStaysAndTheNextRunCataloguesTheStoredFile() throws Exception {
    ServerDirectories d = dirs();
    byte[] data = segment("d", 65536);
    queue(d.incoming(), "000000010000000000000001", data);
    queue(d.incoming(), "000000010000000000000002", data);
    Files.createDirectories(d.xlogDb()); // an xlog.db that cannot be written

    WalArchiveReport failed = new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();

    assertThat(failed.failure()).map(WalArchiveReport.FileResult::name).contains("000000010000000000000001");
    assertThat(failed.consoleLines(true)).last().extracting(ServerMessage::level).isEqualTo(ServerMessage.Level.ERROR);
    assertThat(d.incoming().resolve("000000010000000000000001")).exists();
    assertThat(d.incoming().resolve("000000010000000000000002")).exists(); // the run stopped
    try (var stored = Files.walk(d.wals())) {
      assertThat(stored.map(Path::toString)).as("files compressed ahead are discarded").noneMatch(n -> n.endsWith(".tmp"));
    }

    Files.delete(d.xlogDb());
    WalArchiveReport retried = new WalArchiver(d, incoming("gzip", 0), CLOCK).archive();
    assertThat(retried.failure()).isEmpty();
    assertThat(new XlogDb(d).read()).extracting(XlogDbEntry::name, XlogDbEntry::compression).containsExactly(
        org.assertj.core.groups.Tuple.tuple("000000010000000000000001", "gzip"),
        org.assertj.core.groups.Tuple.tuple("000000010000000000000002", "gzip"));
    try (var left = Files.list(d.incoming())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void settingsComeFromTheServerConfigurationAndCustomIsRefused() {
    var config = new org.barman4j.config.ServerConfig("pg", java.util.Map.of("archiver", "on",
        "archiver_batch_size", "3", "compression", "bzip2", "streaming_archiver", "off"));
    assertThat(WalArchiver.Settings.of(config)).isEqualTo(new WalArchiver.Settings(true, false, 3, 0, "bzip2"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> incoming("custom", 0))
        .hasMessageContaining("compression 'custom' is not supported");
  }
}
