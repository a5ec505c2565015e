package org.barman4j.storage;

/**
 * The store was reached but refused the credentials or the permission (HTTP 401/403: unknown key, bad
 * signature, missing policy), or no credentials were found at all. Retrying will not help; the message
 * names the URL and never the secret.
 */
public class StorageAccessDeniedException extends StorageException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public StorageAccessDeniedException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public StorageAccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
