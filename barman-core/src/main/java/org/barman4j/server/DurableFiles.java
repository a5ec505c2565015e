package org.barman4j.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes catalogue files so that a crash leaves either the old or the new content, never a mix: the
 * bytes go to a temporary file in the same directory, which is fsynced, renamed over the target, and
 * the directory is fsynced so the rename itself survives.
 */
public final class DurableFiles {

  private DurableFiles() {}

  /**
   * Replaces {@code target} with {@code content} durably.
   *
   * @param target the file to write
   * @param content its new content
   * @throws IOException if writing fails; {@code target} is then unchanged and the temporary file removed
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    syncDirectory(directory);
  }

  /**
   * Fsyncs a directory, making the creation, rename or removal of its entries durable.
   *
   * @param directory the directory
   * @throws IOException if the directory cannot be opened or synced
   */
  public static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
