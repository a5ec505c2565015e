package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentHeader;
import org.barman4j.wal.WalSegmentSize;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two WAL commands run in-process against the local-disk backend, checked by exit code, output and files. */
class WalToolsTest {
  private static final String SEGMENT = "000000010000000000000003";

  @TempDir Path tmp;
  private Path archiveRoot;
  private String url;
  private Path pgWal;
  private String lastErr;
  private String lastOut;

  @BeforeEach
  void setUp() throws IOException {
    archiveRoot = tmp.resolve("archive");
    url = "file://" + archiveRoot;
    pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
  }

  private int run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CloudTools.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    lastOut = out.toString(StandardCharsets.UTF_8);
    lastErr = err.toString(StandardCharsets.UTF_8);
    assertThat(lastErr.lines().count()).as("stderr is at most one line: %s", lastErr).isLessThanOrEqualTo(1);
    return code;
  }

  private Path segment(String name, long seed, int size) throws IOException {
    byte[] data = new byte[size];
    Random random = new Random(seed);
    // Half random, half repetitive: like WAL, it compresses, but not to nothing.
    for (int i = 0; i < size; i += 64) {
      if ((i / 64) % 2 == 0) {
        for (int j = i; j < Math.min(size, i + 64); j++) {
          data[j] = (byte) random.nextInt(256);
        }
      } else {
        for (int j = i; j < Math.min(size, i + 64); j++) {
          data[j] = (byte) (j % 7);
        }
      }
    }
    if (name.length() == 24 && size >= WalSegmentHeader.LENGTH) {
      // A first page header as PostgreSQL writes it, for 1 MiB segments: what restore checks.
      byte[] header = WalSegmentHeader.of(WalFileName.parse(name), WalSegmentSize.ofMebibytes(1), 1).toBytes();
      System.arraycopy(header, 0, data, 0, header.length);
    }
    return Files.write(pgWal.resolve(name), data);
  }

  @ParameterizedTest
  @CsvSource({"'',''", "--gzip,.gz", "-j,.bz2", "--xz,.xz", "--zstd,.zst", "--lz4,.lz4", "--snappy,.snappy"})
  void archivedSegmentsRestoreByteForByteUnderBarmanCloudsKey(String flag, String suffix) throws IOException {
    Path wal = segment(SEGMENT, 1, 1 << 20);
    String[] archive = flag.isEmpty()
        ? new String[] {"barman-cloud-wal-archive", url, "srv", wal.toString()}
        : new String[] {"barman-cloud-wal-archive", flag, url, "srv", wal.toString()};
    assertThat(run(archive)).as(lastErr).isZero();
    assertThat(archiveRoot.resolve("srv/wals/0000000100000000/" + SEGMENT + suffix)).isRegularFile();

    Path dest = tmp.resolve("restored/RECOVERYXLOG");
    Files.createDirectories(dest.getParent());
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, dest.toString())).as(lastErr).isZero();
    assertThat(Files.mismatch(wal, dest)).isEqualTo(-1);
    try (Stream<Path> files = Files.list(dest.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(dest);
    }
  }

  @Test
  void aCorruptOrShortSegmentIsNotRestoredAndNothingAppearsAtTheDestination() throws IOException {
    Path wal = segment(SEGMENT, 1, 1 << 20);
    assertThat(run("barman-cloud-wal-archive", url, "srv", wal.toString())).as(lastErr).isZero();
    Path stored = archiveRoot.resolve("srv/wals/0000000100000000/" + SEGMENT);
    Path restoreDir = Files.createDirectories(tmp.resolve("pg_wal_restore"));
    Path dest = restoreDir.resolve("RECOVERYXLOG");

    byte[] flipped = Files.readAllBytes(wal);
    flipped[12] ^= 0x01; // xlp_pageaddr: the file's own header says it is another segment
    Files.write(stored, flipped);
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, dest.toString())).isEqualTo(1);
    assertThat(lastErr).contains("srv/wals/0000000100000000/" + SEGMENT).contains("not a valid WAL segment");
    try (Stream<Path> files = Files.list(restoreDir)) {
      assertThat(files).as("nothing at %p, no temporary file").isEmpty();
    }

    Files.write(stored, Arrays.copyOf(Files.readAllBytes(wal), 100));
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, dest.toString())).isEqualTo(1);
    assertThat(lastErr).contains("srv/wals/0000000100000000/" + SEGMENT).contains("100 bytes");
    try (Stream<Path> files = Files.list(restoreDir)) {
      assertThat(files).as("nothing at %p, no temporary file").isEmpty();
    }
  }

  @Test
  void archivingTheSameSegmentTwiceSucceeds() throws IOException {
    Path wal = segment(SEGMENT, 1, 256 * 1024);
    assertThat(run("barman-cloud-wal-archive", "--zstd", url, "srv", wal.toString())).isZero();
    assertThat(run("barman-cloud-wal-archive", "--zstd", url, "srv", wal.toString())).as(lastErr).isZero();
    // A retry with another compression finds the stored copy and does not add a second one.
    assertThat(run("barman-cloud-wal-archive", url, "srv", wal.toString())).as(lastErr).isZero();
    try (Stream<Path> files = Files.list(archiveRoot.resolve("srv/wals/0000000100000000"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(SEGMENT + ".zst");
    }
  }

  @Test
  void archivingDifferentBytesUnderAnArchivedNameFailsAndChangesNothing() throws IOException {
    Path wal = segment(SEGMENT, 1, 256 * 1024);
    assertThat(run("barman-cloud-wal-archive", "--gzip", url, "srv", wal.toString())).isZero();
    Path stored = archiveRoot.resolve("srv/wals/0000000100000000/" + SEGMENT + ".gz");
    byte[] before = Files.readAllBytes(stored);

    segment(SEGMENT, 2, 256 * 1024);
    assertThat(run("barman-cloud-wal-archive", "--gzip", url, "srv", wal.toString())).isEqualTo(1);
    assertThat(lastErr).contains(SEGMENT).contains("different content").doesNotContain("\n\n");
    assertThat(lastErr.strip().lines()).hasSize(1);
    assertThat(run("barman-cloud-wal-archive", "--lz4", url, "srv", wal.toString())).isEqualTo(1);
    assertThat(Files.readAllBytes(stored)).isEqualTo(before);
    try (Stream<Path> files = Files.list(stored.getParent())) {
      assertThat(files).containsExactly(stored);
    }
  }

  @Test
  void restoringAMissingWalExitsOneAndWritesNothing() throws IOException {
    Files.createDirectories(archiveRoot);
    Path dest = tmp.resolve("RECOVERYXLOG");
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, dest.toString())).isEqualTo(1);
    assertThat(lastErr).as("as Barman, a segment that is not archived is silent").isEmpty();
    assertThat(dest).doesNotExist();
    assertThat(run("barman-cloud-wal-restore", url, "srv", "00000002.history", dest.toString())).isEqualTo(1);
  }

  @Test
  void aMissingArchiveRootIsAStorageFailureNamingTheUrlNotAMissingWal() throws IOException {
    Path dest = tmp.resolve("RECOVERYXLOG");
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, dest.toString())).isEqualTo(2);
    assertThat(lastErr).startsWith("ERROR: Cannot restore " + SEGMENT + ": the WAL archive does not exist: ")
        .contains(url).contains("does not exist");
    assertThat(dest).doesNotExist();
    assertThat(run("barman-cloud-wal-restore", "-t", url, "srv", SEGMENT, dest.toString())).isEqualTo(2);
    assertThat(lastErr).startsWith("ERROR: ").contains(url).contains("does not exist");
    assertThat(archiveRoot).as("a reading tool creates nothing").doesNotExist();
  }

  @Test
  void errorLinesNameTheObjectAndTheReason() throws IOException {
    Path wal = segment(SEGMENT, 4, 1 << 20);
    assertThat(run("barman-cloud-wal-archive", "--xz", url, "srv", wal.toString())).as(lastErr).isZero();
    // A destination whose directory is a file: not "does not exist".
    Path plainFile = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, plainFile.resolve("RECOVERYXLOG").toString()))
        .isEqualTo(4);
    assertThat(lastErr).contains(SEGMENT).contains(plainFile + " is not a directory").doesNotContain("does not exist");
    // A truncated .xz object: the reason, not "null".
    Path stored = archiveRoot.resolve("srv/wals/0000000100000000/" + SEGMENT + ".xz");
    byte[] bytes = Files.readAllBytes(stored);
    Files.write(stored, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path dest = tmp.resolve("RECOVERYXLOG");
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, dest.toString())).isNotZero();
    assertThat(lastErr).startsWith("ERROR: ").contains(SEGMENT + ".xz").doesNotContain("null").contains("truncated");
    assertThat(dest).doesNotExist();
  }

  @Test
  void historyAndBackupFilesRoundTrip() throws IOException {
    Path history = Files.writeString(pgWal.resolve("00000002.history"), "1\t0/3000158\tno recovery target specified\n");
    Path backup = Files.writeString(pgWal.resolve("000000010000000000000002.00000028.backup"), "START WAL LOCATION: 0/2000028\n");
    assertThat(run("barman-cloud-wal-archive", "-z", url, "srv", history.toString())).isZero();
    assertThat(run("barman-cloud-wal-archive", "-z", url, "srv", backup.toString())).isZero();
    assertThat(archiveRoot.resolve("srv/wals/00000002.history.gz")).isRegularFile();
    assertThat(archiveRoot.resolve("srv/wals/0000000100000000/000000010000000000000002.00000028.backup.gz")).isRegularFile();
    Path dest = tmp.resolve("h");
    assertThat(run("barman-cloud-wal-restore", url, "srv", "00000002.history", dest.toString())).isZero();
    assertThat(Files.readString(dest)).isEqualTo(Files.readString(history));
  }

  @Test
  void aPartialSegmentIsRestoredUnlessRefused() throws IOException {
    Path partial = segment(SEGMENT + ".partial", 3, 64 * 1024);
    assertThat(run("barman-cloud-wal-archive", url, "srv", partial.toString())).isZero();
    Path dest = tmp.resolve("RECOVERYXLOG");
    assertThat(run("barman-cloud-wal-restore", "--no-partial", url, "srv", SEGMENT, dest.toString())).isEqualTo(1);
    assertThat(dest).doesNotExist();
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT, dest.toString())).isZero();
    assertThat(Files.mismatch(partial, dest)).isEqualTo(-1);
  }

  @Test
  void badInputGetsOneLineAndBarmansExitCode() throws IOException {
    Path wal = segment(SEGMENT, 1, 1024);
    Path badName = Files.copy(wal, pgWal.resolve("RECOVERYXLOG"));
    assertThat(run("barman-cloud-wal-archive", url, "srv", badName.toString())).isEqualTo(3);
    assertThat(lastErr).contains("RECOVERYXLOG").contains("not a valid WAL file name");
    assertThat(run("barman-cloud-wal-archive", url, "srv", pgWal.resolve("000000010000000000000009").toString())).isEqualTo(4);
    assertThat(lastErr).contains("000000010000000000000009").contains("not found");
    assertThat(run("barman-cloud-wal-archive", "--bogus", url, "srv", wal.toString())).isEqualTo(3);
    assertThat(lastErr).contains("unrecognized arguments: --bogus");
    assertThat(run("barman-cloud-wal-archive", "nope://bucket/x", "srv", wal.toString())).isEqualTo(3);
    assertThat(lastErr).contains("nope://bucket/x");
    assertThat(run("barman-cloud-wal-archive", "bucket/path", "srv", wal.toString())).isEqualTo(3);
    assertThat(run("barman-cloud-wal-archive", "-z", "-j", url, "srv", wal.toString())).isEqualTo(3);
    assertThat(run("barman-cloud-wal-archive", "--compression-level", "extreme", "-z", url, "srv", wal.toString())).isEqualTo(3);
    assertThat(run("barman-cloud-wal-archive", url, "a/b", wal.toString())).isEqualTo(3);
    assertThat(run("barman-cloud-wal-restore", url, "srv", "RECOVERYXLOG", tmp.resolve("x").toString())).isEqualTo(3);
    assertThat(run("barman-cloud-wal-restore", url, "srv", SEGMENT)).isEqualTo(3);
    assertThat(archiveRoot).doesNotExist();
  }

  @Test
  void testModeChecksTheDestination() throws IOException {
    assertThat(run("barman-cloud-wal-archive", "-t", url, "srv")).as(lastErr).isZero();
    assertThat(run("barman-cloud-wal-restore", "--test", url, "srv", SEGMENT, "x")).as(lastErr).isEqualTo(2);
    Files.createDirectories(archiveRoot);
    assertThat(run("barman-cloud-wal-restore", "--test", url, "srv", SEGMENT, "x")).as(lastErr).isZero();
    assertThat(run("barman-cloud-wal-restore", "--test", url, "srv", "garbage", "x")).isEqualTo(3);
    assertThat(run("barman-cloud-wal-restore", "--test", url, "srv")).isEqualTo(3);
    Path notADir = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThat(run("barman-cloud-wal-archive", "-t", "file://" + notADir + "/archive", "srv")).isEqualTo(2);
    assertThat(lastErr).contains(notADir.toString());
  }

  @Test
  void negativeCompressionLevelsAndTagsAreAccepted() throws IOException {
    Path wal = segment(SEGMENT, 1, 64 * 1024);
    assertThat(run("barman-cloud-wal-archive", "--zstd", "--compression-level", "-5", "--tags", "env,prod", "team,db",
        "--tag", "k,v", url, "srv", wal.toString())).as(lastErr).isZero();
    assertThat(archiveRoot.resolve("srv/wals/0000000100000000/" + SEGMENT + ".zst")).isRegularFile();
  }

  @Test
  void tagsBeyondBarmansLimitsAreRejected() throws IOException {
    Path wal = segment(SEGMENT, 1, 1024);
    assertThat(run("barman-cloud-wal-archive", "--tag", "aws:x,1", url, "srv", wal.toString())).isEqualTo(3);
    assertThat(run("barman-cloud-wal-archive", "--tag", "k,1", "--tag", "k,2", url, "srv", wal.toString())).isEqualTo(3);
    assertThat(lastErr).contains("duplicate tag key 'k'");
    assertThat(run("barman-cloud-wal-archive", "--tag", "novalue", url, "srv", wal.toString())).isEqualTo(3);
    String[] eleven = new String[11];
    for (int i = 0; i < eleven.length; i++) {
      eleven[i] = "k" + i + ",v";
    }
    // As with argparse, --tags takes every value up to the next option, so it goes last.
    String[] args = new String[eleven.length + 5];
    args[0] = "barman-cloud-wal-archive";
    args[1] = url;
    args[2] = "srv";
    args[3] = wal.toString();
    args[4] = "--tags";
    System.arraycopy(eleven, 0, args, 5, eleven.length);
    assertThat(run(args)).isEqualTo(3);
    assertThat(lastErr).contains("too many tags");
    assertThat(archiveRoot).doesNotExist();
  }

  @Test
  void helpAndVersionExitZero() {
    assertThat(run("barman-cloud-wal-archive", "--help")).isZero();
    assertThat(lastOut).contains("usage: barman-cloud-wal-archive").contains("DESTINATION_URL");
    assertThat(run("barman-cloud-wal-restore", "-V")).isZero();
    assertThat(lastOut).startsWith("barman-cloud-wal-restore ");
  }
}
