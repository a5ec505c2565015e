package org.barman4j.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The body of a GetObject. Closing it before the end aborts the connection rather than reading the rest
 * of the object, which could be gigabytes (a restore that stops early, a peek at a header). A failure while
 * the body arrives (the read time-out of a stalled server, a reset connection) is the SPI's storage failure
 * naming the URL, as the same failure before the headers is.
 */
final class S3ObjectInputStream extends FilterInputStream {
  private final ResponseInputStream<?> response;
  private final S3StorageBackend backend;
  private final String key;
  private boolean ended;

  S3ObjectInputStream(ResponseInputStream<?> response, S3StorageBackend backend, String key) {
    super(response);
    this.response = response;
    this.backend = backend;
    this.key = key;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = super.read();
    } catch (IOException | SdkException e) {
      throw failure(e);
    }
    if (b < 0) {
      ended = true;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n;
    try {
      n = super.read(buffer, offset, length);
    } catch (IOException | SdkException e) {
      throw failure(e);
    }
    if (n < 0) {
      ended = true;
    }
    return n;
  }

  private IOException failure(Exception e) {
    return e instanceof SdkException sdk ? backend.error(sdk, "read", key) : backend.bodyError((IOException) e, key);
  }

  @Override
  public void close() throws IOException {
    if (!ended) {
      response.abort();
    }
    super.close();
  }
}
