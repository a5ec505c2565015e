package org.barman4j.internal;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.barman4j.BarmanListener;
import org.barman4j.Progress;

/**
 * Counts a job's progress from any number of threads and tells a {@link BarmanListener}, at most every
 * {@value #INTERVAL_MILLIS} ms and at each change of phase, so that counting costs nothing measurable.
 */
public final class ProgressReporter {
  private static final long INTERVAL_MILLIS = 200;

  private final BarmanListener listener;
  private final Progress.Job job;
  private final LongAdder bytes = new LongAdder();
  private final LongAdder files = new LongAdder();
  private final LongAdder parts = new LongAdder();
  private final AtomicLong nextReport = new AtomicLong();
  private volatile Progress.Phase phase = Progress.Phase.STARTING;
  private volatile OptionalLong total = OptionalLong.empty();

  /**
   * A reporter of {@code job} to {@code listener}.
   *
   * @param listener the listener told
   * @param job the job counted
   */
  public ProgressReporter(BarmanListener listener, Progress.Job job) {
    this.listener = Objects.requireNonNull(listener, "listener is null");
    this.job = Objects.requireNonNull(job, "job is null");
  }

  /**
   * Sets the expected total of bytes.
   *
   * @param bytesTotal the expected total
   */
  public void total(long bytesTotal) {
    total = OptionalLong.of(bytesTotal);
  }

  /**
   * Moves to {@code next} and reports it at once.
   *
   * @param next the new phase
   */
  public void phase(Progress.Phase next) {
    phase = next;
    report();
  }

  /**
   * Counts {@code n} bytes done.
   *
   * @param n the bytes
   */
  public void bytes(long n) {
    bytes.add(n);
    maybeReport();
  }

  /** Counts one file done. */
  public void file() {
    files.increment();
    maybeReport();
  }

  /** Counts one part done. */
  public void part() {
    parts.increment();
    maybeReport();
  }

  private void maybeReport() {
    long now = System.nanoTime();
    long due = nextReport.get();
    if (now - due >= 0 && nextReport.compareAndSet(due, now + INTERVAL_MILLIS * 1_000_000L)) {
      report();
    }
  }

  private void report() {
    try {
      listener.progress(new Progress(job, phase, bytes.sum(), total, files.sum(), parts.sum()));
    } catch (RuntimeException e) {
      // A listener's failure must not fail the backup or restore it only watches.
      org.slf4j.LoggerFactory.getLogger(ProgressReporter.class).debug("Progress listener failed", e);
    }
  }
}
