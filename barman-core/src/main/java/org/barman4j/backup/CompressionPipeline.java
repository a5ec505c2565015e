package org.barman4j.backup;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.barman4j.compress.ChunkBuffer;
import org.barman4j.compress.ChunkEncoder;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Upload;

/**
 * Compresses byte streams in parallel and writes each, in order, into its own {@link Upload}.
 *
 * <p>A producer writes each object's uncompressed bytes into a {@link PartStream}; they are cut into
 * chunks of {@code chunkSize} bytes; {@code jobs} threads compress chunks independently; one writer thread
 * writes the compressed chunks in their original order into the object's upload and commits the upload
 * after the stream's last chunk. How a codec's chunks concatenate into one valid stream is the codec's
 * {@link ChunkEncoder}; codecs without one (bzip2, xz, none) are encoded by the writer thread in one piece.
 *
 * <p>Memory is bounded whatever the data size: at most {@code maxInFlight + 1} chunks exist at once (the
 * one being filled and those waiting for a worker or the writer), and a producer that gets ahead blocks.
 *
 * <p>Failure: the first error (compression, upload write or commit, or {@link #abort}) stops the pipeline;
 * every upload not yet committed is then closed without a commit, so nothing truncated becomes visible,
 * and the producer's next call throws. Uploads already committed stay committed.
 */
final class CompressionPipeline implements Closeable {
  /** The chunk size used unless another is asked for. */
  static final int DEFAULT_CHUNK_SIZE = 4 << 20;

  private static final byte[] NO_BYTES = new byte[0];

  /** What happened to one object. */
  record PartResult(String name, ObjectInfo object, long uncompressedBytes, long storedBytes, Duration elapsed) {}

  private final Compression compression;
  private final CompressionLevel level;
  // Empty: the writer thread encodes each object in one stream.
  private final Optional<ChunkEncoder> encoder;
  private final int chunkSize;
  private final int maxInFlight;
  private final long maxBandwidth;
  private final Semaphore slots;
  private final ConcurrentLinkedQueue<byte[]> freeInputs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ChunkBuffer> freeOutputs = new ConcurrentLinkedQueue<>();
  private final ExecutorService workers;
  private final BlockingQueue<Chunk> writeQueue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Part> parts = new ArrayList<>();
  private final AtomicLong allocatedBytes = new AtomicLong();
  private final AtomicLong peakAllocatedBytes = new AtomicLong();
  private final AtomicInteger chunksInFlight = new AtomicInteger();
  private final AtomicInteger peakChunksInFlight = new AtomicInteger();
  private final AtomicLong totalIn = new AtomicLong();
  private final AtomicLong totalStored = new AtomicLong();
  /** Guards the writer's move of a chunk's bytes from pending to stored, which {@code estimatedSize} reads. */
  private final Object counters = new Object();
  private final long startNanos = System.nanoTime();
  private long throttledBytes;
  private boolean finished;
  private boolean aborted;

  /**
   * @param jobs compression threads (at least 1)
   * @param chunkSize bytes per chunk (at least 64 KiB)
   * @param maxInFlight chunks submitted and not yet written, at most (at least 1)
   * @param maxBandwidth bytes per second written to storage, 0 for no limit
   */
  CompressionPipeline(Compression compression, CompressionLevel level, int jobs, int chunkSize, int maxInFlight,
      long maxBandwidth) {
    this.compression = Objects.requireNonNull(compression, "compression is null");
    this.level = Objects.requireNonNull(level, "level is null");
    level.resolve(compression);
    if (jobs < 1 || chunkSize < 64 * 1024 || maxInFlight < 1 || maxBandwidth < 0) {
      throw new IllegalArgumentException("Invalid pipeline settings: jobs=" + jobs + ", chunkSize=" + chunkSize
          + ", maxInFlight=" + maxInFlight + ", maxBandwidth=" + maxBandwidth);
    }
    this.encoder = ChunkEncoder.of(compression, level);
    this.chunkSize = chunkSize;
    this.maxInFlight = maxInFlight;
    this.maxBandwidth = maxBandwidth;
    this.slots = new Semaphore(maxInFlight + 1);
    this.workers = encoder.isEmpty() ? null : Executors.newFixedThreadPool(jobs, threads("barman-backup-compress"));
    this.writer = threads("barman-backup-upload").newThread(this::writeLoop);
    this.writer.start();
  }

  /** The most bytes of chunk buffers this pipeline ever holds: input and output of each possible chunk. */
  long memoryBound() {
    long out = encoder.isEmpty() ? 0 : ChunkEncoder.capacityFor(chunkSize);
    return (long) (maxInFlight + 1) * (chunkSize + out);
  }

  /** The most bytes of chunk buffers held at once so far. */
  long peakAllocatedBytes() {
    return peakAllocatedBytes.get();
  }

  /** The most chunks submitted and not yet written at once so far. */
  int peakChunksInFlight() {
    return peakChunksInFlight.get();
  }

  /**
   * Starts an object: what is written to the returned stream is compressed into {@code upload}, which the
   * pipeline now owns: it commits it after {@link PartStream#close()} or discards it on failure.
   */
  PartStream open(String name, Upload upload) throws IOException {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(upload, "upload is null");
    Part part = new Part(name, upload);
    synchronized (parts) {
      if (finished || aborted) {
        closeQuietly(upload, null);
        throw new IllegalStateException("The pipeline is " + (aborted ? "aborted" : "finished"));
      }
      parts.add(part);
    }
    checkFailure();
    return new PartStream(part);
  }

  /**
   * Waits until every object opened has been written and committed, then stops the threads.
   *
   * @return each object, in the order opened
   * @throws IOException the first failure; every upload not committed has been discarded
   */
  List<PartResult> finish() throws IOException {
    synchronized (parts) {
      if (aborted) {
        throw new IllegalStateException("The pipeline is aborted");
      }
      finished = true;
    }
    writeQueue.add(Chunk.END);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(e);
      throw new InterruptedIOException("Interrupted while waiting for uploads");
    }
    shutdownWorkers();
    if (failure.get() != null) {
      abort(failure.get());
      checkFailure();
    }
    List<PartResult> results = new ArrayList<>();
    synchronized (parts) {
      for (Part part : parts) {
        if (!part.result.isDone()) {
          IOException e = new IOException("Upload of " + part.name + " was never closed");
          abort(e);
          throw e;
        }
        results.add(part.result.join());
      }
    }
    return results;
  }

  /**
   * Stops everything and discards every upload not yet committed. Idempotent; the first cause wins.
   */
  void abort(Throwable cause) {
    Objects.requireNonNull(cause, "cause is null");
    failure.compareAndSet(null, cause);
    synchronized (parts) {
      if (aborted) {
        return;
      }
      aborted = true;
    }
    slots.release(maxInFlight + 1); // wake a producer waiting for a buffer
    writer.interrupt();
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdownWorkers();
    synchronized (parts) {
      for (Part part : parts) {
        if (!part.result.isDone()) {
          closeQuietly(part.upload, cause);
          part.result.completeExceptionally(cause);
        }
      }
    }
    releaseCodecs();
  }

  private void releaseCodecs() {
    encoder.ifPresent(ChunkEncoder::close);
  }

  /** Aborts unless {@link #finish()} succeeded. */
  @Override
  public void close() {
    synchronized (parts) {
      if (finished && failure.get() == null && !writer.isAlive()) {
        releaseCodecs();
        return;
      }
    }
    abort(new IOException("Backup upload closed before it finished"));
  }

  /** Uncompressed bytes written so far and stored bytes so far, over all objects. */
  long totalIn() {
    return totalIn.get();
  }

  long totalStored() {
    return totalStored.get();
  }

  private void checkFailure() throws IOException {
    Throwable t = failure.get();
    if (t != null) {
      String message = t.getMessage() == null ? t.toString() : t.getMessage();
      throw new IOException(message, t);
    }
  }

  private void fail(Throwable t) {
    if (failure.compareAndSet(null, t)) {
      slots.release(maxInFlight + 1);
    }
  }

  // ---- producer side

  private byte[] takeBuffer() throws IOException {
    checkFailure();
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for a free buffer");
    }
    checkFailure();
    int now = chunksInFlight.incrementAndGet();
    peakChunksInFlight.accumulateAndGet(now, Math::max);
    byte[] buffer = freeInputs.poll();
    if (buffer == null) {
      buffer = new byte[chunkSize];
      allocated(chunkSize);
    }
    return buffer;
  }

  private void submit(Part part, byte[] buffer, int length, boolean last) throws IOException {
    boolean first = part.chunks++ == 0;
    part.pending.addAndGet(length);
    Future<ChunkBuffer> encoded;
    if (encoder.isEmpty()) {
      encoded = CompletableFuture.completedFuture(null);
    } else {
      ChunkEncoder.Chunk chunk = new ChunkEncoder.Chunk(buffer, length, first, last, part.context);
      if (!last) {
        part.context = encoder.get().context(buffer, length);
      }
      encoded = workers.submit(() -> encode(chunk));
    }
    writeQueue.add(new Chunk(part, buffer, length, first, last, encoded));
  }

  private ChunkBuffer encode(ChunkEncoder.Chunk chunk) throws IOException {
    ChunkBuffer out = freeOutputs.poll();
    if (out == null) {
      out = new ChunkBuffer(ChunkEncoder.capacityFor(chunkSize));
      allocated(out.capacity());
    }
    int before = out.capacity();
    encoder.orElseThrow().encode(chunk, out);
    if (out.capacity() > before) {
      allocated(out.capacity() - before);
    }
    return out;
  }

  private void allocated(long bytes) {
    peakAllocatedBytes.accumulateAndGet(allocatedBytes.addAndGet(bytes), Math::max);
  }

  // ---- writer side

  private void writeLoop() {
    while (true) {
      Chunk chunk;
      try {
        chunk = writeQueue.take();
      } catch (InterruptedException e) {
        fail(e);
        return;
      }
      if (chunk == Chunk.END) {
        return;
      }
      if (failure.get() != null) {
        return;
      }
      try {
        write(chunk);
      } catch (InterruptedException e) {
        fail(e);
        return;
      } catch (ExecutionException e) {
        fail(e.getCause());
        return;
      } catch (Throwable t) {
        fail(t);
        return;
      }
    }
  }

  private void write(Chunk chunk) throws Exception {
    Part part = chunk.part;
    ChunkBuffer encoded = chunk.encoded.get();
    if (chunk.first) {
      part.startNanos = System.nanoTime();
      part.out = new CountingStream(part.upload.stream());
      if (encoder.isEmpty()) {
        part.serial = compression.compress(new NonClosing(part.out), level);
      } else {
        part.joiner = encoder.get().joiner();
        writeNonEmpty(part.out, part.joiner.header());
      }
    }
    long before = part.out.count;
    if (encoder.isEmpty()) {
      part.serial.write(chunk.data, 0, chunk.length);
    } else {
      part.out.write(encoded.array(), encoded.offset(), encoded.size() - encoded.offset());
      part.joiner.add(encoded, chunk.length);
      freeOutputs.add(encoded);
    }
    part.uncompressed += chunk.length;
    if (chunk.last) {
      if (encoder.isEmpty()) {
        part.serial.close();
      } else {
        writeNonEmpty(part.out, part.joiner.trailer());
      }
      part.out.flush();
    }
    // One step for the estimate's reader: bytes leave "pending" as they join "stored", never counted twice or
    // not at all.
    synchronized (counters) {
      totalIn.addAndGet(chunk.length);
      part.pending.addAndGet(-chunk.length);
      part.stored = part.out.count;
      totalStored.addAndGet(part.out.count - before);
    }
    throttle(part.out.count - before);
    freeInputs.add(chunk.data);
    chunksInFlight.decrementAndGet();
    slots.release();
    if (chunk.last) {
      ObjectInfo info = part.upload.commit();
      closeQuietly(part.upload, null);
      part.result.complete(new PartResult(part.name, info, part.uncompressed, part.out.count,
          Duration.ofNanos(System.nanoTime() - part.startNanos)));
    }
  }

  private static void writeNonEmpty(OutputStream out, byte[] bytes) throws IOException {
    if (bytes.length > 0) {
      out.write(bytes);
    }
  }

  private void throttle(long bytes) throws InterruptedException {
    if (maxBandwidth <= 0) {
      return;
    }
    throttledBytes += bytes;
    long dueNanos = (long) (throttledBytes * 1e9 / maxBandwidth);
    long aheadMillis = (dueNanos - (System.nanoTime() - startNanos)) / 1_000_000;
    if (aheadMillis > 0) {
      Thread.sleep(aheadMillis);
    }
  }

  private void shutdownWorkers() {
    if (workers == null) {
      return;
    }
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
        fail(new IOException("Compression threads did not stop"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Upload upload, Throwable into) {
    try {
      upload.close();
    } catch (IOException | RuntimeException e) {
      if (into != null && into != e) {
        into.addSuppressed(e);
      }
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The producer's side of one object: a stream that is cut into chunks. {@link #close()} submits the last
   * chunk; the object is committed by the writer thread once everything before it is written. Not
   * thread-safe.
   */
  final class PartStream extends OutputStream {
    private final Part part;
    private byte[] buffer;
    private int used;
    private boolean closed;

    private PartStream(Part part) {
      this.part = part;
    }

    /** The object's name given at {@link #open}. */
    String name() {
      return part.name;
    }

    /**
     * The compressed size of what was written so far: exact for what the writer has stored, estimated at
     * the compression ratio so far for what is still in flight.
     */
    long estimatedSize() {
      long pending;
      long stored;
      long in;
      long out;
      synchronized (counters) {
        pending = part.pending.get();
        stored = part.stored;
        in = totalIn.get();
        out = totalStored.get();
      }
      double ratio = in == 0 ? 1.0 : (double) out / in;
      return stored + (long) ((pending + used) * ratio);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (closed) {
        throw new IOException("Stream of " + part.name + " is closed");
      }
      checkFailure();
      while (len > 0) {
        if (buffer == null) {
          buffer = takeBuffer();
          used = 0;
        }
        int n = Math.min(len, chunkSize - used);
        System.arraycopy(b, off, buffer, used, n);
        used += n;
        off += n;
        len -= n;
        if (used == chunkSize) {
          byte[] full = buffer;
          buffer = null;
          submit(part, full, chunkSize, false);
        }
      }
    }

    /** Ends the object; the writer commits it once it is written. Does not wait. */
    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      if (buffer == null) {
        buffer = takeBuffer();
        used = 0;
      }
      byte[] last = buffer;
      buffer = null;
      submit(part, last, used, true);
    }
  }

  private static final class Part {
    final String name;
    final Upload upload;
    final CompletableFuture<PartResult> result = new CompletableFuture<>();
    final AtomicLong pending = new AtomicLong();
    // producer only
    long chunks;
    byte[] context = NO_BYTES;
    // writer only
    CountingStream out;
    OutputStream serial;
    ChunkEncoder.Joiner joiner;
    long uncompressed;
    long startNanos;
    volatile long stored;

    Part(String name, Upload upload) {
      this.name = name;
      this.upload = upload;
    }
  }

  private static final class Chunk {
    static final Chunk END = new Chunk(null, NO_BYTES, 0, false, false, null);

    final Part part;
    final byte[] data;
    final int length;
    final boolean first;
    final boolean last;
    final Future<ChunkBuffer> encoded;

    Chunk(Part part, byte[] data, int length, boolean first, boolean last, Future<ChunkBuffer> encoded) {
      this.part = part;
      this.data = data;
      this.length = length;
      this.first = first;
      this.last = last;
      this.encoded = encoded;
    }
  }

  /** Counts what goes to the upload; the writer thread's only. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }

  /** Keeps a codec's close from closing what it writes to. */
  private static final class NonClosing extends OutputStream {
    private final OutputStream out;

    NonClosing(OutputStream out) {
      this.out = out;
    }

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

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
