package org.barman4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.memory.InMemoryStorageBackend;

/**
 * An {@link InMemoryStorageBackend} for core's tests that records every delete request (to check ordering
 * and batching), fails the reads or deletes of chosen keys, and pages listings at a chosen size.
 */
public final class RecordingStorageBackend extends ForwardingStorageBackend {
  /** Every delete request, one list of keys per request, in order. */
  public final List<List<String>> deleteRequests = new CopyOnWriteArrayList<>();
  /** Keys whose read fails with an I/O error. */
  public final Set<String> failingReads = new ConcurrentSkipListSet<>();
  /** Keys whose delete fails with an I/O error. */
  public final Set<String> failingDeletes = new ConcurrentSkipListSet<>();

  private final InMemoryStorageBackend store;
  private final int pageSize;

  /** Batches of up to 1000 keys, pages of up to 1000 entries. */
  public RecordingStorageBackend() {
    this(1000, 1000);
  }

  /** Batches of up to {@code maxDeleteBatch} keys, pages of up to {@code pageSize} entries. */
  public RecordingStorageBackend(int maxDeleteBatch, int pageSize) {
    this(new InMemoryStorageBackend(
        new Capabilities(true, false, maxDeleteBatch, InMemoryStorageBackend.MAX_OBJECT_SIZE),
        // A fixed clock: every object was last modified at the epoch, so that nothing depends on the time.
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)), pageSize);
  }

  private RecordingStorageBackend(InMemoryStorageBackend store, int pageSize) {
    super(store);
    this.store = store;
    this.pageSize = pageSize;
  }

  /** Stores {@code text} in UTF-8 under {@code key}. */
  public void putText(String key, String text) {
    try {
      store.put(key, text.getBytes(StandardCharsets.UTF_8), PutOptions.DEFAULT);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The object under {@code key} as UTF-8 text, if there is one. */
  public Optional<String> text(String key) {
    try (InputStream in = store.read(key, ByteRange.ALL)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every key, in order. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    try {
      Optional<String> token = Optional.empty();
      do {
        ListOptions options = token.map(ListOptions.DEFAULT::withPageToken).orElse(ListOptions.DEFAULT);
        ListPage page = store.list("", options);
        page.objects().forEach(o -> keys.add(o.key()));
        token = page.nextPageToken();
      } while (token.isPresent());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return keys;
  }

  @Override
  public InputStream read(String key, ByteRange range) throws IOException {
    if (failingReads.contains(key)) {
      throw new StorageUnavailableException("injected read failure of " + key);
    }
    return super.read(key, range);
  }

  @Override
  public ListPage list(String prefix, ListOptions options) throws IOException {
    return super.list(prefix, options.withPageSize(Math.min(pageSize, options.pageSize())));
  }

  @Override
  public void delete(String key) throws IOException {
    if (failingDeletes.contains(key)) {
      throw new StorageUnavailableException("injected delete failure of " + key);
    }
    super.delete(key);
  }

  /** Records the request, then deletes key by key, stopping at the first failure. */
  @Override
  public void deleteBatch(Collection<String> keys) throws IOException {
    if (keys.size() > capabilities().maxDeleteBatch()) {
      throw new IllegalArgumentException("batch too large: " + keys.size());
    }
    deleteRequests.add(List.copyOf(keys));
    for (String key : keys) {
      delete(key);
    }
  }
}
