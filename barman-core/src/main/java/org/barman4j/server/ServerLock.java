package org.barman4j.server;

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
import java.util.Objects;
import java.util.Optional;

/**
 * One of Barman's lock files ({@link ServerDirectories#archiveWalLock()}, {@link ServerDirectories#cronLock()}
 * …) held by this process: created with mode 0600 if absent, locked, and the holder's pid written into it,
 * as Barman does. Closing releases it; the file stays, as Barman leaves it.
 *
 * <p>The lock is a POSIX record lock: it excludes other Barman4J processes and other threads of this one;
 * Barman's {@code flock(2)} is independent of it (see {@link XlogDb}).
 */
public final class ServerLock implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private ServerLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock if it is free.
   *
   * @param file the lock file
   * @return the held lock, or empty when another process (or thread) holds it
   * @throws IOException if the file cannot be created or opened
   */
  public static Optional<ServerLock> tryAcquire(Path file) throws IOException {
    FileChannel channel = open(file);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldInThisProcess) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(held(file, channel, lock));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** {@return the lock file} */
  public Path file() {
    return file;
  }

  /** Releases the lock; the file stays. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }

  private static ServerLock held(Path file, FileChannel channel, FileLock lock) throws IOException {
    // Barman records the holder's pid in the lock file.
    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(pid), 0);
    return new ServerLock(file, channel, lock);
  }

  private static FileChannel open(Path file) throws IOException {
    Objects.requireNonNull(file, "file is null");
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (!Files.exists(file)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        // another process created it first; locking it is all that matters
      }
    }
    return FileChannel.open(file, StandardOpenOption.WRITE);
  }
}
