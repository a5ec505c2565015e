package org.barman4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code archive-wal} run did for a server: for each queue processed ({@code streaming/} first,
 * then {@code incoming/}), every file taken and what became of it, and the unknown objects moved to
 * {@code errors/}.
 *
 * @param serverName the server
 * @param alreadyRunning true when another process held the archive-wal lock, so nothing was done
 * @param queues the queues processed, in order
 */
public record WalArchiveReport(String serverName, boolean alreadyRunning, List<Queue> queues) {

  /**
   * Checks that no component is null and copies the list.
   *
   * @param serverName the server
   * @param alreadyRunning true when another process held the lock
   * @param queues the queues processed
   */
  public WalArchiveReport {
    Objects.requireNonNull(serverName, "serverName is null");
    queues = List.copyOf(Objects.requireNonNull(queues, "queues is null"));
  }

  /** Where WAL files wait to be archived. */
  public enum Source {
    /** {@code streaming/}, filled by {@code pg_receivewal}. */
    STREAMING("streaming"),
    /** {@code incoming/}, filled by PostgreSQL's {@code archive_command}. */
    INCOMING("file archival");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    /** {@return Barman's name in its console lines: {@code streaming} or {@code file archival}} */
    public String label() {
      return label;
    }
  }

  /** What became of one file. */
  public enum Outcome {
    /** Stored in {@code wals/}, catalogued in {@code xlog.db} and removed from its queue. */
    ARCHIVED,
    /** Already archived with the same content: removed from its queue. */
    DUPLICATE_DROPPED,
    /** Already archived with different content: moved to {@code errors/NAME.STAMP.duplicate}. */
    DUPLICATE_MOVED,
    /** Could not be archived; it stays in its queue and the run stopped. */
    FAILED
  }

  /**
   * One file taken from a queue.
   *
   * @param name the WAL file name
   * @param outcome what became of it
   * @param detail the reason of a failure, the {@code errors/} file of a duplicate, else empty
   */
  public record FileResult(String name, Outcome outcome, String detail) {
    /**
     * Checks that no component is null.
     *
     * @param name the WAL file name
     * @param outcome what became of it
     * @param detail the reason of a failure, the {@code errors/} file of a duplicate, else empty
     */
    public FileResult {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(outcome, "outcome is null");
      Objects.requireNonNull(detail, "detail is null");
    }
  }

  /**
   * One queue's run.
   *
   * @param source the directory
   * @param waiting how many WAL files were waiting (before the batch limit)
   * @param batchSize the batch run size when the batch limit left files waiting, else 0
   * @param files the files processed, in order
   * @param unknown the names of the unknown objects moved to {@code errors/}
   */
  public record Queue(Source source, int waiting, int batchSize, List<FileResult> files, List<String> unknown) {
    /**
     * Checks that no component is null and copies the lists.
     *
     * @param source the directory
     * @param waiting how many WAL files were waiting
     * @param batchSize the batch run size when the batch limit left files waiting, else 0
     * @param files the files processed
     * @param unknown the unknown objects moved to {@code errors/}
     */
    public Queue {
      Objects.requireNonNull(source, "source is null");
      files = List.copyOf(Objects.requireNonNull(files, "files is null"));
      unknown = List.copyOf(Objects.requireNonNull(unknown, "unknown is null"));
    }
  }

  /** {@return the first failure, if a file could not be archived} */
  public Optional<FileResult> failure() {
    return queues.stream().flatMap(q -> q.files().stream()).filter(f -> f.outcome() == Outcome.FAILED).findFirst();
  }

  /**
   * {@return the lines Barman 3.4 prints for this run}: {@code Processing xlog segments from file archival
   * for S} (with {@code  (batch size: N)} when files are left for later), {@code \tNAME} per file, the
   * duplicate error line, {@code \tno file found}, the unknown objects; with {@code verbose} false (as
   * under {@code cron}) a queue's header only when it had files. A failure ends with an ERROR line.
   *
   * @param verbose print headers of empty queues and {@code \tno file found}, as {@code archive-wal} does
   */
  public List<ServerMessage> consoleLines(boolean verbose) {
    List<ServerMessage> lines = new ArrayList<>();
    if (alreadyRunning) {
      lines.add(ServerMessage.info("Another archive-wal process is already running on server " + serverName
          + ". Skipping to the next server"));
      return lines;
    }
    for (Queue q : queues) {
      String header = "Processing xlog segments from " + q.source().label() + " for " + serverName
          + (q.batchSize() > 0 ? " (batch size: " + q.batchSize() + ")" : "");
      if (verbose || !q.files().isEmpty()) {
        lines.add(ServerMessage.info(header));
      }
      for (FileResult f : q.files()) {
        lines.add(ServerMessage.info("\t" + f.name()));
        if (f.outcome() == Outcome.DUPLICATE_MOVED) {
          lines.add(ServerMessage.info("\tError: " + f.name() + " is already present in server " + serverName
              + ". File moved to errors directory."));
        } else if (f.outcome() == Outcome.FAILED) {
          lines.add(ServerMessage.error("Archiving " + f.name() + " for server " + serverName + " failed: "
              + f.detail()));
        }
      }
      if (q.files().isEmpty() && verbose) {
        lines.add(ServerMessage.info("\tno file found"));
      }
      if (!q.unknown().isEmpty()) {
        lines.add(ServerMessage.info("Some unknown objects have been found while processing xlog segments for "
            + serverName + ". Objects moved to errors directory:"));
        q.unknown().forEach(u -> lines.add(ServerMessage.info("\t" + u)));
      }
    }
    return lines;
  }
}
