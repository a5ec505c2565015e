package org.barman4j.storage.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import org.barman4j.storage.NoSuchStoreException;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;

/**
 * Turns Azure SDK failures into the SPI's exceptions with one-line messages of our own. The SDK's messages
 * are never passed on: they can hold request URLs with SAS signatures and whole response bodies. Only the
 * HTTP status, Azure's error code and, for network failures, the JDK's reason ("Connection refused") are kept.
 */
final class AzureErrors {
  private AzureErrors() {}

  /** The HTTP status of {@code e}, or 0 if it is not a service response. */
  static int status(RuntimeException e) {
    return e instanceof BlobStorageException storage ? storage.getStatusCode() : 0;
  }

  /** Azure's error code of {@code e} ({@code BlobNotFound} …), or empty. */
  static String code(RuntimeException e) {
    if (e instanceof BlobStorageException storage) {
      BlobErrorCode code = storage.getErrorCode();
      if (code != null) {
        return code.toString();
      }
      String header = storage.getResponse() == null ? null : storage.getResponse().getHeaderValue("x-ms-error-code");
      return header == null ? "" : header;
    }
    return "";
  }

  static boolean isContainerNotFound(RuntimeException e) {
    return status(e) == 404 && code(e).equals(BlobErrorCode.CONTAINER_NOT_FOUND.toString());
  }

  static boolean isNotFound(RuntimeException e) {
    return status(e) == 404;
  }

  /**
   * The exception for a failed {@code action} ("read 'wals/x'") against {@code location}: unreachable
   * endpoints, refused credentials and server errors are {@link StorageUnavailableException}s (barman-cloud's
   * exit 2), the rest plain {@link StorageException}s (exit 1).
   */
  static StorageException failure(String action, AzureLocation location, AzureStorageProperties.Credential credential,
      RuntimeException e) {
    String where = " at " + location.url();
    if (e instanceof BlobStorageException) {
      int status = status(e);
      String code = code(e);
      String reason = "HTTP " + status + (code.isEmpty() ? "" : " " + code);
      if (status == 401 || status == 403) {
        return new StorageUnavailableException("Cannot " + action + where + ": access denied (" + reason
            + "); check the Azure credentials (" + credential + ")", e);
      }
      if (isContainerNotFound(e)) {
        return new NoSuchStoreException("Container '" + location.container() + "' does not exist (cannot " + action
            + where + ")", e);
      }
      if (status >= 500 || status == 408 || status == 429) {
        return new StorageUnavailableException("Cannot " + action + where + ": the service failed (" + reason + ")", e);
      }
      return new StorageException("Cannot " + action + where + ": " + reason, e);
    }
    if (e instanceof ClientAuthenticationException || isIdentityFailure(e)) {
      return new StorageUnavailableException("Cannot " + action + where + ": no Azure token from " + credential
          + ": " + firstLine(e.getMessage()), e);
    }
    Throwable network = networkCause(e);
    if (network != null) {
      return new StorageUnavailableException("Cannot " + action + where + ": cannot reach " + location.endpoint()
          + " (" + describe(network) + ")", e);
    }
    return new StorageException("Cannot " + action + where + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())), e);
  }

  private static boolean isIdentityFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("com.azure.identity.")
          || t instanceof ClientAuthenticationException) {
        return true;
      }
    }
    return false;
  }

  /** The first cause that says the network failed, or null. */
  private static Throwable networkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
          || t instanceof HttpTimeoutException || t instanceof TimeoutException || t instanceof InterruptedIOException
          || t instanceof java.net.SocketException || t instanceof java.net.http.HttpConnectTimeoutException
          || (t instanceof IOException && t.getClass().getName().startsWith("java.net."))) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    // The JDK client reports a refused connection as a bare IOException wrapping nothing more specific.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(Throwable network) {
    String message = network.getMessage();
    String name = network.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : name + ": " + firstLine(redact(message));
  }

  /** The first line of {@code message}, cut short and with anything that looks like a secret removed. */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String line = redact(message.strip());
    int newline = line.indexOf('\n');
    if (newline >= 0) {
      line = line.substring(0, newline).strip();
    }
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  /** {@code text} without query strings, signatures and account keys. */
  static String redact(String text) {
    return text.replaceAll("(?i)(AccountKey|SharedAccessSignature|sig|se|sv|sp|sr|st|skoid|sktid)=[^;&\\s'\"]*", "$1=****")
        .replaceAll("\\?[^\\s'\"]*=[^\\s'\"]*", "?****");
  }
}
