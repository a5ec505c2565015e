package org.barman4j.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A streaming write of unknown length. Nothing is visible under the key until {@link #commit()} returns;
 * closing without a commit discards everything written. Not thread-safe: one writer at a time.
 *
 * <pre>{@code
 * try (Upload upload = backend.openUpload(key, PutOptions.ifAbsent())) {
 *   source.transferTo(upload.stream());
 *   upload.commit();
 * }
 * }</pre>
 */
public interface Upload extends Closeable {
  /**
   * Where the bytes go. Closing this stream only flushes: it neither commits nor aborts.
   *
   * @return the stream to write to
   */
  OutputStream stream();

  /**
   * Makes the object visible, atomically and durably, and returns what was stored.
   *
   * @throws ObjectExistsException if the options said {@link Precondition#IF_ABSENT} and the key exists;
   *     what is stored is then unchanged
   * @throws IllegalStateException if called twice or after {@link #close()}
   * @return what was stored
   */
  ObjectInfo commit() throws IOException;

  /** Discards the write unless it was committed, leaving no trace. Idempotent. */
  @Override
  void close() throws IOException;
}
