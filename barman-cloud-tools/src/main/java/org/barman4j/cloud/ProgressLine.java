package org.barman4j.cloud;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.barman4j.BarmanListener;
import org.barman4j.Progress;

/**
 * A long job's progress as one line on a terminal, rewritten in place with {@code \r}, as pgBackRest shows it:
 * {@code backup: copying 1.2 GiB of 3.4 GiB (35%), 812 files, 3 parts, 45.0 MiB/s}. At most five updates a
 * second, besides every change of phase; {@link #close()} ends the line with a newline, so that whatever the
 * tool prints next (an error, say) starts on a line of its own.
 *
 * <p>On anything but a terminal it prints nothing at all: {@code archive_command} and cron logs stay clean.
 */
final class ProgressLine implements BarmanListener, AutoCloseable {
  /** Where Linux shows what file descriptor 2 (stderr) is. */
  static final Path STDERR_LINK = Path.of("/proc/self/fd/2");
  private static final long MIN_INTERVAL_NANOS = 200_000_000L;
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private final PrintStream err;
  private final String job;
  private final boolean terminal;
  private final LongSupplier nanoClock;
  private long copyingSince = -1;
  private long lastDrawn = Long.MIN_VALUE;
  private Progress.Phase lastPhase;
  private int lastLength;
  private boolean lineOpen;

  /**
   * A progress line of {@code job} on {@code err}, drawn only if {@code terminal}.
   *
   * @param nanoClock the time in nanoseconds, as {@link System#nanoTime()}
   */
  ProgressLine(PrintStream err, String job, boolean terminal, LongSupplier nanoClock) {
    this.err = err;
    this.job = job;
    this.terminal = terminal;
    this.nanoClock = nanoClock;
  }

  /**
   * The progress line of {@code job} on {@code err}, drawn if {@code err} is this process's stderr and that is
   * a terminal.
   */
  static ProgressLine onStderr(PrintStream err, String job) {
    return new ProgressLine(err, job, err == System.err && isTerminal(STDERR_LINK), System::nanoTime);
  }

  /**
   * Whether the file descriptor link {@code fdLink} (such as {@code /proc/self/fd/2}) names a terminal: a
   * pseudo-terminal ({@code /dev/pts/N}) or a console ({@code /dev/ttyN}, {@code /dev/console}). One
   * {@code readlink}, no native code; anywhere else (no {@code /proc}) the answer is no.
   */
  static boolean isTerminal(Path fdLink) {
    try {
      String target = Files.readSymbolicLink(fdLink).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Whether this line is drawn at all. */
  boolean drawn() {
    return terminal;
  }

  @Override
  public synchronized void progress(Progress progress) {
    if (!terminal) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (progress.phase() == Progress.Phase.COPYING && copyingSince < 0) {
      copyingSince = now;
    }
    boolean phaseChanged = progress.phase() != lastPhase;
    if (!phaseChanged && now - lastDrawn < MIN_INTERVAL_NANOS) {
      return;
    }
    lastPhase = progress.phase();
    lastDrawn = now;
    String text = render(job, progress, rate(progress, now));
    StringBuilder line = new StringBuilder(text.length() + lastLength + 2).append('\r').append(text);
    for (int i = text.length(); i < lastLength; i++) {
      line.append(' '); // covers the rest of a longer line drawn before
    }
    lastLength = text.length();
    if (progress.phase() == Progress.Phase.DONE) {
      line.append('\n');
      lineOpen = false;
    } else {
      lineOpen = true;
    }
    err.print(line);
    err.flush();
  }

  /** Ends the line if the job left it open (it failed): what follows starts on a line of its own. */
  @Override
  public synchronized void close() {
    if (lineOpen) {
      err.print('\n');
      err.flush();
      lineOpen = false;
    }
  }

  private OptionalDouble rate(Progress progress, long now) {
    long elapsed = now - copyingSince;
    if (copyingSince < 0 || elapsed < MIN_INTERVAL_NANOS || progress.bytesDone() == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(progress.bytesDone() * 1e9 / elapsed);
  }

  /**
   * The text of the line: {@code JOB: PHASE DONE[ of TOTAL (P%)], N files, N parts[, RATE/s]}; the total and
   * percentage only when the total is known, the rate once copying has run a while.
   */
  static String render(String job, Progress progress, OptionalDouble bytesPerSecond) {
    StringBuilder line = new StringBuilder(job).append(": ").append(phase(progress.phase()));
    if (progress.phase() != Progress.Phase.STARTING || progress.bytesDone() > 0) {
      line.append(' ').append(size(progress.bytesDone()));
      if (progress.bytesTotal().isPresent()) {
        line.append(" of ").append(size(Math.max(progress.bytesTotal().getAsLong(), progress.bytesDone())));
      }
      OptionalDouble fraction = progress.fraction();
      if (fraction.isPresent()) {
        line.append(" (").append((int) Math.floor(fraction.getAsDouble() * 100)).append("%)");
      }
      line.append(", ").append(count(progress.files(), "file")).append(", ").append(count(progress.parts(), "part"));
      if (bytesPerSecond.isPresent()) {
        line.append(", ").append(size((long) bytesPerSecond.getAsDouble())).append("/s");
      }
    }
    return line.toString();
  }

  private static String phase(Progress.Phase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** {@code bytes} in binary units: {@code 812 B}, {@code 1.2 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
