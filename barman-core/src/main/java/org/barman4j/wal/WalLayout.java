package org.barman4j.wal;

import java.util.Objects;
import java.util.Optional;
import org.barman4j.compress.Compression;
import org.barman4j.storage.Keys;

/**
 * barman-cloud's layout of one server's WAL objects, relative to the storage root (the URL's path):
 * {@code SERVER/wals/TTTTTTTTXXXXXXXX/NAME[.ext]} and {@code SERVER/wals/NAME.history[.ext]}.
 *
 * @param serverName the server's name, one key segment
 */
public record WalLayout(String serverName) {
  private static final String CLAIM_SUFFIX = ".claim";

  /**
   * Checks the server name.
   *
   * @param serverName the server's name
   * @throws IllegalArgumentException if it is empty, {@code .}, {@code ..}, contains '/' or is not a valid key
   */
  public WalLayout {
    Objects.requireNonNull(serverName, "serverName is null");
    if (serverName.isEmpty() || serverName.contains("/") || serverName.equals(".") || serverName.equals("..")) {
      throw new IllegalArgumentException("Invalid server name '" + serverName + "'");
    }
    Keys.check(serverName);
  }

  /** {@return the prefix of every WAL object of this server, ending in '/'} */
  public String root() {
    return serverName + "/wals/";
  }

  /**
   * {@return the key of {@code wal} stored with {@code compression}}
   *
   * @param wal the WAL file
   * @param compression its compression
   */
  public String key(WalFileName wal, Compression compression) {
    return prefix(wal) + compression.suffix();
  }

  /**
   * {@return the key of {@code wal} without a compression suffix} As a listing prefix it also matches the
   * compressed variants (and, for a segment, its {@code .partial} and {@code .backup} files).
   *
   * @param wal the WAL file
   */
  public String prefix(WalFileName wal) {
    String dir = wal.hashDir();
    return dir.isEmpty() ? root() + wal.name() : root() + dir + "/" + wal.name();
  }

  /**
   * {@return the key of the small object that records which stored copy of {@code wal} is the archived
   * one} Concurrent archivers may store it under different compression suffixes. Its suffix is not a
   * compression suffix, so Barman's tools and {@link #parseKey} ignore it.
   *
   * @param wal the WAL file
   */
  public String claimKey(WalFileName wal) {
    return prefix(wal) + CLAIM_SUFFIX;
  }

  /**
   * {@return the WAL file whose claim object is stored under {@code key}, if it is one} See
   * {@link #claimKey}.
   *
   * @param key an object key
   */
  public Optional<WalFileName> parseClaimKey(String key) {
    if (!key.endsWith(CLAIM_SUFFIX)) {
      return Optional.empty();
    }
    return parseKey(key.substring(0, key.length() - CLAIM_SUFFIX.length()))
        .filter(stored -> stored.compression() == Compression.NONE)
        .map(StoredWal::wal);
  }

  /**
   * {@return the WAL file stored under {@code key} and its compression, if {@code key} is a WAL object of
   * this server} Keys with an unknown suffix are not WAL objects.
   *
   * @param key an object key
   */
  public Optional<StoredWal> parseKey(String key) {
    if (!key.startsWith(root())) {
      return Optional.empty();
    }
    String fileName = key.substring(key.lastIndexOf('/') + 1);
    Compression compression = Compression.fromSuffix(fileName).orElse(Compression.NONE);
    String name = fileName.substring(0, fileName.length() - compression.suffix().length());
    if (!WalFileName.isValid(name)) {
      return Optional.empty();
    }
    WalFileName wal = WalFileName.parse(name);
    if (!prefix(wal).equals(key.substring(0, key.length() - compression.suffix().length()))) {
      return Optional.empty();
    }
    return Optional.of(new StoredWal(key, wal, compression));
  }
}
