package org.barman4j.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One logical tar of a backup ({@code data} or a tablespace OID), streamed as PAX and split into parts:
 * before each member, if the current part has already grown past {@code maxArchiveSize} compressed bytes,
 * it is finished and the next one ({@code _0001}, {@code _0002}…) starts. Members are never split, so a
 * part exceeds the limit by at most one member. The first part is opened with the first member; a tar
 * given no member produces no object. Not thread-safe.
 *
 * <p>Deliberately not {@link java.io.Closeable}: ending the tar hands its last part over for commit, which
 * must happen only when every member was written; after a failure the pipeline is aborted instead.
 */
final class SplittingTarWriter {
  /** Opens part {@code n} (0 for the first) of this tar. */
  @FunctionalInterface
  interface PartOpener {
    CompressionPipeline.PartStream open(int n) throws IOException;
  }

  private static final int READ_BUFFER = 256 * 1024;

  private final long maxArchiveSize;
  private final PartOpener opener;
  private final byte[] readBuffer = new byte[READ_BUFFER];
  private final Map<Integer, String> userNames = new HashMap<>();
  private final Map<Integer, String> groupNames = new HashMap<>();
  private CompressionPipeline.PartStream part;
  private TarArchiveOutputStream tar;
  private int parts;
  private long bytesRead;
  private long members;
  private boolean closed;

  SplittingTarWriter(long maxArchiveSize, PartOpener opener) {
    if (maxArchiveSize < 1) {
      throw new IllegalArgumentException("maxArchiveSize must be positive: " + maxArchiveSize);
    }
    this.maxArchiveSize = maxArchiveSize;
    this.opener = Objects.requireNonNull(opener, "opener is null");
  }

  /** How many parts were started. */
  int parts() {
    return parts;
  }

  /** File content bytes read so far. */
  long bytesRead() {
    return bytesRead;
  }

  /** Members added so far. */
  long members() {
    return members;
  }

  /**
   * Adds {@code entry}: a directory, a symbolic link, or a regular file with its content. A file that
   * vanished is skipped (returns false); one that shrinks while read is padded with zeros to the size its
   * header announced; one that grows is cut there.
   */
  boolean add(FileEntry entry) throws IOException {
    ensureOpen();
    switch (entry.type()) {
      case DIRECTORY: {
        TarArchiveEntry e = header(entry.name() + "/", TarConstants.LF_DIR, entry);
        next().putArchiveEntry(e);
        tar.closeArchiveEntry();
        members++;
        return true;
      }
      case SYMLINK: {
        TarArchiveEntry e = header(entry.name(), TarConstants.LF_SYMLINK, entry);
        e.setLinkName(entry.linkTarget().orElseThrow());
        next().putArchiveEntry(e);
        tar.closeArchiveEntry();
        members++;
        return true;
      }
      default:
        return addFile(entry);
    }
  }

  /** Adds a regular file with the given content and metadata (e.g. {@code backup_label}). */
  void addBytes(String name, byte[] content, int mode, long mtimeSeconds, int uid, int gid, String user, String group)
      throws IOException {
    ensureOpen();
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setMode(mode);
    e.setSize(content.length);
    e.setModTime(mtimeSeconds * 1000);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setUserName(user);
    e.setGroupName(group);
    next().putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
    members++;
  }

  private boolean addFile(FileEntry entry) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(entry.path(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return false; // vanished since it was listed; WAL replay recreates it
    }
    try (channel) {
      TarArchiveEntry e = header(entry.name(), TarConstants.LF_NORMAL, entry);
      e.setSize(entry.size());
      next().putArchiveEntry(e);
      long remaining = entry.size();
      ByteBuffer buffer = ByteBuffer.wrap(readBuffer);
      while (remaining > 0) {
        buffer.clear();
        buffer.limit((int) Math.min(readBuffer.length, remaining));
        int n = channel.read(buffer);
        if (n < 0) {
          break;
        }
        tar.write(readBuffer, 0, n);
        remaining -= n;
        bytesRead += n;
      }
      if (remaining > 0) {
        // Truncated while being read: keep the announced size; WAL replay rewrites the data.
        Arrays.fill(readBuffer, (byte) 0);
        while (remaining > 0) {
          int n = (int) Math.min(readBuffer.length, remaining);
          tar.write(readBuffer, 0, n);
          remaining -= n;
        }
      }
      tar.closeArchiveEntry();
      members++;
      return true;
    }
  }

  private TarArchiveEntry header(String name, byte type, FileEntry entry) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setMode(entry.mode());
    e.setModTime(entry.mtimeSeconds() * 1000);
    e.setUserId(entry.uid());
    e.setGroupId(entry.gid());
    e.setUserName(userName(entry));
    e.setGroupName(groupName(entry));
    return e;
  }

  private String userName(FileEntry entry) {
    return userNames.computeIfAbsent(entry.uid(), uid -> lookupNames(entry)[0]);
  }

  private String groupName(FileEntry entry) {
    return groupNames.computeIfAbsent(entry.gid(), gid -> lookupNames(entry)[1]);
  }

  private static String[] lookupNames(FileEntry entry) {
    try {
      PosixFileAttributes a = Files.readAttributes(entry.path(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new String[] {a.owner().getName(), a.group().getName()};
    } catch (IOException | UnsupportedOperationException e) {
      return new String[] {"", ""};
    }
  }

  /** The tar stream to add the next member to, starting a part first if needed. */
  private TarArchiveOutputStream next() throws IOException {
    if (tar != null && part.estimatedSize() > maxArchiveSize) {
      finishPart();
    }
    if (tar == null) {
      part = opener.open(parts++);
      tar = new TarArchiveOutputStream(part, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
    }
    return tar;
  }

  private void finishPart() throws IOException {
    TarArchiveOutputStream t = tar;
    tar = null;
    part = null;
    t.finish();
    t.close(); // closes the part stream: its last chunk goes to the pipeline, which commits it
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("The tar is closed");
    }
  }

  /**
   * Ends the tar after its last member: the last part gets its end-of-archive blocks and is handed over
   * for commit. Never call it after a failure.
   */
  void finish() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (tar != null) {
      finishPart();
    }
  }
}
