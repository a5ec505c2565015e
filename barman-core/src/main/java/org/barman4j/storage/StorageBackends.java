package org.barman4j.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Conveniences over the {@link StorageBackend} SPI, so that callers cannot forget a commit or a page. */
public final class StorageBackends {
  private StorageBackends() {}

  /** Writes the bytes that {@code body} produces into {@code key}. */
  @FunctionalInterface
  public interface Body {
    /**
     * Writes the object's bytes.
     *
     * @param out where the bytes go; do not close it
     * @throws IOException if writing fails; the upload is aborted
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Streams {@code body} into {@code key}: commits if it returns, aborts (leaving nothing) if it throws.
   *
   * @param backend the storage
   * @param key the object's key
   * @param options how to write
   * @param body writes the content
   * @return what was stored
   * @throws IOException if the storage or {@code body} fails
   */
  public static ObjectInfo write(StorageBackend backend, String key, PutOptions options, Body body)
      throws IOException {
    try (Upload upload = backend.openUpload(key, options)) {
      body.writeTo(upload.stream());
      return upload.commit();
    }
  }

  /**
   * {@return every object under {@code prefix}, following pages}
   *
   * @param backend the storage
   * @param prefix a plain key prefix
   * @throws IOException if the storage cannot be read or written
   */
  public static List<ObjectInfo> listAll(StorageBackend backend, String prefix) throws IOException {
    List<ObjectInfo> all = new ArrayList<>();
    ListOptions options = ListOptions.DEFAULT;
    while (true) {
      ListPage page = backend.list(prefix, options);
      all.addAll(page.objects());
      Optional<String> next = page.nextPageToken();
      if (next.isEmpty()) {
        return all;
      }
      options = options.withPageToken(next.get());
    }
  }

  /**
   * Deletes every object under {@code prefix}, in batches the backend accepts.
   *
   * @param backend the storage
   * @param prefix a plain key prefix
   * @throws IOException if the storage cannot be read or written
   */
  public static void deleteAll(StorageBackend backend, String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    for (ObjectInfo info : listAll(backend, prefix)) {
      keys.add(info.key());
    }
    int batch = backend.capabilities().maxDeleteBatch();
    for (int i = 0; i < keys.size(); i += batch) {
      backend.deleteBatch(keys.subList(i, Math.min(keys.size(), i + batch)));
    }
  }
}
