package org.barman4j.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.barman4j.internal.Causes;
import org.barman4j.storage.NoSuchStoreException;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps AWS SDK exceptions onto the storage SPI's exception tree, with one-line messages that name the
 * {@code s3://} URL and the endpoint but never a credential:
 *
 * <ul>
 *   <li>no connection, unknown host, TLS failure, time-out, HTTP 5xx and throttling (after the SDK's
 *       retries) → {@link StorageUnavailableException} (the tools exit 2, as Barman does for
 *       {@code EndpointConnectionError});
 *   <li>HTTP 401/403 (InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied …) and "no credentials found"
 *       → {@link StorageAccessDeniedException} (the tools exit 4, as Barman 3.4, whose tools let the
 *       ClientError escape to their catch-all);
 *   <li>a missing bucket → {@link NoSuchBucketException} (the tools exit 1, as Barman's
 *       "Bucket … does not exist");
 *   <li>anything else → {@link StorageException} (exit 1).
 * </ul>
 */
final class S3Errors {
  private S3Errors() {}

  /** A missing bucket. */
  static final class NoSuchBucketException extends NoSuchStoreException {
    NoSuchBucketException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The SPI exception for {@code e}, raised while doing {@code action} (e.g. "write") on {@code url}, with
   * {@code endpoint} the server addressed.
   */
  static StorageException map(SdkException e, String action, String url, String endpoint, String bucket) {
    if (e instanceof AwsServiceException) {
      AwsServiceException service = (AwsServiceException) e;
      int status = service.statusCode();
      String code = errorCode(service);
      String detail = detail(service);
      if (status == 401 || status == 403) {
        return new StorageAccessDeniedException(
            "Access denied to " + url + " (cannot " + action + "): " + detail + "; check the AWS credentials "
                + "and the profile, and that they may use bucket '" + bucket + "'", e);
      }
      if (code.equals("NoSuchBucket") || (status == 404 && code.isEmpty() && action.equals("check"))) {
        return new NoSuchBucketException("Bucket '" + bucket + "' does not exist at " + endpoint
            + " (cannot " + action + " " + url + ")", e);
      }
      if (status >= 500 || service.isThrottlingException()) {
        return new StorageUnavailableException(
            "S3 at " + endpoint + " is unavailable (cannot " + action + " " + url + "): " + detail, e);
      }
      return new StorageException("Cannot " + action + " " + url + ": " + detail, e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new StorageUnavailableException(
          "Cannot " + action + " " + url + ": no answer from " + endpoint + " in time", e);
    }
    if (e instanceof AbortedException) {
      return new StorageException("Cannot " + action + " " + url + ": interrupted", e);
    }
    if (e instanceof SdkClientException) {
      Throwable io = ioCause(e);
      if (io instanceof UnknownHostException) {
        return new StorageUnavailableException("Cannot reach S3 at " + endpoint + " (unknown host " + oneLine(
            io.getMessage()) + ") to " + action + " " + url, e);
      }
      if (io instanceof SocketTimeoutException) {
        return new StorageUnavailableException(
            "Cannot " + action + " " + url + ": " + endpoint + " did not answer in time (" + oneLine(io.getMessage()) + ")", e);
      }
      if (io instanceof ConnectException || io instanceof NoRouteToHostException) {
        return new StorageUnavailableException(
            "Cannot reach S3 at " + endpoint + " to " + action + " " + url + ": " + oneLine(io.getMessage()), e);
      }
      if (io instanceof SSLException) {
        return new StorageUnavailableException(
            "Cannot " + action + " " + url + ": TLS failure talking to " + endpoint + ": " + oneLine(io.getMessage()), e);
      }
      if (io instanceof InterruptedIOException) {
        return new StorageException("Cannot " + action + " " + url + ": interrupted", e);
      }
      if (io != null) {
        return new StorageUnavailableException("Cannot " + action + " " + url + ": I/O error talking to " + endpoint
            + ": " + io.getClass().getSimpleName() + ": " + oneLine(io.getMessage()), e);
      }
      String message = oneLine(e.getMessage());
      if (message.startsWith("Unable to load credentials")) {
        return new StorageAccessDeniedException("No AWS credentials found to " + action + " " + url
            + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a profile (--aws-profile)", e);
      }
      return new StorageException("Cannot " + action + " " + url + ": " + firstSentence(message), e);
    }
    return new StorageException("Cannot " + action + " " + url + ": " + firstSentence(oneLine(e.getMessage())), e);
  }

  /**
   * The SPI exception for {@code e}, raised while an object's body was arriving from {@code endpoint}: the
   * server stopped sending past the read time-out, or the connection broke. That is the store becoming
   * unreachable mid-transfer ({@link StorageUnavailableException}, exit 2), like the same failure before the
   * headers; only an interruption of this thread is not.
   */
  static StorageException bodyFailure(IOException e, String url, String endpoint) {
    if (e instanceof StorageException storage) {
      return storage;
    }
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      return new StorageException("Cannot read " + url + ": interrupted", e);
    }
    if (e instanceof SocketTimeoutException) {
      return new StorageUnavailableException("Cannot read " + url + ": " + endpoint
          + " stopped sending the object and did not resume in time (" + Causes.describe(e) + ")", e);
    }
    return new StorageUnavailableException("Cannot read " + url + ": the connection to " + endpoint
        + " failed while receiving the object (" + Causes.describe(e) + ")", e);
  }

  /** The S3 error code of {@code e} ({@code NoSuchKey}, {@code PreconditionFailed} …), or empty. */
  static String errorCode(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    return details == null || details.errorCode() == null ? "" : details.errorCode();
  }

  // "InvalidAccessKeyId (HTTP 403): The AWS Access Key Id you provided does not exist in our records."
  private static String detail(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = errorCode(e);
    String message = details == null || details.errorMessage() == null ? "" : oneLine(details.errorMessage());
    StringBuilder sb = new StringBuilder();
    sb.append(code.isEmpty() ? "HTTP " + e.statusCode() : code + " (HTTP " + e.statusCode() + ")");
    if (!message.isEmpty() && !message.equals(code)) {
      sb.append(": ").append(message);
    }
    return sb.toString();
  }

  private static Throwable ioCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof IOException) {
        // The innermost I/O cause says most (UnknownHostException inside a wrapping IOException).
        Throwable inner = ioCause(t);
        return inner != null ? inner : t;
      }
    }
    return null;
  }

  private static String firstSentence(String message) {
    // SDK client messages run on with advice and provider lists; the first sentence is the news.
    int end = message.indexOf(". ");
    return end > 0 ? message.substring(0, end + 1) : message;
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
