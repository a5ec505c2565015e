package org.barman4j.wal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.barman4j.compress.Compression;
import org.barman4j.wal.WalArchive.ArchiveOptions;

/**
 * A WAL file whose compression has started ahead of its upload, so that it overlaps what comes first:
 * opening the storage (building an SDK client) and looking for copies already archived. In a cold
 * {@code archive_command} process each takes about as long as compressing a 16 MiB segment, and they mostly
 * wait on other things than this thread's CPU. Files of at most {@value #MAX_IN_MEMORY} bytes are compressed
 * into memory on a daemon thread; larger ones are compressed while they are uploaded. Nothing is written
 * anywhere until {@link WalArchive#archive(PreparedWal)} uploads it; {@link #close()} discards the result.
 */
public final class PreparedWal implements AutoCloseable {
  /** The largest file compressed ahead, in memory (a 16 MiB segment, or a few, fits well). */
  static final long MAX_IN_MEMORY = 64L << 20;

  private static final int BUFFER = 256 * 1024;

  private final Path path;
  private final ArchiveOptions options;
  private final Compressor compressor; // null: streamed at upload time

  private PreparedWal(Path path, ArchiveOptions options, Compressor compressor) {
    this.path = path;
    this.options = options;
    this.compressor = compressor;
  }

  /**
   * Starts compressing {@code walPath} with {@code options}. A missing or unreadable file is reported by
   * {@link WalArchive#archive(PreparedWal)}, not here.
   *
   * @param walPath the WAL file on disk
   * @param options how to archive
   * @return the file being prepared; close it
   */
  public static PreparedWal start(Path walPath, ArchiveOptions options) {
    return start(walPath, options, MAX_IN_MEMORY);
  }

  static PreparedWal start(Path walPath, ArchiveOptions options, long maxInMemory) {
    Objects.requireNonNull(walPath, "walPath is null");
    Objects.requireNonNull(options, "options is null");
    long size;
    try {
      size = Files.size(walPath);
    } catch (IOException e) {
      size = -1; // reported when archived
    }
    if (size < 0 || size > maxInMemory) {
      return new PreparedWal(walPath, options, null);
    }
    Compressor compressor = new Compressor(walPath, options, (int) size);
    Thread thread = new Thread(compressor, "wal-compress");
    thread.setDaemon(true); // never keeps a tool's JVM alive
    thread.start();
    return new PreparedWal(walPath, options, compressor);
  }

  /** {@return the WAL file} */
  public Path path() {
    return path;
  }

  /** {@return how it is compressed} */
  public ArchiveOptions options() {
    return options;
  }

  /** Writes the compressed bytes to {@code out}, waiting for the compression if it is still running. */
  void writeTo(OutputStream out) throws IOException {
    if (compressor == null) {
      InputStream in = open(path);
      try (in; OutputStream compressed = options.compression().compress(nonClosing(out), options.level())) {
        in.transferTo(compressed);
      }
      return;
    }
    compressor.await().writeTo(out);
  }

  /** Stops caring about the result; the daemon thread finishes on its own. */
  @Override
  public void close() {
    if (compressor != null) {
      compressor.discard();
    }
  }

  static InputStream open(Path path) throws IOException {
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("WAL file not found: " + path, e);
    }
  }

  // The codecs close what they wrap; the upload's stream is closed by its owner.
  private static OutputStream nonClosing(OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }
    };
  }

  /** Compresses one file into memory; the result or the failure is handed over once. */
  private static final class Compressor implements Runnable {
    private final Path path;
    private final ArchiveOptions options;
    private final Bytes bytes;
    private Throwable failure; // guarded by this
    private boolean done; // guarded by this
    private boolean discarded; // guarded by this

    Compressor(Path path, ArchiveOptions options, int size) {
      this.path = path;
      this.options = options;
      // Uncompressed files need exactly their size; compressed ones usually far less.
      this.bytes = new Bytes(options.compression() == Compression.NONE ? size : size / 4 + 64);
    }

    @Override
    public void run() {
      Throwable failed = null;
      try (InputStream in = open(path);
          OutputStream compressed = options.compression().compress(bytes, options.level())) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0 && !isDiscarded()) {
          compressed.write(buffer, 0, n);
        }
      } catch (Throwable t) { // handed to the caller, as if it had compressed itself
        failed = t;
      }
      synchronized (this) {
        failure = failed;
        done = true;
        notifyAll();
      }
    }

    synchronized Bytes await() throws IOException {
      while (!done) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("Interrupted while compressing " + path);
        }
      }
      if (failure instanceof IOException) {
        throw (IOException) failure;
      }
      if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      }
      if (failure instanceof Error) {
        throw (Error) failure;
      }
      if (failure != null) {
        throw new IOException("Cannot compress " + path + ": " + failure, failure);
      }
      return bytes;
    }

    synchronized boolean isDiscarded() {
      return discarded;
    }

    synchronized void discard() {
      discarded = true;
    }
  }

  /** A growable buffer that hands its contents over without a copy. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes(int initial) {
      super(Math.max(32, initial));
    }

    @Override
    public synchronized void writeTo(OutputStream out) throws IOException {
      out.write(buf, 0, count);
    }
  }
}
