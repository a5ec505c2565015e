package org.barman4j.storage;

/**
 * The bucket, container or root directory a URL names does not exist, and the backend was configured not to
 * take it for an empty store (the reading tools: {@code s3.create-bucket=false}, {@code gcs.create-bucket=false},
 * {@code azure.create-container=false}, {@code file.create-root=false}). The message names the URL.
 */
public class NoSuchStoreException extends StorageException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public NoSuchStoreException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public NoSuchStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
