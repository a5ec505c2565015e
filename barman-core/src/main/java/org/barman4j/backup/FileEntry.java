package org.barman4j.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry to put in a backup tar: where it is on disk, its name in the tar and the metadata read with
 * {@code lstat}.
 *
 * @param type what it is
 * @param path where it is
 * @param name its member name in the tar, without the trailing '/' of directories
 * @param mode permission bits (no file type bits)
 * @param size bytes for regular files, 0 otherwise
 * @param mtimeSeconds modification time in seconds since the epoch
 * @param uid owner id
 * @param gid group id
 * @param linkTarget the target of a symbolic link
 */
public record FileEntry(
    Type type, Path path, String name, int mode, long size, long mtimeSeconds, int uid, int gid,
    Optional<String> linkTarget) {

  /** The kinds of entries a backup holds. */
  public enum Type {
    /** A directory. */
    DIRECTORY,
    /** A regular file. */
    FILE,
    /** A symbolic link. */
    SYMLINK
  }

  /**
   * Checks that no component is null.
   *
   * @param type what it is
   * @param path where it is
   * @param name its member name in the tar, without the trailing '/' of directories
   * @param mode permission bits (no file type bits)
   * @param size bytes for regular files, 0 otherwise
   * @param mtimeSeconds modification time in seconds since the epoch
   * @param uid owner id
   * @param gid group id
   * @param linkTarget the target of a symbolic link
   */
  public FileEntry {
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(path, "path is null");
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(linkTarget, "linkTarget is null");
  }

  /**
   * {@return this entry under another member name}
   *
   * @param newName the member name in the tar
   */
  public FileEntry withName(String newName) {
    return new FileEntry(type, path, newName, mode, size, mtimeSeconds, uid, gid, linkTarget);
  }

  /**
   * {@return this entry as a directory (for a symbolic link standing for one)}
   *
   * @param dirMode the permission bits of the directory
   */
  public FileEntry asDirectory(int dirMode) {
    return new FileEntry(Type.DIRECTORY, path, name, dirMode, 0, mtimeSeconds, uid, gid, Optional.empty());
  }

  /**
   * Reads the metadata of {@code path} without following a final symbolic link; empty for sockets,
   * pipes and devices, which backups skip.
   *
   * @param path the file to read
   * @param name its member name in the tar
   * @return its entry; empty for a file that backups skip
   * @throws java.nio.file.NoSuchFileException if it does not exist (any more)
   */
  public static Optional<FileEntry> stat(Path path, String name) throws IOException {
    try {
      Map<String, Object> a =
          Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      int format = mode & 0170000;
      switch (format) {
        case 0040000:
          return Optional.of(new FileEntry(Type.DIRECTORY, path, name, mode & 07777, 0, mtime, uid, gid, Optional.empty()));
        case 0100000:
          return Optional.of(new FileEntry(Type.FILE, path, name, mode & 07777, (Long) a.get("size"), mtime, uid, gid, Optional.empty()));
        case 0120000:
          return Optional.of(new FileEntry(Type.SYMLINK, path, name, 0777, 0, mtime, uid, gid,
              Optional.of(Files.readSymbolicLink(path).toString())));
        default:
          return Optional.empty();
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return statPosix(path, name);
    }
  }

  private static Optional<FileEntry> statPosix(Path path, String name) throws IOException {
    // Without the "unix" attribute view: POSIX permissions, no numeric owner.
    PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    int mode = permissions(a.permissions());
    long mtime = a.lastModifiedTime().toMillis() / 1000;
    if (a.isDirectory()) {
      return Optional.of(new FileEntry(Type.DIRECTORY, path, name, mode, 0, mtime, 0, 0, Optional.empty()));
    }
    if (a.isRegularFile()) {
      return Optional.of(new FileEntry(Type.FILE, path, name, mode, a.size(), mtime, 0, 0, Optional.empty()));
    }
    if (a.isSymbolicLink()) {
      return Optional.of(new FileEntry(Type.SYMLINK, path, name, 0777, 0, mtime, 0, 0,
          Optional.of(Files.readSymbolicLink(path).toString())));
    }
    return Optional.empty();
  }

  private static int permissions(Set<PosixFilePermission> set) {
    int mode = 0;
    for (PosixFilePermission p : set) {
      mode |= 0400 >> p.ordinal();
    }
    return mode;
  }
}
