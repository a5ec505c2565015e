package org.barman4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.Barman;
import org.barman4j.compress.Compression;
import org.barman4j.wal.WalArchive;
import org.barman4j.wal.WalArchive.ArchiveOptions;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentHeader;
import org.barman4j.wal.WalSegmentSize;

/**
 * Recipe: archive and restore a WAL file from Java, the way an application embedding Barman4J would
 * (for example, its own {@code archive_command} endpoint). Usage: {@code EmbeddedWalArchive URL}.
 */
public final class EmbeddedWalArchive {
  private EmbeddedWalArchive() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "file://" + Files.createTempDirectory("barman4j-recipe-");
    Path work = Files.createTempDirectory("barman4j-recipe-wal-");
    Path segment = work.resolve("000000010000000000000001");
    // An empty segment, but with the first page header restore checks.
    byte[] content = new byte[16 << 20];
    byte[] header = WalSegmentHeader.of(WalFileName.parse(segment.getFileName().toString()), WalSegmentSize.DEFAULT,
        1).toBytes();
    System.arraycopy(header, 0, content, 0, header.length);
    Files.write(segment, content);

    try (Barman barman = Barman.builder().url(url).serverName("recipe").build()) {
      WalArchive.ArchiveResult result =
          barman.wal().archive(segment, ArchiveOptions.DEFAULT.withCompression(Compression.ZSTD));
      System.out.println(result.outcome() + " " + result.stored().key());

      Path restored = work.resolve("RECOVERYXLOG");
      barman.wal().restore(segment.getFileName().toString(), restored, false);
      System.out.println("restored " + Files.size(restored) + " bytes, identical: "
          + (Files.mismatch(segment, restored) == -1));
    }
  }
}
