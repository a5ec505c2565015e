package org.barman4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.Upload;

/**
 * A backend that forwards the abstract operations to another, for tests that change one or two of them.
 * The default methods ({@code put}, {@code deleteBatch} …) are not forwarded: they go through this
 * backend's own operations, overridden or not.
 */
public abstract class ForwardingStorageBackend implements StorageBackend {
  private final StorageBackend store;

  /** Forwards to {@code store}. */
  protected ForwardingStorageBackend(StorageBackend store) {
    this.store = Objects.requireNonNull(store, "store is null");
  }

  @Override
  public Capabilities capabilities() {
    return store.capabilities();
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    return store.stat(key);
  }

  @Override
  public InputStream read(String key, ByteRange range) throws IOException {
    return store.read(key, range);
  }

  @Override
  public ListPage list(String prefix, ListOptions options) throws IOException {
    return store.list(prefix, options);
  }

  @Override
  public Upload openUpload(String key, PutOptions options) throws IOException {
    return store.openUpload(key, options);
  }

  @Override
  public void delete(String key) throws IOException {
    store.delete(key);
  }

  @Override
  public void check() throws IOException {
    store.check();
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
