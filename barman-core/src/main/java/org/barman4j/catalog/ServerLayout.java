package org.barman4j.catalog;

import java.util.Objects;
import java.util.Optional;
import org.barman4j.compress.Compression;
import org.barman4j.storage.Keys;
import org.barman4j.wal.WalFileName;

/**
 * barman-cloud's object layout for one server, relative to the storage root (the URL's path):
 * {@code SERVER/wals/TTTTTTTTXXXXXXXX/NAME[.ext]}, {@code SERVER/wals/NAME.history[.ext]} and
 * {@code SERVER/base/BACKUP_ID/…}. Buckets written by Barman and by Barman4J are interchangeable.
 *
 * @param serverName the server's name, one key segment
 */
public record ServerLayout(String serverName) {
  public ServerLayout {
    Objects.requireNonNull(serverName, "serverName is null");
    if (serverName.isEmpty() || serverName.contains("/") || serverName.equals(".") || serverName.equals("..")) {
      throw new IllegalArgumentException("Invalid server name '" + serverName + "'");
    }
    Keys.check(serverName);
  }

  /** The prefix of every WAL object of this server, ending in '/'. */
  public String walRoot() {
    return serverName + "/wals/";
  }

  /** The key of {@code wal} stored with {@code compression}. */
  public String walKey(WalFileName wal, Compression compression) {
    return walPrefix(wal) + compression.suffix();
  }

  /**
   * The key of {@code wal} without a compression suffix; as a listing prefix it also matches the
   * compressed variants (and, for a segment, its {@code .partial} and {@code .backup} files).
   */
  public String walPrefix(WalFileName wal) {
    String dir = wal.hashDir();
    return dir.isEmpty() ? walRoot() + wal.name() : walRoot() + dir + "/" + wal.name();
  }

  /**
   * The WAL file stored under {@code key} and its compression, if {@code key} is a WAL object of this
   * server; keys with an unknown suffix are not WAL objects.
   */
  public Optional<StoredWal> parseWalKey(String key) {
    if (!key.startsWith(walRoot())) {
      return Optional.empty();
    }
    String fileName = key.substring(key.lastIndexOf('/') + 1);
    Compression compression = Compression.fromSuffix(fileName).orElse(Compression.NONE);
    String name = fileName.substring(0, fileName.length() - compression.suffix().length());
    if (!WalFileName.isValid(name)) {
      return Optional.empty();
    }
    WalFileName wal = WalFileName.parse(name);
    if (!walPrefix(wal).equals(key.substring(0, key.length() - compression.suffix().length()))) {
      return Optional.empty();
    }
    return Optional.of(new StoredWal(key, wal, compression));
  }

  /**
   * A WAL object found in storage.
   *
   * @param key where it is stored
   * @param wal the WAL file it holds
   * @param compression how it is compressed, from its suffix
   */
  public record StoredWal(String key, WalFileName wal, Compression compression) {
    public StoredWal {
      Objects.requireNonNull(key, "key is null");
      Objects.requireNonNull(wal, "wal is null");
      Objects.requireNonNull(compression, "compression is null");
    }
  }
}
