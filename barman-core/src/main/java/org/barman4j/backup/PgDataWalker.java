package org.barman4j.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.barman4j.internal.FileNameEncoding;

/**
 * Walks a data directory or a tablespace the way barman-cloud-backup does, leaving out what PostgreSQL's
 * own base backups leave out.
 *
 * <p>Order: a directory, then its files (by name), then each subdirectory (by name) the same way, as
 * Python's {@code os.walk} visits them. In a data directory the root is {@code .}, root files are named
 * {@code ./NAME} and everything deeper {@code dir/…} ({@code base/1/2606}); in a tablespace only the
 * {@code PG_<major>_*} directories and their contents are visited, named from the tablespace root.
 *
 * <p>Left out of a data directory: the contents (not the directories) of {@code pg_wal}, {@code pg_xlog},
 * {@code pg_log}, {@code log}, {@code pg_dynshmem}, {@code pg_notify}, {@code pg_replslot}, {@code pg_serial},
 * {@code pg_stat_tmp}, {@code pg_snapshots} and {@code pg_subtrans}; {@code global/pg_control} (added last by
 * the caller); {@code postmaster.pid}, {@code postmaster.opts}, {@code recovery.conf}, {@code standby.signal},
 * {@code postgresql.auto.conf.tmp}, {@code current_logfiles.tmp}, {@code pg_internal.init}, anything named
 * {@code pgsql_tmp*} and temporary relations ({@code t<digits>_<digits>…} in a database directory) wherever
 * they are; a root {@code backup_label} and {@code tablespace_map} (left by an exclusive backup: the backup
 * adds its own label); symbolic links to directories, so the {@code pg_tblspc/<oid>} links (a linked
 * {@code pg_wal} becomes an empty directory, as in PostgreSQL's base backups); and the given directories
 * (tablespaces located inside the data directory). Sockets and pipes are skipped; entries that vanish
 * during the walk are skipped.
 */
public final class PgDataWalker {
  /** Receives each entry in order. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * Receives one entry.
     *
     * @param entry the entry
     * @throws IOException if handling the entry fails; the walk stops
     */
    void visit(FileEntry entry) throws IOException;
  }

  private static final Set<String> CONTENTS_EXCLUDED = Set.of(
      "pg_wal", "pg_xlog", "pg_log", "log", "pg_dynshmem", "pg_notify", "pg_replslot", "pg_serial",
      "pg_stat_tmp", "pg_snapshots", "pg_subtrans");
  private static final Set<String> NAMES_EXCLUDED = Set.of(
      "postgresql.auto.conf.tmp", "current_logfiles.tmp", "pg_internal.init", "postmaster.pid",
      "postmaster.opts", "recovery.conf", "standby.signal");
  private static final Set<String> ROOT_FILES_EXCLUDED = Set.of("backup_label", "tablespace_map");

  private final Path root;
  private final Optional<String> tablespaceDirPrefix;
  private final Set<Path> skipped;

  private PgDataWalker(Path root, Optional<String> tablespaceDirPrefix, Set<Path> skipped) {
    this.root = root;
    this.tablespaceDirPrefix = tablespaceDirPrefix;
    this.skipped = skipped;
  }

  /**
   * {@return a walker of the data directory {@code pgdata}, leaving out the directories in {@code skip}
   * (tablespaces located inside it)}
   *
   * @param pgdata the data directory
   * @param skip directories inside {@code pgdata} to leave out
   */
  public static PgDataWalker dataDirectory(Path pgdata, Collection<Path> skip) {
    Objects.requireNonNull(pgdata, "pgdata is null");
    Set<Path> skipped = new HashSet<>();
    for (Path p : skip) {
      skipped.add(p.toAbsolutePath().normalize());
    }
    return new PgDataWalker(pgdata.toAbsolutePath().normalize(), Optional.empty(), Set.copyOf(skipped));
  }

  /**
   * {@return a walker of the tablespace at {@code location} for PostgreSQL major version {@code major}}
   *
   * @param location the tablespace directory
   * @param major the PostgreSQL major version, e.g. 15
   */
  public static PgDataWalker tablespace(Path location, int major) {
    Objects.requireNonNull(location, "location is null");
    return new PgDataWalker(location.toAbsolutePath().normalize(), Optional.of("PG_" + major + "_"), Set.of());
  }

  /** Whether {@code name} is a temporary relation file: {@code t<digits>_<digits>} and a fork or segment. */
  static boolean isTemporaryRelation(String name) {
    // PostgreSQL's looks_like_temp_rel_name()
    int n = name.length();
    if (n < 4 || name.charAt(0) != 't' || !isDigit(name.charAt(1))) {
      return false;
    }
    int i = 1;
    while (i < n && isDigit(name.charAt(i))) {
      i++;
    }
    if (i >= n || name.charAt(i) != '_') {
      return false;
    }
    int start = ++i;
    while (i < n && isDigit(name.charAt(i))) {
      i++;
    }
    if (i == start) {
      return false;
    }
    if (i < n && name.charAt(i) == '_') {
      String fork = name.substring(i + 1);
      int dot = fork.indexOf('.');
      String forkName = dot < 0 ? fork : fork.substring(0, dot);
      if (!forkName.equals("fsm") && !forkName.equals("vm") && !forkName.equals("init")) {
        return false;
      }
      i += 1 + forkName.length();
    }
    if (i < n && name.charAt(i) == '.') {
      int segStart = ++i;
      while (i < n && isDigit(name.charAt(i))) {
        i++;
      }
      if (i == segStart) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Visits every entry in order.
   *
   * @param visitor called for each entry
   * @throws NoSuchFileException if the root itself does not exist
   */
  public void walk(Visitor visitor) throws IOException {
    Objects.requireNonNull(visitor, "visitor is null");
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "not a directory");
    }
    if (tablespaceDirPrefix.isPresent()) {
      for (String name : sortedNames(root)) {
        if (name.startsWith(tablespaceDirPrefix.get())) {
          Optional<FileEntry> entry = statOrSkip(root.resolve(name), name);
          if (entry.isPresent() && entry.get().type() == FileEntry.Type.DIRECTORY) {
            walkDirectory(entry.get(), name, visitor);
          }
        }
      }
      return;
    }
    Optional<FileEntry> top = statOrSkip(root, ".");
    if (top.isPresent()) {
      walkDirectory(top.get(), "", visitor);
    }
  }

  /** {@code rel} is the path relative to the root: "" for the root itself. */
  private void walkDirectory(FileEntry dir, String rel, Visitor visitor) throws IOException {
    List<String> names;
    try {
      names = sortedNames(dir.path());
    } catch (NoSuchFileException | NotDirectoryException e) {
      return; // vanished (or replaced) since it was listed
    }
    visitor.visit(dir);
    if (contentsExcluded(rel)) {
      return;
    }
    List<Subdirectory> subdirs = new ArrayList<>();
    for (String name : names) {
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      boolean atDataRoot = rel.isEmpty() && tablespaceDirPrefix.isEmpty();
      Path path = dir.path().resolve(name);
      Optional<FileEntry> child = statOrSkip(path, atDataRoot ? "./" + name : childRel);
      if (child.isEmpty()) {
        continue;
      }
      FileEntry entry = child.get();
      if (entry.type() == FileEntry.Type.DIRECTORY) {
        if (!excludedName(name) && !skipped.contains(path)) {
          subdirs.add(new Subdirectory(entry.withName(childRel), true));
        }
      } else if (entry.type() == FileEntry.Type.SYMLINK && Files.isDirectory(path)) {
        if (atDataRoot && (name.equals("pg_wal") || name.equals("pg_xlog"))) {
          subdirs.add(new Subdirectory(entry.withName(childRel).asDirectory(0700), false));
        }
      } else if (!excludedFile(rel, name)) {
        visitor.visit(entry);
      }
    }
    for (Subdirectory subdir : subdirs) {
      if (subdir.descend()) {
        walkDirectory(subdir.entry(), subdir.entry().name(), visitor);
      } else {
        visitor.visit(subdir.entry()); // a linked pg_wal: an empty directory
      }
    }
  }

  private record Subdirectory(FileEntry entry, boolean descend) {}

  private boolean contentsExcluded(String rel) {
    return tablespaceDirPrefix.isEmpty() && CONTENTS_EXCLUDED.contains(rel);
  }

  private static boolean excludedName(String name) {
    return name.startsWith("pgsql_tmp");
  }

  private boolean excludedFile(String parentRel, String name) {
    if (excludedName(name) || NAMES_EXCLUDED.contains(name)) {
      return true;
    }
    if (tablespaceDirPrefix.isEmpty()) {
      if (parentRel.isEmpty() && ROOT_FILES_EXCLUDED.contains(name)) {
        return true;
      }
      if (parentRel.equals("global") && name.equals("pg_control")) {
        return true;
      }
    }
    int slash = parentRel.lastIndexOf('/');
    String parentName = parentRel.substring(slash + 1);
    return !parentName.isEmpty() && isDigit(parentName.charAt(0)) && isTemporaryRelation(name);
  }

  private static Optional<FileEntry> statOrSkip(Path path, String name) throws IOException {
    try {
      return FileEntry.stat(path, name);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code name}, as the JVM decoded it, names the listed file {@code listed} again. */
  private static boolean decodes(Path dir, String name, Path listed) {
    try {
      return dir.resolve(name).equals(listed);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static List<String> sortedNames(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        if (!decodes(dir, name, p)) {
          // Skipped as vanished, it would be missing from the backup without a word.
          throw new FileSystemException(p.toString(), null, "the name is not valid " + FileNameEncoding.name()
              + ", the JVM's file-name encoding, so it cannot be backed up" + FileNameEncoding.hint(p));
        }
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }
}
