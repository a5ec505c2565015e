package org.barman4j.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Upload;

/** Uploads into memory with injectable slowness and failures, recording what was committed. */
final class TestUploads {
  final Map<String, byte[]> committed = new ConcurrentHashMap<>();
  final Map<String, Boolean> closed = new ConcurrentHashMap<>();
  final AtomicInteger open = new AtomicInteger();
  volatile long writeDelayMillis;
  volatile String failWritesOf = "";
  volatile String failCommitOf = "";

  Upload open(String key) {
    open.incrementAndGet();
    closed.put(key, false);
    return new Upload() {
      private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      private boolean done;

      @Override
      public OutputStream stream() {
        return new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (done) {
              throw new IOException("upload of " + key + " is closed");
            }
            if (key.equals(failWritesOf) && bytes.size() + len > 100) {
              throw new IOException("injected write failure on " + key);
            }
            if (writeDelayMillis > 0) {
              try {
                Thread.sleep(writeDelayMillis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
              }
            }
            bytes.write(b, off, len);
          }
        };
      }

      @Override
      public ObjectInfo commit() throws IOException {
        if (done) {
          throw new IllegalStateException("already done");
        }
        done = true;
        if (key.equals(failCommitOf)) {
          throw new IOException("injected commit failure on " + key);
        }
        byte[] content = bytes.toByteArray();
        committed.put(key, content);
        return new ObjectInfo(key, content.length, Instant.now(), Optional.empty(), Map.of());
      }

      @Override
      public void close() {
        if (!closed.get(key)) {
          closed.put(key, true);
          open.decrementAndGet();
        }
        done = true;
      }
    };
  }

  List<String> committedKeys() {
    List<String> keys = new ArrayList<>(committed.keySet());
    keys.sort(null);
    return keys;
  }
}
