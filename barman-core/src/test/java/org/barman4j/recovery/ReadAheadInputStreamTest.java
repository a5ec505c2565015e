package org.barman4j.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  @Test
  void everyByteArrivesInOrderWhateverTheReadSizes() throws IOException {
    for (int size : new int[] {0, 1, 1000, 4096, 100_000}) {
      byte[] data = random(size);
      try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 4096, 2, "t")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 + size % 7000];
        int b = in.read();
        if (b >= 0) {
          out.write(b);
          int n;
          while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
          }
        }
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void aFailureOfTheSourceReachesTheReaderAfterTheDataBeforeIt() throws IOException {
    InputStream failing = new InputStream() {
      private int served;

      @Override
      public int read() throws IOException {
        if (served++ < 10_000) {
          return 7;
        }
        throw new IOException("corrupt gzip trailer");
      }
    };
    try (InputStream in = new ReadAheadInputStream(failing, 4096, 2, "t")) {
      byte[] first = in.readNBytes(10_000);
      assertThat(first).hasSize(10_000).containsOnly(7);
      assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("corrupt gzip trailer");
    }
  }

  @Test
  void closingStopsTheReaderAndClosesTheSource() throws Exception {
    AtomicBoolean sourceClosed = new AtomicBoolean();
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return 1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 1);
        return len;
      }

      @Override
      public void close() {
        sourceClosed.set(true);
      }
    };
    ReadAheadInputStream in = new ReadAheadInputStream(endless, 1024, 2, "read-ahead-test");
    assertThat(in.read()).isEqualTo(1);
    in.close();
    assertThat(sourceClosed).isTrue();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("read-ahead-test"));
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }
}
