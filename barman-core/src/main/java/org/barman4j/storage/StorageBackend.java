package org.barman4j.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Flat key-to-bytes storage rooted at a URL. Keys are relative to that root and valid per
 * {@link Keys#check(String)}; an invalid key is an {@link IllegalArgumentException}. Implementations are
 * thread-safe, and every exception message names the key or URL involved.
 */
// NOTE: every method here is paid for by every backend, third-party ones included. Add methods only with
// a default implementation and a contract test in barman-storage-testkit.
public interface StorageBackend extends Closeable {

  /** {@return what this backend guarantees} Constant for the backend's life. */
  Capabilities capabilities();

  /**
   * Size, modification time, ETag and user metadata of {@code key}; empty if it does not exist (or is
   * still being uploaded).
   *
   * @param key the object's key
   * @return what is known of the object, if it exists
   * @throws IOException if the storage cannot be read or written
   */
  Optional<ObjectInfo> stat(String key) throws IOException;

  /**
   * Streams the bytes of {@code key} within {@code range}. A range that starts at or past the end yields
   * an empty stream; one that runs past the end is cut at the end. The caller must close the stream.
   *
   * @param key the object's key
   * @param range the bytes to read
   * @return the bytes
   * @throws NoSuchObjectException if {@code key} does not exist (raised by this call, not the first read)
   */
  InputStream read(String key, ByteRange range) throws IOException;

  /**
   * {@return one page of the objects whose key starts with {@code prefix}, a plain string prefix rather than
   * a directory ({@code wals/0000} matches {@code wals/00000001…}; the empty prefix matches everything), in
   * ascending UTF-8 byte order} Entries carry no user metadata. With {@link ListOptions#delimited()}, keys
   * holding a '/' after the prefix are folded into {@link ListPage#commonPrefixes()}. Objects being uploaded
   * are never listed. Concurrent writes may or may not show up in a listing in progress.
   *
   * @param options paging and folding of the listing
   * @param prefix a plain key prefix
   * @throws IOException if the storage cannot be read or written
   */
  ListPage list(String prefix, ListOptions options) throws IOException;

  /**
   * Starts a write of unknown length; see {@link Upload}. The precondition is checked at commit time,
   * so concurrent uploads of one key with {@link Precondition#IF_ABSENT} have at most one winner when
   * {@link Capabilities#atomicCreateIfAbsent()} holds.
   *
   * @param key the object's key
   * @param options how to write
   * @return the upload, to write then commit or abort
   * @throws IOException if the storage cannot be read or written
   */
  Upload openUpload(String key, PutOptions options) throws IOException;

  /**
   * Writes a small object in one go, with the same semantics as {@link #openUpload}; override to use a
   * single request.
   *
   * @param key the object's key
   * @param options how to write
   * @param content the bytes
   * @return what was stored
   * @throws ObjectExistsException if the options say {@link Precondition#IF_ABSENT} and the key exists
   */
  default ObjectInfo put(String key, byte[] content, PutOptions options) throws IOException {
    try (Upload upload = openUpload(key, options)) {
      upload.stream().write(content);
      return upload.commit();
    }
  }

  /**
   * Makes sure the stored object {@code key} survives a crash of this machine. Every commit already does
   * this; call it before relying on an object that a writer which may have died half-way created (a
   * retried WAL archive that finds its segment stored). The default does nothing, which is right for stores
   * whose commits are durable by themselves (the cloud stores).
   *
   * @param key the object's key
   * @throws NoSuchObjectException if {@code key} does not exist (implementations may skip this check)
   */
  default void sync(String key) throws IOException {
    Keys.check(key);
  }

  /**
   * Removes what uploads that will never be committed left behind under {@code prefix} (a plain string
   * prefix, as in {@link #list}) and that were started more than {@code olderThan} ago, and returns how
   * many it removed. Never touches a committed object. An upload still in progress that is older than
   * {@code olderThan} may be removed where the store cannot tell it from an abandoned one (S3's multipart
   * uploads): pass an age longer than any upload takes (a day). The default removes nothing, which is right
   * for stores that expire abandoned uploads themselves (Azure discards uncommitted blocks after seven days,
   * Google Cloud Storage its resumable upload sessions after one week).
   *
   * @param prefix a plain key prefix
   * @param olderThan the age from which an upload is taken as abandoned
   * @return how many uploads were removed
   * @throws IOException if the storage cannot be read or written
   * @throws IllegalArgumentException if {@code olderThan} is negative or the prefix is invalid
   */
  default int cleanUpAbandonedUploads(String prefix, Duration olderThan) throws IOException {
    Keys.checkPrefix(prefix);
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("Negative age: " + olderThan);
    }
    return 0;
  }

  /**
   * Deletes {@code key}. Deleting a missing key succeeds.
   *
   * @param key the object's key
   * @throws IOException if the storage cannot be read or written
   */
  void delete(String key) throws IOException;

  /**
   * Deletes at most {@link Capabilities#maxDeleteBatch()} keys, in one request where the store allows
   * (callers do the chunking). Missing keys are ignored. Not atomic.
   *
   * @param keys the objects' keys
   * @throws BulkDeleteException naming every key that could not be deleted
   */
  default void deleteBatch(Collection<String> keys) throws IOException {
    if (keys.size() > capabilities().maxDeleteBatch()) {
      throw new IllegalArgumentException(
          "Too many keys for one batch: " + keys.size() + " > " + capabilities().maxDeleteBatch());
    }
    Map<String, IOException> failed = new LinkedHashMap<>();
    for (String key : keys) {
      try {
        delete(key);
      } catch (IOException e) {
        failed.put(key, e);
      }
    }
    if (!failed.isEmpty()) {
      throw new BulkDeleteException(failed);
    }
  }

  /**
   * Verifies that the store is reachable with the configured credentials and that its root (bucket,
   * container, directory) exists or can be created on first write.
   *
   * @throws StorageUnavailableException if the store cannot be reached
   * @throws StorageAccessDeniedException if it refuses the credentials
   * @throws StorageException if the root does not exist and will not be created
   */
  void check() throws IOException;

  /** Releases clients and threads. Idempotent. */
  @Override
  void close() throws IOException;
}
