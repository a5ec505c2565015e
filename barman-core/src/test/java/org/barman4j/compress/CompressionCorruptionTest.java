package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionCorruptionTest {
  private static final byte[] DATA = TestData.mixed(400_000, 21);

  private static byte[] compressed(Compression c) throws IOException {
    return TestData.compress(c, CompressionLevel.MEDIUM, DATA);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void inputCutInHalfRaisesIOException(Compression c) throws IOException {
    byte[] full = compressed(c);
    assertThatThrownBy(() -> TestData.decompress(c, Arrays.copyOf(full, full.length / 2)))
        .isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void inputMissingItsLastByteRaisesIOException(Compression c) throws IOException {
    byte[] full = compressed(c);
    assertThatThrownBy(() -> TestData.decompress(c, Arrays.copyOf(full, full.length - 1)))
        .isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"NONE", "SNAPPY"}, mode = EnumSource.Mode.EXCLUDE)
  void inputCutAnywhereRaisesIOException(Compression c) throws IOException {
    byte[] full = compressed(c);
    Random random = new Random(22);
    for (int i = 0; i < 40; i++) {
      int length = i < 20 ? i : random.nextInt(full.length);
      assertThatThrownBy(() -> TestData.decompress(c, Arrays.copyOf(full, length)))
          .as("cut at %d of %d", length, full.length)
          .isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"NONE", "SNAPPY"}, mode = EnumSource.Mode.EXCLUDE)
  void emptyInputRaisesIOException(Compression c) {
    assertThatThrownBy(() -> TestData.decompress(c, new byte[0])).isInstanceOf(IOException.class);
  }

  @Test
  void emptySnappyInputIsEmptyDataAsPythonSnappyWritesIt() throws IOException {
    assertThat(TestData.decompress(Compression.SNAPPY, new byte[0])).isEmpty();
  }

  @Test
  void snappyStreamCutBetweenChunksReadsAsAShorterStreamBecauseTheFormatHasNoEndMarker() throws IOException {
    byte[] full = compressed(Compression.SNAPPY);
    int firstChunkEnd = 10 + 4 + ((full[11] & 0xff) | (full[12] & 0xff) << 8 | (full[13] & 0xff) << 16);
    byte[] cut = Arrays.copyOf(full, firstChunkEnd);
    assertThat(TestData.decompress(Compression.SNAPPY, cut)).isEqualTo(Arrays.copyOf(DATA, 65536));
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void aCorruptedByteInTheMiddleRaisesIOException(Compression c) throws IOException {
    byte[] full = compressed(c);
    for (int percent : new int[] {30, 50, 70, 90}) {
      byte[] corrupt = full.clone();
      corrupt[full.length * percent / 100] ^= 0x10;
      assertThatThrownBy(() -> TestData.decompress(c, corrupt))
          .as("byte flipped at %d%%", percent)
          .isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void trailingGarbageRaisesIOException(Compression c) throws IOException {
    byte[] garbage = "garbage after the stream".getBytes(StandardCharsets.US_ASCII);
    byte[] withGarbage = TestData.concat(compressed(c), garbage);
    assertThatThrownBy(() -> TestData.decompress(c, withGarbage)).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"NONE", "SNAPPY"}, mode = EnumSource.Mode.EXCLUDE)
  void randomCorruptionNeverYieldsWrongDataOrAnUncheckedException(Compression c) throws IOException {
    // Snappy is left out: turning a chunk type into a skippable one drops the chunk unnoticed.
    byte[] small = TestData.mixed(20_000, 23);
    byte[] full = TestData.compress(c, CompressionLevel.MEDIUM, small);
    Random random = new Random(24);
    for (int i = 0; i < 300; i++) {
      byte[] corrupt = full.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 + random.nextInt(255));
      }
      try {
        byte[] result = TestData.decompress(c, corrupt);
        // only header fields that carry no data (a timestamp, say) may change unnoticed
        assertThat(result).as("corruption %d", i).isEqualTo(small);
      } catch (IOException expected) {
        // detected
      } catch (RuntimeException e) {
        fail("corruption " + i + " raised " + e, e);
      }
    }
  }

  @Test
  void dataFromAnotherCodecRaisesIOException() throws IOException {
    for (Compression writer : Compression.values()) {
      if (writer == Compression.NONE) {
        continue;
      }
      byte[] data = compressed(writer);
      for (Compression reader : Compression.values()) {
        if (reader == writer || reader == Compression.NONE) {
          continue;
        }
        assertThatThrownBy(() -> TestData.decompress(reader, data))
            .as("%s read as %s", writer, reader)
            .isInstanceOf(IOException.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void closingTheDecompressingStreamClosesTheSource(Compression c) throws IOException {
    boolean[] closed = {false};
    InputStream source = new ByteArrayInputStream(compressed(c)) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    c.decompress(source).close();
    assertThat(closed[0]).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"NONE", "SNAPPY"}, mode = EnumSource.Mode.EXCLUDE)
  void theSourceIsClosedWhenDecompressThrows(Compression c) {
    boolean[] closed = {false};
    InputStream source = new ByteArrayInputStream(new byte[0]) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    try (InputStream in = c.decompress(source)) {
      in.readAllBytes();
      fail("empty input accepted");
    } catch (IOException expected) {
      // either decompress or the first read fails, and the source is closed either way
    }
    assertThat(closed[0]).isTrue();
  }
}
