package org.barman4j.recovery;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import org.barman4j.compress.Compression;

/**
 * Extracts a tar file from local disk with the same path checks as a restore from object storage:
 * nothing is written outside the root, no link met on disk is followed, and a truncated archive is an
 * error.
 */
public final class TarArchives {
  private TarArchives() {}

  /**
   * Extracts {@code tarFile}, compressed with {@code compression}, into the existing directory {@code root}.
   *
   * @param tarFile the archive
   * @param compression how the archive is compressed
   * @param root the directory to extract into
   * @param skippedLinkDirs root-relative directories whose link entries are skipped (e.g. {@code pg_tblspc})
   * @return the number of regular files written
   * @throws IOException if the archive is corrupt or unsafe, or a file cannot be written
   */
  public static long extract(Path tarFile, Compression compression, Path root, Set<String> skippedLinkDirs)
      throws IOException {
    Objects.requireNonNull(tarFile, "tarFile is null");
    Objects.requireNonNull(compression, "compression is null");
    TarExtractor extractor = new TarExtractor(root, skippedLinkDirs, Set.of());
    try (InputStream in = compression.decompress(new BufferedInputStream(Files.newInputStream(tarFile), 1 << 16))) {
      extractor.extract(in, tarFile.toString(), () -> false);
    }
    extractor.finish();
    return extractor.files();
  }
}
