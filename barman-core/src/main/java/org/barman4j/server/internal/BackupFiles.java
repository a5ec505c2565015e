package org.barman4j.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** File work of a backup directory: preparing destinations, fsync and sizes, the copied control file. */
public final class BackupFiles {

  private BackupFiles() {}

  /**
   * The sizes Barman records.
   *
   * @param size the bytes of every regular file under the backup directory ({@code size})
   * @param deduplicatedSize the bytes of those with a single link ({@code deduplicated_size})
   */
  public record Sizes(long size, long deduplicatedSize) {}

  /**
   * Removes {@code directory} if it exists and creates it empty, mode 0700, as Barman does before each copy
   * attempt.
   *
   * @param directory the destination
   * @throws IOException if it cannot be removed or created
   */
  public static void recreate(Path directory) throws IOException {
    deleteTree(directory);
    Files.createDirectories(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
  }

  /**
   * Deletes a tree without following links out of it (a link is removed, not what it points to); a missing
   * tree, or files vanishing meanwhile, are fine.
   *
   * @param root the tree
   * @throws IOException if something cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Fsyncs every directory and regular file under {@code root} and adds up their sizes, as Barman's
   * {@code backup_fsync_and_set_sizes} does.
   *
   * @param root the backup directory
   * @return the sizes
   * @throws IOException if a file cannot be synced
   */
  public static Sizes fsyncAndMeasure(Path root) throws IOException {
    long[] totals = new long[2];
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            c.force(true);
          }
          totals[0] += attrs.size();
          Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
          if (links instanceof Integer n && n == 1) {
            totals[1] += attrs.size();
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
          c.force(true);
        } catch (IOException ignored) {
          // some file systems refuse fsync on a directory (EINVAL); Barman ignores it too
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return new Sizes(totals[0], totals[1]);
  }

  /**
   * {@return the system identifier in a copied {@code global/pg_control}: its first 8 bytes, little-endian on
   * the machines PostgreSQL backs up here}
   *
   * @param pgControl the file
   * @throws IOException if it cannot be read or is too short
   */
  public static String systemIdentifier(Path pgControl) throws IOException {
    byte[] head;
    try (var in = Files.newInputStream(pgControl)) {
      head = in.readNBytes(8);
    }
    if (head.length < 8) {
      throw new IOException(pgControl + " is too short to be a control file");
    }
    long id = ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getLong();
    return Long.toUnsignedString(id);
  }
}
