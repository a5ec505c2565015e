package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/** The LZ4 frame format (lz4_Frame_format.md) against hand-assembled frames. */
class Lz4FrameDecoderTest {
  private static final XXHash32 XXH32 = XXHashFactory.safeInstance().hash32();
  private static final int LINKED = 0x40;
  private static final int INDEPENDENT = 0x60;
  private static final int BLOCK_CHECKSUM = 0x10;
  private static final int CONTENT_SIZE = 0x08;
  private static final int CONTENT_CHECKSUM = 0x04;
  private static final int BLOCKS_64K = 0x40;

  /** "hello " stored, then a block that copies it from the first block and adds "world". */
  private static final byte[] HELLO_STORED = ascii("hello ");
  private static final byte[] COPY_BACK_THEN_WORLD = {0x02, 0x06, 0x00, 0x50, 'w', 'o', 'r', 'l', 'd'};

  @Test
  void theDescriptorChecksumMatchesTheLz4Tool() {
    // lz4 1.9.4 writes 04224d18 64 60 85 for a 1 MiB-block frame with a content checksum
    assertThat(descriptorChecksum(new byte[] {0x64, 0x60})).isEqualTo(0x85);
  }

  @Test
  void aLinkedBlockCopiesFromThePreviousBlock() throws IOException {
    byte[] frame = new Frame(LINKED, BLOCKS_64K).stored(HELLO_STORED).compressed(COPY_BACK_THEN_WORLD).end();
    assertThat(HexFormat.of().formatHex(frame)).startsWith("04224d18" + "4040");
    assertThat(decode(frame)).isEqualTo(ascii("hello hello world"));
  }

  @Test
  void anIndependentBlockMayNotCopyFromThePreviousBlock() {
    byte[] frame = new Frame(INDEPENDENT, BLOCKS_64K).stored(HELLO_STORED).compressed(COPY_BACK_THEN_WORLD).end();
    assertThatThrownBy(() -> decode(frame)).isInstanceOf(IOException.class).hasMessageContaining("match");
  }

  @Test
  void linkedHistoryDoesNotCrossIntoTheNextFrame() {
    byte[] first = new Frame(LINKED, BLOCKS_64K).stored(HELLO_STORED).end();
    byte[] second = new Frame(LINKED, BLOCKS_64K).compressed(COPY_BACK_THEN_WORLD).end();
    assertThatThrownBy(() -> decode(TestData.concat(first, second))).isInstanceOf(IOException.class);
  }

  @Test
  void checksumsAndContentSizeAreVerified() throws IOException {
    int flags = LINKED | BLOCK_CHECKSUM | CONTENT_SIZE | CONTENT_CHECKSUM;
    byte[] content = ascii("hello hello world");
    byte[] good = new Frame(flags, BLOCKS_64K).contentSize(17).stored(HELLO_STORED)
        .compressed(COPY_BACK_THEN_WORLD).end(content);
    assertThat(decode(good)).isEqualTo(content);

    byte[] wrongSize = new Frame(flags, BLOCKS_64K).contentSize(18).stored(HELLO_STORED)
        .compressed(COPY_BACK_THEN_WORLD).end(content);
    assertThatThrownBy(() -> decode(wrongSize)).isInstanceOf(IOException.class).hasMessageContaining("18");

    byte[] wrongContentChecksum = good.clone();
    wrongContentChecksum[wrongContentChecksum.length - 1] ^= 1;
    assertThatThrownBy(() -> decode(wrongContentChecksum))
        .isInstanceOf(IOException.class).hasMessageContaining("content checksum");

    byte[] wrongBlockChecksum = good.clone();
    // the first block's checksum follows magic, descriptor (2 + 8 + 1), block size and "hello "
    wrongBlockChecksum[4 + 11 + 4 + 6] ^= 1;
    assertThatThrownBy(() -> decode(wrongBlockChecksum))
        .isInstanceOf(IOException.class).hasMessageContaining("block checksum");

    byte[] wrongDescriptor = good.clone();
    wrongDescriptor[6] ^= 1; // content size
    assertThatThrownBy(() -> decode(wrongDescriptor))
        .isInstanceOf(IOException.class).hasMessageContaining("descriptor");
  }

  @Test
  void skippableFramesAreSkippedAnywhere() throws IOException {
    byte[] skippable = {0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'};
    byte[] frame = new Frame(LINKED, BLOCKS_64K).stored(HELLO_STORED).end();
    assertThat(decode(TestData.concat(skippable, frame, skippable, frame, skippable)))
        .isEqualTo(ascii("hello hello "));
  }

  @Test
  void framesThatNeedADictionaryAndTheLegacyFormatAreRejected() {
    byte[] withDictionary = new Frame(INDEPENDENT | 0x01, BLOCKS_64K).dictionaryId(7).stored(HELLO_STORED).end();
    assertThatThrownBy(() -> decode(withDictionary))
        .isInstanceOf(IOException.class).hasMessageContaining("dictionary");
    byte[] legacy = {0x02, 0x21, 0x4c, 0x18, 0, 0, 0, 0};
    assertThatThrownBy(() -> decode(legacy)).isInstanceOf(IOException.class).hasMessageContaining("legacy");
  }

  @Test
  void reservedBitsAndOversizedBlocksAreRejected() {
    assertThatThrownBy(() -> decode(new Frame(LINKED | 0x02, BLOCKS_64K).end()))
        .isInstanceOf(IOException.class).hasMessageContaining("reserved");
    assertThatThrownBy(() -> decode(new Frame(0x80 | 0x20, BLOCKS_64K).end()))
        .isInstanceOf(IOException.class).hasMessageContaining("version");
    byte[] oversized = new Frame(INDEPENDENT, BLOCKS_64K).stored(new byte[65537]).end();
    assertThatThrownBy(() -> decode(oversized)).isInstanceOf(IOException.class).hasMessageContaining("exceeds");
  }

  @Test
  void overlappingMatchesRepeatTheirPeriod() throws IOException {
    // "a", then copy 10 from offset 1; "xyz", then copy 20 from offset 3; a final literal "!"
    byte[] block = {0x16, 'a', 0x01, 0x00, 0x3f, 'x', 'y', 'z', 0x03, 0x00, 0x01, 0x10, '!'};
    byte[] out = new byte[100];
    int n = Lz4FrameDecoder.decodeBlock(block, block.length, out, 5, 90, 5);
    assertThat(new String(out, 5, n, StandardCharsets.US_ASCII))
        .isEqualTo("a".repeat(11) + "xyz".repeat(7) + "xy" + "!");
  }

  @Test
  void aBlockThatDecodesPastItsLimitIsRejected() {
    byte[] block = {0x1f, 'a', 0x01, 0x00, 0x10, 0x10, '!'};
    assertThatThrownBy(() -> Lz4FrameDecoder.decodeBlock(block, block.length, new byte[100], 0, 20, 0))
        .isInstanceOf(IOException.class).hasMessageContaining("maximum block size");
  }

  private static byte[] decode(byte[] frames) throws IOException {
    return TestData.decompress(Compression.LZ4, frames);
  }

  private static int descriptorChecksum(byte[] descriptor) {
    return (XXH32.hash(descriptor, 0, descriptor.length, 0) >>> 8) & 0xff;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Assembles one frame: descriptor fields first, then blocks, then {@link #end}. */
  private static final class Frame {
    private final int flg;
    private final int bd;
    private final ByteArrayOutputStream descriptor = new ByteArrayOutputStream();
    private final ByteArrayOutputStream blocks = new ByteArrayOutputStream();

    Frame(int flg, int bd) {
      this.flg = flg;
      this.bd = bd;
      descriptor.write(flg);
      descriptor.write(bd);
    }

    Frame contentSize(long size) {
      for (int i = 0; i < 8; i++) {
        descriptor.write((int) (size >>> (8 * i)));
      }
      return this;
    }

    Frame dictionaryId(int id) {
      writeIntLE(descriptor, id);
      return this;
    }

    Frame stored(byte[] data) {
      return block(data, 0x8000_0000);
    }

    Frame compressed(byte[] data) {
      return block(data, 0);
    }

    private Frame block(byte[] data, int flag) {
      writeIntLE(blocks, data.length | flag);
      blocks.writeBytes(data);
      if ((flg & BLOCK_CHECKSUM) != 0) {
        writeIntLE(blocks, XXH32.hash(data, 0, data.length, 0));
      }
      return this;
    }

    byte[] end() {
      return end(new byte[0]);
    }

    /** Ends the frame; {@code content} is what the content checksum covers, if the frame has one. */
    byte[] end(byte[] content) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      writeIntLE(frame, 0x184D2204);
      byte[] d = descriptor.toByteArray();
      frame.writeBytes(d);
      frame.write(descriptorChecksum(d));
      frame.writeBytes(blocks.toByteArray());
      writeIntLE(frame, 0);
      if ((flg & CONTENT_CHECKSUM) != 0) {
        writeIntLE(frame, XXH32.hash(content, 0, content.length, 0));
      }
      return frame.toByteArray();
    }

    private static void writeIntLE(ByteArrayOutputStream out, int value) {
      for (int i = 0; i < 4; i++) {
        out.write(value >>> (8 * i));
      }
    }
  }
}
