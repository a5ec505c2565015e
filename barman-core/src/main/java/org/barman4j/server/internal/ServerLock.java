package org.barman4j.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A Barman lock file held without waiting ({@code .SERVER-backup.lock} …): created mode 0600, locked, and
 * the holder's PID written into it. The lock is released when closed or when the process dies, however it
 * dies; the file stays, as Barman leaves it. The lock is a POSIX record lock, which excludes other Barman4J
 * processes (and other holders in this JVM) but not Barman's {@code flock(2)}.
 */
public final class ServerLock implements AutoCloseable {

  private final FileChannel channel;

  private ServerLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Takes the lock unless someone holds it.
   *
   * @param file the lock file
   * @return the held lock, or empty when it is busy
   * @throws IOException if the file cannot be created or opened (e.g. permission denied)
   */
  public static Optional<ServerLock> tryAcquire(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (!Files.exists(file)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        // created by the other contender: locking it is what matters
      }
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return Optional.of(new ServerLock(channel));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
