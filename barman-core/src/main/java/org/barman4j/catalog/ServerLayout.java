package org.barman4j.catalog;

import java.util.Objects;
import java.util.Optional;
import org.barman4j.compress.Compression;
import org.barman4j.wal.WalLayout;

/**
 * barman-cloud's object layout for one server, relative to the storage root (the URL's path):
 * {@code SERVER/wals/…} (see {@link WalLayout}) and
 * {@code SERVER/base/BACKUP_ID/{backup.info, annotations/keep, data[_NNNN].tar[.ext], OID[_NNNN].tar[.ext]}}. Buckets written by Barman and by Barman4J are interchangeable.
 *
 * @param serverName the server's name, one key segment
 */
public record ServerLayout(String serverName) {
  /**
   * Checks the server name.
   *
   * @param serverName the server's name
   * @throws IllegalArgumentException if it is empty, {@code .}, {@code ..}, contains '/' or is not a valid key
   */
  public ServerLayout {
    // The WAL layout owns the rule for server names; constructing it checks this one.
    new WalLayout(serverName);
  }

  /** {@return the layout of this server's WAL objects} */
  public WalLayout wal() {
    return new WalLayout(serverName);
  }

  /** {@return the prefix of every base backup of this server, ending in '/'} */
  public String baseRoot() {
    return serverName + "/base/";
  }

  /**
   * {@return the prefix of every object of {@code backupId}, ending in '/'}
   *
   * @param backupId the backup's identifier
   */
  public String backupPrefix(BackupId backupId) {
    return baseRoot() + backupId.value() + "/";
  }

  /**
   * {@return the key of {@code backup.info} of {@code backupId}}
   *
   * @param backupId the backup's identifier
   */
  public String backupInfoKey(BackupId backupId) {
    return backupPrefix(backupId) + "backup.info";
  }

  /**
   * {@return the key of the keep annotation of {@code backupId}, whose body is {@code full} or {@code standalone}}
   *
   * @param backupId the backup's identifier
   */
  public String keepAnnotationKey(BackupId backupId) {
    return backupPrefix(backupId) + "annotations/keep";
  }

  /**
   * {@return the key of the {@code backup_label} that snapshot backups store beside their {@code backup.info}}
   *
   * @param backupId the backup's identifier
   */
  public String backupLabelKey(BackupId backupId) {
    return backupPrefix(backupId) + "backup_label";
  }

  /**
   * {@return the key of a backup tar: {@code data.tar.gz} for part 0 of PGDATA, {@code data_0001.tar.gz} for
   * part 1, {@code 16384.tar.gz} for the tablespace with OID 16384 (barman-cloud's {@code _%04d} numbering)}
   *
   * @param name {@link BackupTar#DATA} or a tablespace OID in decimal
   * @param part the part number, from 0
   * @param backupId the backup's identifier
   * @param compression the compression
   * @throws IllegalArgumentException if {@code name} is neither or {@code part} is negative
   */
  public String tarKey(BackupId backupId, String name, int part, Compression compression) {
    Objects.requireNonNull(compression, "compression is null");
    if (!BackupTar.isValidName(name)) {
      throw new IllegalArgumentException("Invalid tar name '" + name + "': expected 'data' or a tablespace OID");
    }
    if (part < 0) {
      throw new IllegalArgumentException("Invalid part number " + part + " for tar '" + name + "'");
    }
    return backupPrefix(backupId) + name + (part == 0 ? "" : String.format("_%04d", part)) + ".tar"
        + compression.suffix();
  }

  /**
   * {@return the backup tar stored under {@code key}, if {@code key} is one of {@code backupId}: a name
   * ({@code data} or an OID), an optional {@code _N} part number and {@code .tar} followed by nothing or a
   * known compression suffix} Anything else (backup.info, annotations, unknown suffixes) is empty.
   *
   * @param backupId the backup's identifier
   * @param key the object's key
   */
  public Optional<BackupTar> parseTarKey(BackupId backupId, String key) {
    Objects.requireNonNull(key, "key is null");
    String prefix = backupPrefix(backupId);
    if (!key.startsWith(prefix) || key.indexOf('/', prefix.length()) >= 0) {
      return Optional.empty();
    }
    String file = key.substring(prefix.length());
    int tar = file.indexOf(".tar");
    if (tar <= 0) {
      return Optional.empty();
    }
    String suffix = file.substring(tar + 4);
    Compression compression;
    if (suffix.isEmpty()) {
      compression = Compression.NONE;
    } else {
      Optional<Compression> c = Compression.fromSuffix(suffix);
      if (c.isEmpty() || !c.get().suffix().equals(suffix)) {
        return Optional.empty();
      }
      compression = c.get();
    }
    String stem = file.substring(0, tar);
    int part = 0;
    int underscore = stem.indexOf('_');
    if (underscore >= 0) {
      String digits = stem.substring(underscore + 1);
      if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        return Optional.empty();
      }
      part = Integer.parseInt(digits);
      stem = stem.substring(0, underscore);
    }
    if (!BackupTar.isValidName(stem)) {
      return Optional.empty();
    }
    return Optional.of(new BackupTar(key, stem, part, compression));
  }

  /**
   * {@return the backup whose directory holds {@code key}, if {@code key} lies under {@link #baseRoot()} in a
   * directory named like a backup identifier}
   *
   * @param key the object's key
   */
  public Optional<BackupId> parseBackupId(String key) {
    Objects.requireNonNull(key, "key is null");
    if (!key.startsWith(baseRoot())) {
      return Optional.empty();
    }
    int end = key.indexOf('/', baseRoot().length());
    String id = end < 0 ? key.substring(baseRoot().length()) : key.substring(baseRoot().length(), end);
    return BackupId.isValid(id) ? Optional.of(new BackupId(id)) : Optional.empty();
  }

  /**
   * One tar of a base backup.
   *
   * @param key where it is stored
   * @param name {@link #DATA} for PGDATA, or the decimal OID of a tablespace
   * @param part the part number: 0 for the first (unnumbered) part, then 1, 2, …
   * @param compression how it is compressed, from its suffix
   */
  public record BackupTar(String key, String name, int part, Compression compression) {
    /** The name of the PGDATA tar. */
    public static final String DATA = "data";

    /**
     * Checks that no component is null and checks the values.
     *
     * @param key where it is stored
     * @param name {@link #DATA} for PGDATA, or the decimal OID of a tablespace
     * @param part the part number: 0 for the first (unnumbered) part, then 1, 2, …
     * @param compression how it is compressed, from its suffix
     * @throws IllegalArgumentException if a component is invalid
     */
    public BackupTar {
      Objects.requireNonNull(key, "key is null");
      Objects.requireNonNull(compression, "compression is null");
      if (!isValidName(name)) {
        throw new IllegalArgumentException("Invalid tar name '" + name + "'");
      }
      if (part < 0) {
        throw new IllegalArgumentException("Invalid part number " + part);
      }
    }

    static boolean isValidName(String name) {
      Objects.requireNonNull(name, "name is null");
      if (name.equals(DATA)) {
        return true;
      }
      if (name.isEmpty() || name.length() > 10) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        if (name.charAt(i) < '0' || name.charAt(i) > '9') {
          return false;
        }
      }
      return Long.parseLong(name) <= 0xFFFF_FFFFL;
    }

    /** {@return whether this is a PGDATA tar} */
    public boolean isData() {
      return name.equals(DATA);
    }

    /** {@return the tablespace OID, for a tablespace tar} */
    public java.util.OptionalLong tablespaceOid() {
      return isData() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(name));
    }
  }
}
