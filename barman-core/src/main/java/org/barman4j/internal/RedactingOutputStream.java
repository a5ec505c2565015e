package org.barman4j.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Passes bytes on a line at a time, each line through a {@link SecretRedactor}: a log sink that no
 * credential reaches. Lines are matched as ISO-8859-1 text, which maps every byte to one character and
 * back, so the bytes of any encoding pass unchanged except where a secret was. {@link #flush()} passes on
 * complete lines only (a secret must not be split across two writes); {@link #close()} and very long lines
 * pass on the rest. Not for public use.
 */
public final class RedactingOutputStream extends OutputStream {
  private static final int MAX_LINE = 1 << 20;

  private final OutputStream out;
  private final SecretRedactor redactor;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  public RedactingOutputStream(OutputStream out, SecretRedactor redactor) {
    this.out = Objects.requireNonNull(out, "out is null");
    this.redactor = Objects.requireNonNull(redactor, "redactor is null");
  }

  @Override
  public synchronized void write(int b) throws IOException {
    line.write(b);
    if (b == '\n' || line.size() >= MAX_LINE) {
      emit();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (b[i] == '\n') {
        line.write(b, start, i + 1 - start);
        emit();
        start = i + 1;
      }
    }
    line.write(b, start, end - start);
    if (line.size() >= MAX_LINE) {
      emit();
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  /** Passes on what is buffered, a partial last line included, and flushes. */
  public synchronized void drain() throws IOException {
    emit();
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    drain();
    out.close();
  }

  private void emit() throws IOException {
    if (line.size() == 0) {
      return;
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    line.reset();
    out.write(redactor.redact(text).getBytes(StandardCharsets.ISO_8859_1));
  }
}
