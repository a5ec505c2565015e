package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CompressionRoundTripTest {
  private static final byte[] SMALL = TestData.mixed(300_000, 1);

  static Stream<Arguments> everyCodecAtEveryNamedLevel() {
    List<Arguments> arguments = new ArrayList<>();
    for (Compression c : Compression.values()) {
      for (CompressionLevel level : List.of(CompressionLevel.LOW, CompressionLevel.MEDIUM, CompressionLevel.HIGH)) {
        arguments.add(Arguments.of(c, level));
      }
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyCodecAtEveryNamedLevel")
  void everyCodecRoundTripsEmptyTinyAndMixedInputAtEveryNamedLevel(Compression c, CompressionLevel level)
      throws IOException {
    for (byte[] data : List.of(new byte[0], new byte[] {42}, SMALL)) {
      byte[] compressed = TestData.compress(c, level, data);
      assertThat(TestData.decompress(c, compressed)).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void sixteenMebibytesOfMixedDataRoundTripInUnevenWrites(Compression c) throws IOException {
    byte[] data = TestData.mixed(TestData.SIXTEEN_MIB + 4099, 2);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Random random = new Random(3);
    try (OutputStream out = c.compress(sink, CompressionLevel.MEDIUM)) {
      int position = 0;
      while (position < data.length) {
        int n = Math.min(data.length - position, random.nextInt(200_000));
        out.write(data, position, n);
        position += n;
      }
    }
    byte[] compressed = sink.toByteArray();
    if (c != Compression.NONE) {
      assertThat(compressed.length).isLessThan(data.length * 3 / 4);
    }
    assertThat(TestData.decompress(c, compressed)).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void singleByteWritesAndReadsRoundTrip(Compression c) throws IOException {
    byte[] data = TestData.mixed(70_000, 4);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(sink, CompressionLevel.MEDIUM)) {
      for (byte b : data) {
        out.write(b);
      }
    }
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    try (InputStream in = c.decompress(new ByteArrayInputStream(sink.toByteArray()))) {
      for (int b = in.read(); b >= 0; b = in.read()) {
        result.write(b);
      }
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(result.toByteArray()).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void inputArrivingAFewBytesAtATimeWithNothingAvailableDecompresses(Compression c) throws IOException {
    byte[] data = TestData.mixed(200_000, 5);
    byte[] compressed = TestData.compress(c, CompressionLevel.MEDIUM, data);
    try (InputStream in = c.decompress(TestData.trickle(compressed, 6))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void concatenatedStreamsDecompressToTheConcatenatedData(Compression c) throws IOException {
    byte[] first = TestData.mixed(150_000, 7);
    byte[] second = TestData.mixed(90_000, 8);
    byte[] both = TestData.concat(
        TestData.compress(c, CompressionLevel.LOW, first),
        TestData.compress(c, CompressionLevel.MEDIUM, new byte[0]),
        TestData.compress(c, CompressionLevel.HIGH, second));
    try (InputStream in = c.decompress(TestData.trickle(both, 9))) {
      assertThat(in.readAllBytes()).isEqualTo(TestData.concat(first, second));
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void flushingMidStreamDoesNotChangeTheData(Compression c) throws IOException {
    byte[] data = TestData.mixed(100_000, 10);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(sink, CompressionLevel.MEDIUM)) {
      out.write(data, 0, 1000);
      out.flush();
      out.write(data, 1000, data.length - 1000);
      out.flush();
    }
    assertThat(TestData.decompress(c, sink.toByteArray())).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "XZ", "ZSTD", "LZ4"})
  void higherLevelsReachTheEncoder(Compression c) throws IOException {
    byte[] data = TestData.logLines(1_000_000, 11);
    int low = TestData.compress(c, CompressionLevel.LOW, data).length;
    int high = TestData.compress(c, CompressionLevel.HIGH, data).length;
    assertThat(high).isLessThan(low);
  }

  @Test
  void theEndsOfEachAffordableLevelRangeWork() throws IOException {
    // xz 9 and zstd 22 are in range but need hundreds of MiB of memory, so they are not run here.
    record Case(Compression c, int level) {}
    List<Case> cases = List.of(new Case(Compression.GZIP, 1), new Case(Compression.GZIP, 9),
        new Case(Compression.BZIP2, 1), new Case(Compression.BZIP2, 9), new Case(Compression.XZ, 1),
        new Case(Compression.ZSTD, -22), new Case(Compression.ZSTD, 0), new Case(Compression.ZSTD, 19),
        new Case(Compression.LZ4, 0), new Case(Compression.LZ4, 2), new Case(Compression.LZ4, 3),
        new Case(Compression.LZ4, 16));
    for (Case k : cases) {
      byte[] compressed = TestData.compress(k.c(), CompressionLevel.of(k.level()), SMALL);
      assertThat(TestData.decompress(k.c(), compressed)).as(k.toString()).isEqualTo(SMALL);
    }
  }

  @Test
  void noneWrapsNothing() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(Compression.NONE.compress(out, CompressionLevel.HIGH)).isSameAs(out);
    InputStream in = new ByteArrayInputStream(SMALL);
    assertThat(Compression.NONE.decompress(in)).isSameAs(in);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void closingTheCompressingStreamClosesTheDestinationOnce(Compression c) throws IOException {
    CountingCloseOutputStream sink = new CountingCloseOutputStream();
    OutputStream out = c.compress(sink, CompressionLevel.MEDIUM);
    out.write(SMALL);
    out.close();
    out.close();
    assertThat(sink.closes).isPositive();
    assertThat(TestData.decompress(c, sink.toByteArray())).isEqualTo(SMALL);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void theDestinationIsClosedEvenWhenFinishingTheStreamFails(Compression c) throws IOException {
    FailingOutputStream sink = new FailingOutputStream(1000);
    OutputStream out;
    try {
      out = c.compress(sink, CompressionLevel.MEDIUM);
    } catch (IOException e) {
      assertThat(sink.closed).isTrue();
      return;
    }
    try {
      out.write(SMALL);
    } catch (IOException expected) {
      // the destination may fail during a write or only at close
    }
    try {
      out.close();
    } catch (IOException expected) {
      // finishing fails too
    }
    assertThat(sink.closed).isTrue();
  }

  private static final class CountingCloseOutputStream extends ByteArrayOutputStream {
    int closes;

    @Override
    public void close() {
      closes++;
    }
  }

  /** Accepts {@code limit} bytes, then fails every write. */
  private static final class FailingOutputStream extends OutputStream {
    private int remaining;
    boolean closed;

    FailingOutputStream(int limit) {
      this.remaining = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > remaining) {
        throw new IOException("connection reset");
      }
      remaining -= len;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
