package org.barman4j.compress;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member compressed in independent pieces, as pigz does: each chunk is raw deflate primed with
 * the last 32 KiB of the previous chunk and ended by a sync flush (byte-aligned, so pieces concatenate);
 * the last one ends the deflate stream. The CRC-32 of the whole is combined from the chunks' CRCs.
 *
 * <p>A single member matters: Python's {@code tarfile} in stream mode (Barman's restore) stops at the end
 * of the first member of a multi-member gzip file.
 */
final class GzipChunks {
  /** Deflate's window: the most of the previous chunk a chunk can refer to. */
  static final int DICTIONARY_SIZE = 32 * 1024;

  /** ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private GzipChunks() {}

  static byte[] header() {
    return HEADER.clone();
  }

  /** The 8-byte trailer: CRC-32 and length modulo 2^32, little-endian. */
  static byte[] trailer(long crc, long length) {
    byte[] t = new byte[8];
    for (int i = 0; i < 4; i++) {
      t[i] = (byte) (crc >>> (8 * i));
      t[4 + i] = (byte) (length >>> (8 * i));
    }
    return t;
  }

  /** An upper bound of the compressed size of {@code length} bytes, flush markers included. */
  static int bound(int length) {
    // zlib's deflateBound for stored blocks, plus the sync-flush marker and the final block.
    return length + (length >>> 12) + (length >>> 14) + (length >>> 25) + 64;
  }

  /**
   * Compresses {@code data[0..length)} into {@code out}, which grows as needed.
   *
   * @param deflater a raw ({@code nowrap}) deflater at the wanted level, reset here
   * @param dictionary the end of the previous chunk of the member, or empty for the first chunk
   * @param last whether this chunk ends the member
   * @return the CRC-32 of the chunk's uncompressed bytes
   */
  static long compress(Deflater deflater, byte[] data, int length, byte[] dictionary, boolean last, ChunkBuffer out) {
    deflater.reset();
    if (dictionary.length > 0) {
      deflater.setDictionary(dictionary);
    }
    deflater.setInput(data, 0, length);
    out.reset();
    out.ensureCapacity(bound(length));
    if (last) {
      deflater.finish();
      while (!deflater.finished()) {
        out.ensureCapacity(out.size() + 4096);
        out.advance(deflater.deflate(out.array(), out.size(), out.array().length - out.size()));
      }
    } else {
      while (true) {
        int room = out.array().length - out.size();
        int n = deflater.deflate(out.array(), out.size(), room, Deflater.SYNC_FLUSH);
        out.advance(n);
        if (n < room) {
          break; // the flush completed: all input consumed and output ends on a byte boundary
        }
        out.ensureCapacity(out.size() + 4096);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, length);
    return crc.getValue();
  }

  /** zlib's {@code crc32_combine}: the CRC-32 of A‖B from those of A and B and B's length. */
  static long combine(long crc1, long crc2, long length2) {
    if (length2 <= 0) {
      return crc1;
    }
    long[] even = new long[32];
    long[] odd = new long[32];
    odd[0] = 0xedb88320L; // the CRC-32 polynomial: one zero bit
    long row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    long len = length2;
    do {
      square(even, odd);
      if ((len & 1) != 0) {
        crc1 = times(even, crc1);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
      square(odd, even);
      if ((len & 1) != 0) {
        crc1 = times(odd, crc1);
      }
      len >>>= 1;
    } while (len != 0);
    return (crc1 ^ crc2) & 0xffffffffL;
  }

  private static long times(long[] mat, long vec) {
    long sum = 0;
    int i = 0;
    while (vec != 0) {
      if ((vec & 1) != 0) {
        sum ^= mat[i];
      }
      vec >>>= 1;
      i++;
    }
    return sum;
  }

  private static void square(long[] square, long[] mat) {
    for (int n = 0; n < 32; n++) {
      square[n] = times(mat, mat[n]);
    }
  }
}
