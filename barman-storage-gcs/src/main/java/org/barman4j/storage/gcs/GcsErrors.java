package org.barman4j.storage.gcs;

import com.google.cloud.BaseServiceException;
import java.io.IOException;
import java.util.Locale;
import org.barman4j.storage.NoSuchStoreException;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;

/**
 * Turns google-cloud-storage failures into the SPI's exceptions, with one-line messages that name the URL and
 * never carry a credential (Google's messages hold the API's error text, which has none).
 */
final class GcsErrors {
  private GcsErrors() {}

  /** A missing bucket: barman-cloud's "Bucket … does not exist" (its tools exit 1). */
  static final class NoSuchBucketException extends NoSuchStoreException {
    NoSuchBucketException(String bucket, String action, String what, Throwable cause) {
      super("Bucket '" + bucket + "' does not exist (cannot " + action + " " + what + ")", cause);
    }
  }

  /**
   * The SPI exception for a failed {@code action} ("read", "list" …) on {@code what} (a gs:// URL):
   *
   * <ul>
   *   <li>HTTP 401/403 and failed token exchanges → {@link StorageAccessDeniedException} (barman-cloud's
   *       tools exit 4: google-auth's RefreshError reaches their catch-all);
   *   <li>404 (any 404 where the object is not the subject) → {@link NoSuchBucketException} (exit 1);
   *   <li>unreachable endpoints and exhausted retries on 429/5xx → {@link StorageUnavailableException} (exit 2);
   *   <li>anything else → {@link StorageException} (exit 1).
   * </ul>
   */
  static StorageException map(String action, String what, Throwable e) {
    int code = code(e);
    String detail = describe(e);
    if (code == 401 || code == 403 || authFailure(e)) {
      return new StorageAccessDeniedException(
          "Cannot " + action + " " + what + ": access denied (check the Google credentials): " + detail, e);
    }
    if (code == 404) {
      return new NoSuchBucketException(bucket(what), action, what, e);
    }
    if (code == 429 || code >= 500 || unreachable(e)) {
      return new StorageUnavailableException("Cannot " + action + " " + what + ": " + detail, e);
    }
    return new StorageException("Cannot " + action + " " + what + ": " + detail, e);
  }

  // "gs://bucket/path" → "bucket"; every caller names a gs:// URL.
  private static String bucket(String url) {
    String rest = url.startsWith("gs://") ? url.substring(5) : url;
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The HTTP status of a Google service exception in {@code e}'s causes, or 0. */
  static int code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BaseServiceException service && service.getCode() != 0) {
        return service.getCode();
      }
    }
    return 0;
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      if (name.startsWith("java.net.") || name.startsWith("javax.net.")) {
        return true; // connection refused, unknown host, timeouts, TLS failures
      }
    }
    return false;
  }

  // Token refresh failures (a revoked key, a wrong token_uri) arrive as plain IOExceptions from google-auth.
  private static boolean authFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("com.google.auth.")) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && (m.contains("access token") || m.contains("invalid_grant") || m.contains("invalid_client"))) {
        return true;
      }
    }
    return false;
  }

  /** The most telling message in {@code e}'s causes, on one line and cut to a sensible length. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root
        && (root.getMessage() == null || root.getMessage().isBlank() || root instanceof BaseServiceException
            && ((BaseServiceException) root).getCode() == 0)) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String text = message == null || message.isBlank() ? root.getClass().getSimpleName()
        : (root instanceof IOException && !(root instanceof BaseServiceException) && isJdkNetworkError(root)
            ? root.getClass().getSimpleName() + ": " + message : message);
    text = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  private static boolean isJdkNetworkError(Throwable t) {
    return t.getClass().getName().toLowerCase(Locale.ROOT).startsWith("java.net.");
  }
}
