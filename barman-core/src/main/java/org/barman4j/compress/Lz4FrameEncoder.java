package org.barman4j.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes one LZ4 frame with the {@code lz4} tool's defaults: independent 4 MiB blocks and a content
 * checksum, no content size (the stream's length is unknown up front). A block that does not shrink is
 * stored uncompressed. {@link #flush()} does not cut a block.
 */
final class Lz4FrameEncoder extends OutputStream {
  static final int MAGIC = 0x184D2204;
  /** Version 01, independent blocks, content checksum. */
  static final int FLG = 0b0110_0100;
  /** Maximum block size 4 MiB. */
  static final int BD = 7 << 4;
  static final int BLOCK_SIZE = 4 << 20;
  static final int UNCOMPRESSED_BLOCK = 0x8000_0000;

  private final OutputStream out;
  private final LZ4Compressor compressor;
  private final XXHashFactory hashes = XXHashFactory.fastestJavaInstance();
  private final StreamingXXHash32 contentHash = hashes.newStreamingHash32(0);
  private final byte[] block = new byte[BLOCK_SIZE];
  private final byte[] compressed;
  private int count;
  private boolean closed;

  Lz4FrameEncoder(OutputStream out, LZ4Compressor compressor) throws IOException {
    this.out = Objects.requireNonNull(out, "out is null");
    this.compressor = Objects.requireNonNull(compressor, "compressor is null");
    // 4 bytes of block size in front of the data, so each block is one write
    this.compressed = new byte[4 + compressor.maxCompressedLength(BLOCK_SIZE)];
    byte[] header = new byte[7];
    putIntLE(header, 0, MAGIC);
    header[4] = (byte) FLG;
    header[5] = (byte) BD;
    header[6] = (byte) (hashes.hash32().hash(header, 4, 2, 0) >> 8);
    out.write(header);
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (count == BLOCK_SIZE) {
      writeBlock();
    }
    block[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    while (len > 0) {
      if (count == BLOCK_SIZE) {
        writeBlock();
      }
      int n = Math.min(len, BLOCK_SIZE - count);
      System.arraycopy(b, off, block, count, n);
      count += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    ensureOpen();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      if (count > 0) {
        writeBlock();
      }
      byte[] trailer = new byte[8];
      putIntLE(trailer, 0, 0); // end mark
      putIntLE(trailer, 4, contentHash.getValue());
      out.write(trailer);
    } finally {
      contentHash.close();
    }
  }

  private void writeBlock() throws IOException {
    contentHash.update(block, 0, count);
    int size = compressor.compress(block, 0, count, compressed, 4, compressed.length - 4);
    if (size < count) {
      putIntLE(compressed, 0, size);
      out.write(compressed, 0, 4 + size);
    } else {
      putIntLE(compressed, 0, count | UNCOMPRESSED_BLOCK);
      out.write(compressed, 0, 4);
      out.write(block, 0, count);
    }
    count = 0;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
  }

  static void putIntLE(byte[] b, int off, int value) {
    b[off] = (byte) value;
    b[off + 1] = (byte) (value >>> 8);
    b[off + 2] = (byte) (value >>> 16);
    b[off + 3] = (byte) (value >>> 24);
  }
}
