package org.barman4j.wal;

import java.util.Objects;
import org.barman4j.compress.Compression;

/**
 * A WAL object found in storage.
 *
 * @param key where it is stored
 * @param wal the WAL file it holds
 * @param compression how it is compressed, from its suffix
 */
public record StoredWal(String key, WalFileName wal, Compression compression) {
  /**
   * Checks that no component is null.
   *
   * @param key the object's key
   * @param compression the compression
   * @param wal the WAL file it holds
   */
  public StoredWal {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(wal, "wal is null");
    Objects.requireNonNull(compression, "compression is null");
  }
}
