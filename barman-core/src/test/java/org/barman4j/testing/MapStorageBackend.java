package org.barman4j.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.Keys;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Precondition;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.Upload;

/**
 * A minimal map-backed backend for barman-core's own tests (the full in-memory backend lives in the
 * testkit, which depends on this module). Records every delete request so tests can check ordering
 * and batching, and can fail a chosen key's read or delete.
 */
public final class MapStorageBackend implements StorageBackend {
  private final TreeMap<String, byte[]> objects = new TreeMap<>();
  private final Capabilities capabilities;
  /** Every delete request, one list of keys per request, in order. */
  public final List<List<String>> deleteRequests = new ArrayList<>();
  /** Keys whose read fails with an I/O error. */
  public final java.util.Set<String> failingReads = new TreeSet<>();
  /** Keys whose delete fails with an I/O error. */
  public final java.util.Set<String> failingDeletes = new TreeSet<>();
  private final int pageSize;

  public MapStorageBackend() {
    this(1000, 1000);
  }

  public MapStorageBackend(int maxDeleteBatch, int pageSize) {
    this.capabilities = new Capabilities(true, false, maxDeleteBatch, Long.MAX_VALUE);
    this.pageSize = pageSize;
  }

  public synchronized void putText(String key, String text) {
    objects.put(Keys.check(key), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public synchronized Optional<String> text(String key) {
    byte[] b = objects.get(key);
    return b == null ? Optional.empty() : Optional.of(new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }

  public synchronized List<String> keys() {
    return new ArrayList<>(objects.keySet());
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public synchronized Optional<ObjectInfo> stat(String key) {
    byte[] b = objects.get(key);
    return b == null ? Optional.empty() : Optional.of(info(key, b));
  }

  private static ObjectInfo info(String key, byte[] b) {
    return new ObjectInfo(key, b.length, Instant.EPOCH, Optional.empty(), Map.of());
  }

  @Override
  public synchronized InputStream read(String key, ByteRange range) throws IOException {
    if (failingReads.contains(key)) {
      throw new StorageUnavailableException("injected read failure of " + key);
    }
    byte[] b = objects.get(key);
    if (b == null) {
      throw new NoSuchObjectException(key);
    }
    return new ByteArrayInputStream(b);
  }

  @Override
  public synchronized ListPage list(String prefix, ListOptions options) {
    String start = options.pageToken().orElse(prefix);
    List<ObjectInfo> page = new ArrayList<>();
    TreeSet<String> prefixes = new TreeSet<>();
    String next = null;
    for (Map.Entry<String, byte[]> e : objects.tailMap(start, !options.pageToken().isPresent()).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (page.size() + prefixes.size() >= Math.min(pageSize, options.pageSize())) {
        next = page.isEmpty() ? null : page.get(page.size() - 1).key();
        break;
      }
      int slash = e.getKey().indexOf('/', prefix.length());
      if (options.delimited() && slash >= 0) {
        prefixes.add(e.getKey().substring(0, slash + 1));
      } else {
        page.add(info(e.getKey(), e.getValue()));
      }
    }
    return new ListPage(page, new ArrayList<>(prefixes), Optional.ofNullable(next));
  }

  @Override
  public Upload openUpload(String key, PutOptions options) {
    Keys.check(key);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    return new Upload() {
      private boolean done;

      @Override
      public OutputStream stream() {
        return buffer;
      }

      @Override
      public ObjectInfo commit() throws IOException {
        synchronized (MapStorageBackend.this) {
          if (options.precondition() == Precondition.IF_ABSENT && objects.containsKey(key)) {
            throw new ObjectExistsException(key);
          }
          done = true;
          objects.put(key, buffer.toByteArray());
          return info(key, buffer.toByteArray());
        }
      }

      @Override
      public void close() {
        done = true;
      }
    };
  }

  @Override
  public synchronized void delete(String key) throws IOException {
    if (failingDeletes.contains(key)) {
      throw new StorageUnavailableException("injected delete failure of " + key);
    }
    objects.remove(key);
  }

  @Override
  public synchronized void deleteBatch(Collection<String> keys) throws IOException {
    if (keys.size() > capabilities.maxDeleteBatch()) {
      throw new IllegalArgumentException("batch too large: " + keys.size());
    }
    deleteRequests.add(List.copyOf(keys));
    for (String key : keys) {
      delete(key);
    }
  }

  @Override
  public void check() {}

  @Override
  public void close() {}
}
