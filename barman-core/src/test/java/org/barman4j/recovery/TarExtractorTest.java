package org.barman4j.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {
  @TempDir Path tmp;
  Path root;
  Path outside;

  @BeforeEach
  void dirs() throws IOException {
    root = Files.createDirectories(tmp.resolve("restore/data"));
    outside = tmp.resolve("restore/outside");
  }

  private TarExtractor extractor() throws IOException {
    return new TarExtractor(root, Set.of("pg_tblspc"), Set.of("global/pg_control"));
  }

  private void extract(TarExtractor extractor, byte[] tar) throws IOException {
    extractor.extract(new ByteArrayInputStream(tar), "data.tar", () -> false);
  }

  private List<Path> everythingUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.toList();
    }
  }

  @Test
  void filesAndDirectoriesKeepTheirModesAndTimesAndTheRootBecomesPrivate() throws IOException {
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    byte[] tar = new Tars()
        .dir("./", 0755)
        .file("./PG_VERSION", "15\n")
        .dir("base", 0700)
        .dir("base/1", 0700)
        .file("base/1/1259", new byte[70_000], 0600)
        .file("postgresql.conf", "port = 5432\n".getBytes(StandardCharsets.UTF_8), 0644)
        .build();
    TarExtractor extractor = extractor();
    extract(extractor, tar);
    extractor.finish();

    assertThat(root.resolve("PG_VERSION")).hasContent("15");
    assertThat(Files.size(root.resolve("base/1/1259"))).isEqualTo(70_000);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("postgresql.conf")))).isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("base/1/1259")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    assertThat(Files.getLastModifiedTime(root.resolve("base/1/1259"))).isEqualTo(Tars.MTIME);
    assertThat(Files.getLastModifiedTime(root.resolve("base/1"))).isEqualTo(Tars.MTIME);
    assertThat(extractor.files()).isEqualTo(3);
    assertThat(extractor.bytes()).isEqualTo(70_000 + 3 + 12);
  }

  @Test
  void aGroupReadableRootStaysGroupReadableAsPostgresAllows() throws IOException {
    TarExtractor extractor = extractor();
    extract(extractor, new Tars().dir(".", 0750).file("PG_VERSION", "15\n").build());
    extractor.finish();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwxr-x---");
  }

  @Test
  void setIdAndStickyBitsAreDropped() throws IOException {
    TarExtractor extractor = extractor();
    extract(extractor, new Tars().file("tool", new byte[1], 04755).build());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("tool")))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void anEntryClimbingOutWithDotDotIsRefusedAndNothingIsWrittenOutside() throws IOException {
    byte[] tar = new Tars().file("base/../../outside", "evil").build();
    assertThatThrownBy(() -> extract(extractor(), tar))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("data.tar")
        .hasMessageContaining("'..'");
    assertThat(outside).doesNotExist();
  }

  @Test
  void anAbsolutePathIsRefused() throws IOException {
    Path victim = tmp.resolve("victim");
    byte[] tar = new Tars().file(victim.toString(), "evil").build();
    assertThatThrownBy(() -> extract(extractor(), tar))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("absolute path");
    assertThat(victim).doesNotExist();
    assertThat(everythingUnder(root)).containsExactly(root);
  }

  @Test
  void aSymbolicLinkPointingOutsideIsRefused() throws IOException {
    assertThatThrownBy(() -> extract(extractor(), new Tars().symlink("conf", "/etc").build()))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("points outside");
    assertThatThrownBy(() -> extract(extractor(), new Tars().symlink("base/conf", "../../outside").build()))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("points outside");
    assertThat(root.resolve("conf")).doesNotExist();
    assertThat(root.resolve("base/conf")).doesNotExist();
  }

  @Test
  void aChainOfLinksThatWouldLeaveTheTargetIsRefused() throws IOException {
    // d/l -> .. points at the root; d/l2 -> l/.. reads as "d" lexically but the OS resolves it above the root.
    byte[] tar = new Tars().dir("d", 0700).symlink("d/l", "..").symlink("d/l2", "l/..").build();
    assertThatThrownBy(() -> extract(extractor(), tar))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("points through another link");
    assertThat(root.resolve("d/l2")).doesNotExist();
  }

  @Test
  void aSymbolicLinkInsideIsCreatedButNeverWrittenThrough() throws IOException {
    Files.createDirectories(outside);
    // Even a link that points inside is not followed when a later entry names a path beneath it.
    byte[] tar = new Tars()
        .dir("real", 0700)
        .symlink("shortcut", "real")
        .file("shortcut/file", "through the link")
        .build();
    assertThatThrownBy(() -> extract(extractor(), tar))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("symbolic link");
    assertThat(Files.readSymbolicLink(root.resolve("shortcut"))).isEqualTo(Path.of("real"));
    assertThat(root.resolve("real/file")).doesNotExist();
  }

  @Test
  void aLinkAlreadyOnDiskIsNotFollowedEither() throws IOException {
    Files.createDirectories(outside);
    Files.createSymbolicLink(root.resolve("base"), outside);
    assertThatThrownBy(() -> extract(extractor(), new Tars().file("base/1/2", "x").build()))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class);
    assertThat(everythingUnder(outside)).containsExactly(outside);
  }

  @Test
  void aFileEntryReplacesAnEarlierLinkOfTheSameNameInsteadOfWritingThroughIt() throws IOException {
    byte[] tar = new Tars()
        .file("target", "original")
        .symlink("name", "target")
        .file("name", "replacement")
        .build();
    extract(extractor(), tar);
    assertThat(root.resolve("target")).hasContent("original");
    assertThat(Files.isSymbolicLink(root.resolve("name"))).isFalse();
    assertThat(root.resolve("name")).hasContent("replacement");
  }

  @Test
  void anEntryCannotReplaceADirectory() throws IOException {
    byte[] tar = new Tars().dir("base", 0700).file("base/1", "x").symlink("base", "elsewhere").build();
    assertThatThrownBy(() -> extract(extractor(), tar))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("would replace the directory");
    assertThat(root.resolve("base/1")).hasContent("x");
  }

  @Test
  void hardLinksMustPointAtAFileExtractedInside() throws IOException {
    extract(extractor(), new Tars().file("a", "shared").hardlink("b", "a").build());
    assertThat(root.resolve("b")).hasContent("shared");

    assertThatThrownBy(() -> extract(extractor(), new Tars().hardlink("c", "/etc/passwd").build()))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class);
    assertThatThrownBy(() -> extract(extractor(), new Tars().hardlink("c", "../outside").build()))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class);
    assertThatThrownBy(() -> extract(extractor(), new Tars().symlink("l", "a").hardlink("d", "l").build()))
        .isInstanceOf(TarExtractor.UnsafeEntryException.class)
        .hasMessageContaining("not a regular file");
    assertThat(root.resolve("c")).doesNotExist();
    assertThat(root.resolve("d")).doesNotExist();
  }

  @Test
  void devicesAndFifosAreRefused() throws IOException {
    for (byte type : new byte[] {TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO}) {
      assertThatThrownBy(() -> extract(extractor(), new Tars().special("dev" + type, type).build()))
          .isInstanceOf(TarExtractor.UnsafeEntryException.class)
          .hasMessageContaining("device or FIFO");
    }
    assertThat(everythingUnder(root)).containsExactly(root);
  }

  @Test
  void tablespaceLinksInTheDataArchiveAreLeftToTheCaller() throws IOException {
    extract(extractor(), new Tars().dir("pg_tblspc", 0700).symlink("pg_tblspc/16384", "/srv/tblspc").build());
    assertThat(root.resolve("pg_tblspc")).isDirectory();
    assertThat(root.resolve("pg_tblspc/16384")).doesNotExist();
  }

  @Test
  void heldBackFilesAppearOnlyWhenFinished() throws IOException {
    TarExtractor extractor = extractor();
    extract(extractor, new Tars().dir("global", 0700).file("global/pg_control", new byte[8192], 0600).build());
    assertThat(root.resolve("global/pg_control")).doesNotExist();
    assertThat(root.resolve("global/pg_control" + TarExtractor.HELD_BACK_SUFFIX)).isRegularFile();
    extractor.finish();
    assertThat(Files.size(root.resolve("global/pg_control"))).isEqualTo(8192);
    assertThat(root.resolve("global/pg_control" + TarExtractor.HELD_BACK_SUFFIX)).doesNotExist();
  }

  @Test
  void anArchiveCutInsideAFileIsReportedAsTruncated() throws IOException {
    byte[] tar = new Tars().file("a", new byte[5000], 0600).file("b", "x").build();
    byte[] cut = Arrays.copyOf(tar, 512 + 3000);
    assertThatThrownBy(() -> extract(extractor(), cut))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("data.tar")
        .hasMessageContaining("runcated");
  }

  @Test
  void anArchiveCutCleanlyBetweenEntriesIsReportedAsTruncated() throws IOException {
    byte[] tar = new Tars().file("a", new byte[1024], 0600).file("b", "x").build();
    // header + 1024 data bytes: the cut falls exactly on the next header
    byte[] cut = Arrays.copyOf(tar, 512 + 1024);
    assertThatThrownBy(() -> extract(extractor(), cut))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no end-of-archive marker");
    byte[] cutInHeader = Arrays.copyOf(tar, 512 + 1024 + 100);
    assertThatThrownBy(() -> extract(extractor(), cutInHeader))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("data.tar");
  }

  @Test
  void anArchiveEndingInZeroFilledDataIsNotMistakenForComplete() throws IOException {
    // A relation file full of zeros ends exactly where the archive is cut.
    byte[] tar = new Tars().file("zeros", new byte[8192], 0600).file("b", "x").build();
    byte[] cut = Arrays.copyOf(tar, 512 + 8192);
    assertThatThrownBy(() -> extract(extractor(), cut))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no end-of-archive marker");
  }

  @Test
  void aCorruptHeaderIsReported() throws IOException {
    byte[] tar = new Tars().file("a", "x").file("b", "y").build();
    tar[1024 + 150] ^= 0x7f; // checksum field of the second header
    assertThatThrownBy(() -> extract(extractor(), tar))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt tar archive");
  }

  @Test
  void anEmptyArchiveIsComplete() throws IOException {
    extract(extractor(), new Tars().build());
    assertThat(everythingUnder(root)).containsExactly(root);
  }

  @Test
  void partsExtractConcurrentlyIntoSharedDirectories() throws Exception {
    int parts = 4;
    byte[][] tars = new byte[parts][];
    for (int p = 0; p < parts; p++) {
      Tars t = new Tars();
      if (p == 0) {
        t.dir("base", 0700).dir("base/5", 0700);
      }
      for (int i = 0; i < 200; i++) {
        t.file("base/5/" + (p * 1000 + i), "part " + p + " file " + i);
      }
      tars[p] = t.build();
    }
    TarExtractor extractor = extractor();
    ExecutorService pool = Executors.newFixedThreadPool(parts);
    try {
      Future<?>[] futures = new Future<?>[parts];
      for (int p = parts - 1; p >= 0; p--) {
        byte[] tar = tars[p];
        futures[p] = pool.submit(() -> {
          extractor.extract(new ByteArrayInputStream(tar), "part", () -> false);
          return null;
        });
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    extractor.finish();
    assertThat(extractor.files()).isEqualTo(parts * 200L);
    assertThat(root.resolve("base/5/3199")).hasContent("part 3 file 199");
    assertThat(Files.isDirectory(root.resolve("base/5"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void cancellationStopsAnExtraction() throws IOException {
    byte[] tar = new Tars().file("a", "x").file("b", "y").build();
    assertThatThrownBy(() -> extractor().extract(new ByteArrayInputStream(tar), "data.tar", () -> true))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cancelled");
  }
}
