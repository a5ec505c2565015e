package org.barman4j.compress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Reads LZ4 frames (format 1.6): linked or independent blocks, block and content checksums, content
 * size, concatenated frames and skippable frames. Frames that need a dictionary, and the legacy format of
 * {@code lz4 -l}, are rejected.
 *
 * <p>Blocks are decoded here rather than by lz4-java because a linked block may copy from the 64 KiB
 * decoded before it, and lz4-java's decompressors cannot see data before their output offset.
 */
final class Lz4FrameDecoder extends InputStream {
  private static final int SKIPPABLE_MAGIC = 0x184D2A50;
  private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
  private static final int LEGACY_MAGIC = 0x184C2102;
  /** How far back a linked block may copy from. */
  private static final int HISTORY = 64 * 1024;
  /** Room for linked blocks beyond the history, so the history moves rarely when blocks are small. */
  private static final int LINKED_ROOM = 1 << 20;
  private static final int MIN_MATCH = 4;

  private final InputStream in;
  private final XXHash32 hash32;
  private final StreamingXXHash32 contentHash;
  private final byte[] header = new byte[15];
  private byte[] window = new byte[0];
  private byte[] compressed = new byte[0];
  /** End of the decoded data in window that later linked blocks may copy from. */
  private int windowEnd;
  private int readPosition;
  private int readLimit;

  private boolean inFrame;
  private boolean linked;
  private boolean blockChecksum;
  private boolean contentChecksum;
  private long contentSize;
  private long produced;
  private int maxBlockSize;
  private long frames;
  private boolean eof;
  private boolean closed;

  Lz4FrameDecoder(InputStream in) {
    this.in = Objects.requireNonNull(in, "in is null");
    XXHashFactory hashes = XXHashFactory.fastestJavaInstance();
    this.hash32 = hashes.hash32();
    this.contentHash = hashes.newStreamingHash32(0);
  }

  @Override
  public int read() throws IOException {
    return fill() ? window[readPosition++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      ensureOpen();
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, readLimit - readPosition);
    System.arraycopy(window, readPosition, b, off, n);
    readPosition += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    ensureOpen();
    return readLimit - readPosition;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      try {
        contentHash.close();
      } finally {
        in.close();
      }
    }
  }

  /** Decodes blocks until some data is unread; false at the end of the last frame. */
  private boolean fill() throws IOException {
    ensureOpen();
    while (readPosition == readLimit) {
      if (eof) {
        return false;
      }
      if (!inFrame) {
        if (!startFrame()) {
          eof = true;
          return false;
        }
      } else {
        readBlock();
      }
    }
    return true;
  }

  /** Reads up to the next data frame's descriptor, skipping skippable frames; false at end of input. */
  private boolean startFrame() throws IOException {
    while (true) {
      int n = in.readNBytes(header, 0, 4);
      if (n == 0) {
        if (frames == 0) {
          throw new EOFException("Empty input: not LZ4 data");
        }
        return false;
      }
      if (n < 4) {
        throw truncated("frame magic number");
      }
      int magic = intLE(header, 0);
      if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
        readFully(header, 0, 4, "skippable frame");
        Streams.skipFully(in, intLE(header, 0) & 0xffffffffL, "LZ4 skippable frame");
        frames++;
        continue;
      }
      if (magic == LEGACY_MAGIC) {
        throw new IOException("Unsupported LZ4 data: legacy format (lz4 -l)");
      }
      if (magic != Lz4FrameEncoder.MAGIC) {
        throw new IOException(frames == 0
            ? "Not LZ4 frame data (bad magic number)"
            : "Corrupt LZ4 data: trailing bytes after frame " + frames + " are not an LZ4 frame");
      }
      readDescriptor();
      return true;
    }
  }

  private void readDescriptor() throws IOException {
    readFully(header, 0, 2, "frame descriptor");
    int flg = header[0] & 0xff;
    int bd = header[1] & 0xff;
    if (flg >>> 6 != 1) {
      throw new IOException("Unsupported LZ4 frame version " + (flg >>> 6));
    }
    if ((flg & 0x02) != 0 || (bd & 0x8f) != 0) {
      throw new IOException("Corrupt LZ4 frame descriptor: reserved bits set");
    }
    boolean hasContentSize = (flg & 0x08) != 0;
    boolean hasDictionaryId = (flg & 0x01) != 0;
    int length = 2;
    if (hasContentSize) {
      readFully(header, length, 8, "frame descriptor");
      length += 8;
    }
    if (hasDictionaryId) {
      readFully(header, length, 4, "frame descriptor");
      length += 4;
    }
    readFully(header, length, 1, "frame descriptor");
    if ((header[length] & 0xff) != ((hash32.hash(header, 0, length, 0) >>> 8) & 0xff)) {
      throw new IOException("Corrupt LZ4 frame descriptor: checksum mismatch");
    }
    if (hasDictionaryId) {
      throw new IOException("Unsupported LZ4 frame: it needs a dictionary");
    }
    int blockSizeId = (bd >>> 4) & 7;
    if (blockSizeId < 4) {
      throw new IOException("Corrupt LZ4 frame descriptor: invalid maximum block size " + blockSizeId);
    }
    linked = (flg & 0x20) == 0;
    blockChecksum = (flg & 0x10) != 0;
    contentChecksum = (flg & 0x04) != 0;
    contentSize = hasContentSize ? longLE(header, 2) : -1;
    maxBlockSize = 1 << (2 * blockSizeId + 8);
    int capacity = linked ? HISTORY + Math.max(maxBlockSize, LINKED_ROOM) : maxBlockSize;
    if (window.length < capacity) {
      window = new byte[capacity];
    }
    if (compressed.length < maxBlockSize) {
      compressed = new byte[maxBlockSize];
    }
    windowEnd = 0;
    readPosition = 0;
    readLimit = 0;
    produced = 0;
    contentHash.reset();
    inFrame = true;
  }

  private void readBlock() throws IOException {
    readFully(header, 0, 4, "block size");
    int sizeField = intLE(header, 0);
    if (sizeField == 0) {
      endFrame();
      return;
    }
    boolean stored = (sizeField & Lz4FrameEncoder.UNCOMPRESSED_BLOCK) != 0;
    int size = sizeField & ~Lz4FrameEncoder.UNCOMPRESSED_BLOCK;
    if (size > maxBlockSize) {
      throw new IOException("Corrupt LZ4 data: a block of " + size + " bytes exceeds the frame's maximum of "
          + maxBlockSize);
    }
    int start;
    if (linked) {
      if (windowEnd + maxBlockSize > window.length) {
        int keep = Math.min(windowEnd, HISTORY);
        System.arraycopy(window, windowEnd - keep, window, 0, keep);
        windowEnd = keep;
      }
      start = windowEnd;
    } else {
      start = 0;
    }
    byte[] source = stored ? window : compressed;
    int sourceOffset = stored ? start : 0;
    readFully(source, sourceOffset, size, "block");
    if (blockChecksum) {
      readFully(header, 0, 4, "block checksum");
      if (intLE(header, 0) != hash32.hash(source, sourceOffset, size, 0)) {
        throw new IOException("Corrupt LZ4 data: block checksum mismatch");
      }
    }
    int decoded = stored ? size : decodeBlock(compressed, size, window, start, maxBlockSize, linked ? 0 : start);
    if (contentChecksum) {
      contentHash.update(window, start, decoded);
    }
    produced += decoded;
    windowEnd = start + decoded;
    readPosition = start;
    readLimit = windowEnd;
  }

  private void endFrame() throws IOException {
    if (contentChecksum) {
      readFully(header, 0, 4, "content checksum");
      if (intLE(header, 0) != contentHash.getValue()) {
        throw new IOException("Corrupt LZ4 data: content checksum mismatch");
      }
    }
    if (contentSize >= 0 && produced != contentSize) {
      throw new IOException("Corrupt LZ4 data: the frame holds " + produced + " bytes, its header says "
          + contentSize);
    }
    inFrame = false;
    frames++;
  }

  /**
   * Decodes the LZ4 block {@code src[0, srcLength)} to {@code dst} at {@code dstOffset}, writing at most
   * {@code maxLength} bytes; matches may copy from {@code dst[dstLow, ...)}.
   *
   * @return the number of bytes decoded
   */
  static int decodeBlock(byte[] src, int srcLength, byte[] dst, int dstOffset, int maxLength, int dstLow)
      throws IOException {
    int ip = 0;
    int op = dstOffset;
    int opLimit = dstOffset + maxLength;
    while (true) {
      if (ip >= srcLength) {
        throw corrupt("the block ends inside a sequence");
      }
      int token = src[ip++] & 0xff;
      int literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          if (ip >= srcLength) {
            throw corrupt("the block ends inside a literal length");
          }
          b = src[ip++] & 0xff;
          literals += b;
        } while (b == 255);
      }
      if (literals > srcLength - ip) {
        throw corrupt("literals run past the end of the block");
      }
      if (literals > opLimit - op) {
        throw corrupt("the block decodes to more than the maximum block size");
      }
      System.arraycopy(src, ip, dst, op, literals);
      ip += literals;
      op += literals;
      if (ip == srcLength) {
        return op - dstOffset;
      }
      if (srcLength - ip < 2) {
        throw corrupt("the block ends inside a match offset");
      }
      int offset = (src[ip] & 0xff) | (src[ip + 1] & 0xff) << 8;
      ip += 2;
      int ref = op - offset;
      if (offset == 0 || ref < dstLow) {
        throw corrupt("a match refers to data before the start of the window");
      }
      int length = token & 15;
      if (length == 15) {
        int b;
        do {
          if (ip >= srcLength) {
            throw corrupt("the block ends inside a match length");
          }
          b = src[ip++] & 0xff;
          length += b;
        } while (b == 255);
      }
      length += MIN_MATCH;
      if (length > opLimit - op) {
        throw corrupt("the block decodes to more than the maximum block size");
      }
      if (offset >= length) {
        System.arraycopy(dst, ref, dst, op, length);
      } else if (offset == 1) {
        Arrays.fill(dst, op, op + length, dst[ref]);
      } else {
        // An overlapping match repeats the last `offset` bytes. Copying whole periods from ref keeps
        // source and target apart while the copied part doubles each round.
        int copied = 0;
        while (copied < length) {
          int n = Math.min(offset + copied, length - copied);
          System.arraycopy(dst, ref, dst, op + copied, n);
          copied += n;
        }
      }
      op += length;
    }
  }

  private void readFully(byte[] b, int off, int len, String what) throws IOException {
    if (in.readNBytes(b, off, len) < len) {
      throw truncated(what);
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
  }

  private static EOFException truncated(String what) {
    return new EOFException("Truncated LZ4 data: unexpected end of stream in " + what);
  }

  private static IOException corrupt(String why) {
    return new IOException("Corrupt LZ4 data: " + why);
  }

  private static int intLE(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
  }

  private static long longLE(byte[] b, int off) {
    return (intLE(b, off) & 0xffffffffL) | (long) intLE(b, off + 4) << 32;
  }
}
