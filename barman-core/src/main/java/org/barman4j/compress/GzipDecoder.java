package org.barman4j.compress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Reads gzip data (RFC 1952) of one or more members, checking every member's CRC-32 and size.
 *
 * <p>This replaces {@link java.util.zip.GZIPInputStream}, which before Java 23 decides whether another
 * member follows by asking {@code available()}: on a network stream it can silently stop after the first
 * member. It also ignores a truncated or garbled member header after the first member, where this class
 * fails. Zero bytes after a member are skipped, as gzip and Python do.
 */
final class GzipDecoder extends InputStream {
  private static final int FHCRC = 0x02;
  private static final int FEXTRA = 0x04;
  private static final int FNAME = 0x08;
  private static final int FCOMMENT = 0x10;
  private static final int RESERVED = 0xe0;

  private final InputStream in;
  private final byte[] buffer = new byte[Streams.BUFFER_SIZE];
  private int position;
  private int limit;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final CRC32 headerCrc = new CRC32();
  private final byte[] oneByte = new byte[1];
  private long memberSize;
  private long members;
  private boolean inMember;
  private boolean eof;
  private boolean closed;

  GzipDecoder(InputStream in) {
    this.in = Objects.requireNonNull(in, "in is null");
  }

  @Override
  public int read() throws IOException {
    int n;
    do {
      n = read(oneByte, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : oneByte[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("Stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (!eof) {
      if (!inMember && !startMember()) {
        eof = true;
        break;
      }
      int n = inflate(b, off, len);
      if (n > 0) {
        return n;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      try {
        inflater.end();
      } finally {
        in.close();
      }
    }
  }

  /** Inflates into b; 0 when the member ended (its trailer then checked). */
  private int inflate(byte[] b, int off, int len) throws IOException {
    while (true) {
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw new ZipException("Corrupt gzip data: " + e.getMessage());
      }
      if (n > 0) {
        crc.update(b, off, n);
        memberSize += n;
        return n;
      }
      if (inflater.finished()) {
        position = limit - inflater.getRemaining();
        readTrailer();
        return 0;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("Corrupt gzip data: deflate stream asks for a preset dictionary");
      }
      if (inflater.needsInput()) {
        if (position == limit && !fill()) {
          throw new EOFException("Truncated gzip data: unexpected end of stream");
        }
        inflater.setInput(buffer, position, limit - position);
        // The inflater owns these bytes now; getRemaining() tells how many it left when it finishes.
        position = limit;
      }
    }
  }

  /** Parses a member header; false at a clean end of input after at least one member. */
  private boolean startMember() throws IOException {
    int first = nextByte();
    if (members > 0) {
      while (first == 0) {
        first = nextByte();
      }
      if (first < 0) {
        return false;
      }
    } else if (first < 0) {
      throw new EOFException("Empty input: not gzip data");
    }
    headerCrc.reset();
    headerCrc.update(first);
    int second = headerByte();
    if (first != 0x1f || second != 0x8b) {
      throw new ZipException(members == 0
          ? "Not gzip data (bad magic bytes)"
          : "Corrupt gzip data: trailing bytes after member " + members + " are not a gzip member");
    }
    int method = headerByte();
    if (method != 8) {
      throw new ZipException("Unsupported gzip compression method " + method);
    }
    int flags = headerByte();
    if ((flags & RESERVED) != 0) {
      throw new ZipException("Corrupt gzip header: reserved flags set");
    }
    for (int i = 0; i < 6; i++) {
      headerByte(); // MTIME, XFL, OS
    }
    if ((flags & FEXTRA) != 0) {
      int extraLength = headerByte() | (headerByte() << 8);
      for (int i = 0; i < extraLength; i++) {
        headerByte();
      }
    }
    if ((flags & FNAME) != 0) {
      while (headerByte() != 0) {
        // skip the original file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (headerByte() != 0) {
        // skip the comment
      }
    }
    if ((flags & FHCRC) != 0) {
      int expected = (int) (headerCrc.getValue() & 0xffff);
      int actual = headerByte() | (headerByte() << 8);
      if (actual != expected) {
        throw new ZipException("Corrupt gzip header: header CRC mismatch");
      }
    }
    inflater.reset();
    crc.reset();
    memberSize = 0;
    inMember = true;
    return true;
  }

  private void readTrailer() throws IOException {
    long expectedCrc = trailerInt();
    long expectedSize = trailerInt();
    if (expectedCrc != crc.getValue()) {
      throw new ZipException("Corrupt gzip data: CRC-32 mismatch in member " + (members + 1));
    }
    if (expectedSize != (memberSize & 0xffffffffL)) {
      throw new ZipException("Corrupt gzip data: size mismatch in member " + (members + 1));
    }
    members++;
    inMember = false;
  }

  private long trailerInt() throws IOException {
    long value = 0;
    for (int i = 0; i < 4; i++) {
      int b = nextByte();
      if (b < 0) {
        throw new EOFException("Truncated gzip data: unexpected end of stream in member trailer");
      }
      value |= (long) b << (8 * i);
    }
    return value;
  }

  private int headerByte() throws IOException {
    int b = nextByte();
    if (b < 0) {
      throw new EOFException("Truncated gzip data: unexpected end of stream in member header");
    }
    headerCrc.update(b);
    return b;
  }

  private int nextByte() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  /** Refills the (fully consumed) buffer; false at end of input. */
  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }
}
