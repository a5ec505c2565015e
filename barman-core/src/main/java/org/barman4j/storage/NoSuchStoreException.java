package org.barman4j.storage;

/**
 * The bucket, container or root directory a URL names does not exist, and the backend was configured not to
 * take it for an empty store (the reading tools: {@code s3.create-bucket=false}, {@code gcs.create-bucket=false},
 * {@code azure.create-container=false}, {@code file.create-root=false}). The message names the URL.
 */
public class NoSuchStoreException extends StorageException {
  public NoSuchStoreException(String message) {
    super(message);
  }

  public NoSuchStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
