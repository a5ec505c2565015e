package org.barman4j.storage.gcs;

import com.google.cloud.ReadChannel;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.barman4j.storage.NoSuchObjectException;

/** An object's bytes, with the client's failures turned into the SPI's exceptions naming the URL. */
final class GcsReadStream extends FilterInputStream {
  private final ReadChannel channel;
  private final String key;
  private final String url;

  GcsReadStream(InputStream in, ReadChannel channel, String key, String url) {
    super(in);
    this.channel = channel;
    this.key = key;
    this.url = url;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException | RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    super.close();
  }

  private IOException failure(Exception e) {
    if (e instanceof java.nio.channels.ClosedChannelException) {
      return new IOException("Cannot read " + url + ": the stream is closed", e);
    }
    if (GcsErrors.code(e) == 404) {
      // The generation read was replaced or deleted meanwhile.
      return new NoSuchObjectException(key);
    }
    return GcsErrors.map("read", url, e);
  }
}
