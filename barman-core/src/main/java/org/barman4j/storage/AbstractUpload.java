package org.barman4j.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The life cycle of an {@link Upload}, for backend authors: open, then written, then committed once or
 * aborted. A backend supplies only where the bytes go ({@link #doWrite}, {@link #doFlush()}), how the object
 * is made visible ({@link #doCommit()}) and how a write is discarded ({@link #doAbort()}); this class owns
 * the states, their checks and the stream, the same for every backend:
 *
 * <ul>
 *   <li>{@link #commit()} a second time, or after {@link #close()}, throws {@link IllegalStateException};
 *   <li>a failed commit ends the upload: {@link #doAbort()} runs (its failure is added to the commit's as
 *       suppressed), and the upload counts as closed;
 *   <li>{@link #close()} is idempotent, and aborts unless the upload was committed;
 *   <li>the stream given by {@link #stream()} refuses writes (with an {@link IOException} naming the upload)
 *       once the upload is committed or closed, or once the stream itself is closed; closing the stream
 *       only flushes, it neither commits nor aborts.
 * </ul>
 *
 * <p>Like {@link Upload}, not thread-safe: one writer at a time. The state is volatile, so that a
 * backend's worker threads may read it through {@link #isOpen()}.
 */
public abstract class AbstractUpload implements Upload {
  private enum State { OPEN, COMMITTING, COMMITTED, CLOSED }

  private final String name;
  private final GuardedStream stream = new GuardedStream();
  private volatile State state = State.OPEN;
  private boolean streamClosed;

  /**
   * An open upload.
   *
   * @param name what messages call the upload: its key or URL, never a secret
   */
  protected AbstractUpload(String name) {
    this.name = Objects.requireNonNull(name, "name is null");
  }

  /**
   * Takes {@code b[off..off+len)}, whose bounds are checked; called only while the upload is open.
   *
   * @param b the bytes
   * @param off where they start
   * @param len how many
   * @throws IOException if they cannot be taken; the upload stays open, to be closed
   */
  protected abstract void doWrite(byte[] b, int off, int len) throws IOException;

  /**
   * Pushes buffered bytes on, if the backend holds any back; called only while the upload is open, by the
   * stream's {@code flush()} and {@code close()}. Does nothing unless overridden.
   *
   * @throws IOException if they cannot be pushed on
   */
  protected void doFlush() throws IOException {}

  /**
   * Makes the object visible; called at most once, by {@link #commit()} of an open upload ({@link #isOpen()}
   * is false meanwhile, so that writes are refused).
   *
   * @return what was stored
   * @throws IOException if the object could not be stored; {@link #doAbort()} then follows
   */
  protected abstract ObjectInfo doCommit() throws IOException;

  /**
   * Discards what was written, leaving no trace; called at most once, by a {@link #close()} without
   * commit, or after a failed {@link #doCommit()}.
   *
   * @throws IOException if the write could not be discarded
   */
  protected abstract void doAbort() throws IOException;

  /** {@return whether the upload is neither committed nor closed, nor committing} */
  protected final boolean isOpen() {
    return state == State.OPEN;
  }

  /** {@return what messages call the upload} */
  protected final String name() {
    return name;
  }

  @Override
  public final OutputStream stream() {
    return stream;
  }

  @Override
  public final ObjectInfo commit() throws IOException {
    State now = state;
    if (now != State.OPEN) {
      throw new IllegalStateException("Upload of " + name + " is already "
          + (now == State.CLOSED ? "closed" : "committed"));
    }
    state = State.COMMITTING;
    try {
      ObjectInfo stored = doCommit();
      state = State.COMMITTED;
      return stored;
    } catch (IOException | RuntimeException | Error e) {
      state = State.CLOSED;
      try {
        doAbort();
      } catch (IOException | RuntimeException abortFailure) {
        if (abortFailure != e) {
          e.addSuppressed(abortFailure);
        }
      }
      throw e;
    }
  }

  /**
   * Aborts the upload unless it was committed; idempotent. A subclass that extends it (to release what it
   * tracks even after a commit) must call {@code super.close()}.
   */
  @Override
  public void close() throws IOException {
    if (state == State.OPEN) {
      state = State.CLOSED;
      doAbort();
    }
  }

  private final class GuardedStream extends OutputStream {
    private final byte[] single = new byte[1];

    @Override
    public void write(int b) throws IOException {
      ensureWritable();
      single[0] = (byte) b;
      doWrite(single, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ensureWritable();
      doWrite(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (state == State.OPEN) {
        doFlush();
      }
    }

    /** Flushes, and refuses further writes: the upload itself ends with commit or close. */
    @Override
    public void close() throws IOException {
      if (!streamClosed && state == State.OPEN) {
        doFlush();
      }
      streamClosed = true;
    }

    private void ensureWritable() throws IOException {
      if (state != State.OPEN || streamClosed) {
        throw new IOException("Cannot write to the upload of " + name + ": "
            + (state != State.OPEN ? "it is committed or closed" : "its stream is closed"));
      }
    }
  }
}
