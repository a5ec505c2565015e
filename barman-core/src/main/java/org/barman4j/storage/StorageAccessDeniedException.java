package org.barman4j.storage;

/**
 * The store was reached but refused the credentials or the permission (HTTP 401/403: unknown key, bad
 * signature, missing policy), or no credentials were found at all. Retrying will not help; the message
 * names the URL and never the secret.
 */
public class StorageAccessDeniedException extends StorageException {
  public StorageAccessDeniedException(String message) {
    super(message);
  }

  public StorageAccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
