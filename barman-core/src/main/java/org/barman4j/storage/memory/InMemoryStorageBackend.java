package org.barman4j.storage.memory;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.barman4j.storage.AbstractUpload;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.Keys;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Precondition;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.Upload;

/**
 * A {@link StorageBackend} held in memory, for tests and trials; nothing survives the instance.
 * Thread-safe; {@link Precondition#IF_ABSENT} is atomic unless the capabilities say otherwise.
 *
 * <p>Every instance is its own store: nothing is shared between instances, so two backends (or two
 * {@code mem://} URLs opened through {@link InMemoryStorageProvider}) never see each other's objects. To
 * share a store, share the instance.
 *
 * <p>It is strict, so that tests catch misuse the real stores would punish later:
 *
 * <ul>
 *   <li>every read stream and upload must be closed: {@link #openStreams()} lists those that are not, and
 *       {@link #checkNoOpenStreams()} fails with the place each was opened;
 *   <li>any use after {@link #close()} throws {@link IllegalStateException};
 *   <li>a stream of a closed upload or read refuses further use.
 * </ul>
 *
 * <p>{@link #failNext(String, IOException)} makes the next call of an operation throw, to test retry and
 * abort paths without a cloud store.
 */
public final class InMemoryStorageBackend implements StorageBackend {
  /** The largest object a Java array holds. */
  public static final long MAX_OBJECT_SIZE = Integer.MAX_VALUE - 8;

  /** Atomic create-if-absent, user metadata, batches of 1000, objects up to {@link #MAX_OBJECT_SIZE}. */
  public static final Capabilities DEFAULT_CAPABILITIES = new Capabilities(true, true, 1000, MAX_OBJECT_SIZE);

  /**
   * The operations {@link #failNext} accepts: {@code stat}, {@code read}, {@code list}, {@code openUpload},
   * {@code write} (a write to an upload's stream), {@code commit} ({@link Upload#commit()}), {@code put}
   * ({@link #put} only; streamed writes use {@code openUpload}, {@code write} and {@code commit}),
   * {@code delete} (also each key of {@link #deleteBatch}) and {@code check}.
   */
  public static final Set<String> OPERATIONS =
      Set.of("stat", "read", "list", "openUpload", "write", "commit", "put", "delete", "check");

  private final Capabilities capabilities;
  private final Clock clock;
  private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>(Keys.UTF8_ORDER);
  private final Map<String, Deque<IOException>> faults = new ConcurrentHashMap<>();
  // Keyed by identity: the streams and uploads below do not override equals.
  private final Map<Object, Opened> open = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean closed;

  /** An empty store with {@link #DEFAULT_CAPABILITIES}. */
  public InMemoryStorageBackend() {
    this(DEFAULT_CAPABILITIES);
  }

  /**
   * An empty store that behaves as {@code capabilities} declare: without {@code userMetadata} it drops
   * metadata, without {@code atomicCreateIfAbsent} it checks {@link Precondition#IF_ABSENT} before
   * writing, leaving a window in which concurrent writers all win (as some S3-compatible stores do).
   *
   * @param capabilities what the store declares and does
   */
  public InMemoryStorageBackend(Capabilities capabilities) {
    this(capabilities, Clock.systemUTC());
  }

  /**
   * As {@link #InMemoryStorageBackend(Capabilities)}, stamping objects with {@code clock}'s time.
   *
   * @param capabilities what the store declares and does
   * @param clock the time of every object's last modification
   */
  public InMemoryStorageBackend(Capabilities capabilities, Clock clock) {
    this.capabilities = Objects.requireNonNull(capabilities, "capabilities is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /**
   * Makes the next call of {@code operation} (one of {@link #OPERATIONS}) throw {@code failure}. Calls
   * queue up: two calls fail the next two invocations. The failing call has no other effect.
   *
   * @param operation the operation to fail
   * @param failure what it throws
   */
  public void failNext(String operation, IOException failure) {
    Objects.requireNonNull(operation, "operation is null");
    Objects.requireNonNull(failure, "failure is null");
    if (!OPERATIONS.contains(operation)) {
      throw new IllegalArgumentException("Unknown operation '" + operation + "'; expected one of " + OPERATIONS);
    }
    faults.computeIfAbsent(operation, k -> new ConcurrentLinkedDeque<>()).add(failure);
  }

  /** {@return what is open now: {@code "read KEY"} for read streams, {@code "upload KEY"} for uploads, sorted} */
  public List<String> openStreams() {
    List<String> names = new ArrayList<>();
    open.values().forEach(o -> names.add(o.name()));
    names.sort(null);
    return names;
  }

  /**
   * Fails if a read stream or upload is still open.
   *
   * @throws IllegalStateException naming each, caused by the stack trace of where the first was opened
   */
  public void checkNoOpenStreams() {
    List<Opened> leaked = List.copyOf(open.values());
    if (!leaked.isEmpty()) {
      throw new IllegalStateException(
          leaked.size() + " stream(s) not closed: " + openStreams(), leaked.get(0).openedHere());
    }
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    ensureOpen();
    Keys.check(key);
    maybeFail("stat");
    Stored stored = objects.get(key);
    return stored == null ? Optional.empty() : Optional.of(stored.info(key, true));
  }

  @Override
  public InputStream read(String key, ByteRange range) throws IOException {
    ensureOpen();
    Keys.check(key);
    Objects.requireNonNull(range, "range is null");
    maybeFail("read");
    Stored stored = objects.get(key);
    if (stored == null) {
      throw new NoSuchObjectException(key);
    }
    int size = stored.content.length;
    int start = (int) Math.min(range.offset(), size);
    int length = range.toEnd() ? size - start : (int) Math.min(range.length(), size - start);
    return new ReadStream(key, new ByteArrayInputStream(stored.content, start, length));
  }

  @Override
  public ListPage list(String prefix, ListOptions options) throws IOException {
    ensureOpen();
    Keys.checkPrefix(prefix);
    Objects.requireNonNull(options, "options is null");
    maybeFail("list");
    NavigableMap<String, Stored> tail = objects.tailMap(prefix, true);
    if (options.pageToken().isPresent()) {
      String token = options.pageToken().get();
      // A token ending in '/' is a common prefix: resume after every key it covers.
      String resume = token.endsWith("/") ? token.substring(0, token.length() - 1) + "0" : token;
      if (Keys.UTF8_ORDER.compare(resume, prefix) > 0) {
        tail = objects.tailMap(resume, !resume.equals(token));
      }
    }
    List<ObjectInfo> found = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    int count = 0;
    Optional<String> next = Optional.empty();
    for (Map.Entry<String, Stored> entry : tail.entrySet()) {
      String key = entry.getKey();
      if (!key.startsWith(prefix)) {
        break;
      }
      int slash = options.delimited() ? key.indexOf('/', prefix.length()) : -1;
      String item = slash < 0 ? key : key.substring(0, slash + 1);
      if (item.equals(last)) {
        continue;
      }
      if (count == options.pageSize()) {
        next = Optional.of(last);
        break;
      }
      if (slash < 0) {
        found.add(entry.getValue().info(key, false));
      } else {
        prefixes.add(item);
      }
      last = item;
      count++;
    }
    return new ListPage(found, prefixes, next);
  }

  @Override
  public Upload openUpload(String key, PutOptions options) throws IOException {
    ensureOpen();
    Keys.check(key);
    Objects.requireNonNull(options, "options is null");
    maybeFail("openUpload");
    return new MemoryUpload(key, options);
  }

  @Override
  public ObjectInfo put(String key, byte[] content, PutOptions options) throws IOException {
    ensureOpen();
    Keys.check(key);
    Objects.requireNonNull(content, "content is null");
    Objects.requireNonNull(options, "options is null");
    maybeFail("put");
    return store(key, content.clone(), options);
  }

  @Override
  public void delete(String key) throws IOException {
    ensureOpen();
    Keys.check(key);
    maybeFail("delete");
    objects.remove(key);
  }

  @Override
  public void check() throws IOException {
    ensureOpen();
    maybeFail("check");
  }

  /** Marks the store closed; its objects are dropped with the instance. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "InMemoryStorageBackend[" + objects.size() + " objects]";
  }

  private ObjectInfo store(String key, byte[] content, PutOptions options) throws IOException {
    if (content.length > capabilities.maxObjectSize()) {
      throw new StorageException("Cannot store " + key + ": " + content.length + " bytes exceed the limit of "
          + capabilities.maxObjectSize());
    }
    Map<String, String> metadata = capabilities.userMetadata() ? options.metadata() : Map.of();
    Stored stored = new Stored(content, clock.instant(), Long.toHexString(generation.incrementAndGet()), metadata);
    if (options.precondition() == Precondition.IF_ABSENT) {
      if (capabilities.atomicCreateIfAbsent()) {
        if (objects.putIfAbsent(key, stored) != null) {
          throw new ObjectExistsException(key);
        }
      } else {
        if (objects.containsKey(key)) {
          throw new ObjectExistsException(key);
        }
        Thread.yield(); // widen the check-then-write window that a non-atomic store has
        objects.put(key, stored);
      }
    } else {
      objects.put(key, stored);
    }
    return stored.info(key, true);
  }

  private void maybeFail(String operation) throws IOException {
    Deque<IOException> queue = faults.get(operation);
    IOException failure = queue == null ? null : queue.poll();
    if (failure != null) {
      throw failure;
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("InMemoryStorageBackend is closed");
    }
  }

  private record Stored(byte[] content, Instant lastModified, String etag, Map<String, String> metadata) {
    ObjectInfo info(String key, boolean withMetadata) {
      return new ObjectInfo(key, content.length, lastModified, Optional.of(etag), withMetadata ? metadata : Map.of());
    }
  }

  private record Opened(String name, Throwable openedHere) {}

  private Opened track(Object stream, String name) {
    Opened opened = new Opened(name, new Throwable(name + " was opened here"));
    open.put(stream, opened);
    return opened;
  }

  private final class ReadStream extends FilterInputStream {
    private final String key;
    private boolean streamClosed;

    ReadStream(String key, InputStream in) {
      super(in);
      this.key = key;
      track(this, "read " + key);
    }

    private void ensureStreamOpen() throws IOException {
      if (streamClosed) {
        throw new IOException("Read stream of " + key + " is closed");
      }
    }

    @Override
    public int read() throws IOException {
      ensureStreamOpen();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      ensureStreamOpen();
      return super.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
      ensureStreamOpen();
      return super.skip(n);
    }

    @Override
    public int available() throws IOException {
      ensureStreamOpen();
      return super.available();
    }

    @Override
    public void close() {
      streamClosed = true;
      open.remove(this);
    }
  }

  private final class MemoryUpload extends AbstractUpload {
    private final String key;
    private final PutOptions options;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current = new byte[8192];
    private int used;
    private long size;

    MemoryUpload(String key, PutOptions options) {
      super(key);
      this.key = key;
      this.options = options;
      track(this, "upload " + key);
    }

    @Override
    protected void doWrite(byte[] b, int off, int len) throws IOException {
      maybeFail("write");
      if (size + len > Math.min(capabilities.maxObjectSize(), MAX_OBJECT_SIZE)) {
        throw new StorageException("Cannot upload " + key + ": larger than "
            + Math.min(capabilities.maxObjectSize(), MAX_OBJECT_SIZE) + " bytes");
      }
      while (len > 0) {
        if (used == current.length) {
          chunks.add(current);
          // Grow geometrically so that large uploads take few chunks, without copying what is stored.
          current = new byte[(int) Math.min(Math.max(8192, size), 16L << 20)];
          used = 0;
        }
        int n = Math.min(len, current.length - used);
        System.arraycopy(b, off, current, used, n);
        used += n;
        off += n;
        len -= n;
        size += n;
      }
    }

    @Override
    protected ObjectInfo doCommit() throws IOException {
      ensureOpen();
      maybeFail("commit");
      return store(key, content(), options);
    }

    @Override
    protected void doAbort() {
      chunks.clear();
      current = new byte[0];
    }

    /** Also after a commit: an upload counts as open until closed, as {@link #openStreams()} reports. */
    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        open.remove(this);
      }
    }

    private byte[] content() {
      byte[] all = new byte[(int) size];
      int at = 0;
      for (byte[] chunk : chunks) {
        System.arraycopy(chunk, 0, all, at, chunk.length);
        at += chunk.length;
      }
      System.arraycopy(current, 0, all, at, used);
      return all;
    }
  }
}
