package org.barman4j.server;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.config.ServerConfig;
import org.barman4j.postgres.PostgresException;
import org.barman4j.server.internal.ServerConnection;
import org.barman4j.wal.WalFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code barman switch-wal SERVER [--force] [--archive [--archive-timeout S]]}: closes the WAL segment being
 * written ({@code pg_switch_wal()}, after a {@code CHECKPOINT} with {@code --force}) and optionally waits until
 * it is in {@code wals/}, running the archiver meanwhile. Messages are Barman 3.4's.
 *
 * <pre>{@code
 * SwitchWal.Result r = new SwitchWal(config, directories, archiver::run, listener)
 *     .run(new SwitchWal.Request(SwitchWal.Force.CHECKPOINT_FIRST, SwitchWal.Archive.WAIT, Duration.ofSeconds(30)));
 * }</pre>
 */
public final class SwitchWal {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchWal.class);

  /** Whether a checkpoint comes first ({@code --force}). */
  public enum Force {
    /** Just {@code pg_switch_wal()}: nothing happens when nothing was written since the last switch. */
    NO_CHECKPOINT,
    /** {@code CHECKPOINT} first (superuser), so there is always something to switch away from. */
    CHECKPOINT_FIRST
  }

  /** Whether to wait for the closed segment ({@code --archive}). */
  public enum Archive {
    /** Return after the switch. */
    NO_WAIT,
    /** Wait until the closed segment (or, without one, any new segment) is archived. */
    WAIT
  }

  /**
   * The options of one run.
   *
   * @param force {@code --force}
   * @param archive {@code --archive}
   * @param archiveTimeout {@code --archive-timeout} (Barman's default: 30 s); zero waits without limit
   */
  public record Request(Force force, Archive archive, Duration archiveTimeout) {
    /**
     * Checks the components.
     *
     * @param force the checkpoint choice
     * @param archive the wait choice
     * @param archiveTimeout the wait limit
     */
    public Request {
      Objects.requireNonNull(force, "force is null");
      Objects.requireNonNull(archive, "archive is null");
      Objects.requireNonNull(archiveTimeout, "archiveTimeout is null");
      if (archiveTimeout.isNegative()) {
        throw new IllegalArgumentException("archive timeout must not be negative");
      }
    }
  }

  /** What happened. */
  public enum Outcome {
    /** A segment was closed. */
    SWITCHED,
    /** Nothing had been written since the last switch. */
    NO_SWITCH_REQUIRED,
    /** The server is a standby: nothing was done. */
    STANDBY,
    /** The switch could not be made (connection, privileges); an ERROR was reported. */
    FAILED
  }

  /**
   * The result of a run.
   *
   * @param outcome what the switch did
   * @param closedWal the segment closed, when one was
   * @param archived with {@code --archive}, whether the awaited file arrived in time
   * @param errorReported whether an ERROR message was sent (Barman then exits 1)
   */
  public record Result(Outcome outcome, Optional<String> closedWal, boolean archived, boolean errorReported) {
    /**
     * Checks the components.
     *
     * @param outcome the outcome
     * @param closedWal the closed segment
     * @param archived whether it arrived
     * @param errorReported whether an error was reported
     */
    public Result {
      Objects.requireNonNull(outcome, "outcome is null");
      Objects.requireNonNull(closedWal, "closedWal is null");
    }
  }

  private final ServerConfig config;
  private final ServerDirectories directories;
  private final ArchiveWalStep archiveWal;
  private final ServerListener listener;

  /**
   * A switch-wal for one server.
   *
   * @param config the server's configuration
   * @param directories its catalogue
   * @param archiveWal one quiet archiver run, called while waiting
   * @param listener receives Barman's messages
   */
  public SwitchWal(ServerConfig config, ServerDirectories directories, ArchiveWalStep archiveWal,
      ServerListener listener) {
    this.config = Objects.requireNonNull(config, "config is null");
    this.directories = Objects.requireNonNull(directories, "directories is null");
    this.archiveWal = Objects.requireNonNull(archiveWal, "archiveWal is null");
    this.listener = Objects.requireNonNull(listener, "listener is null");
  }

  /**
   * Switches, and waits when asked.
   *
   * @param request the options
   * @return what happened
   */
  public Result run(Request request) {
    String server = config.name();
    ErrorTracker out = new ErrorTracker(listener);
    Optional<String> closed = Optional.empty();
    Outcome outcome;
    try (ServerConnection pg = ServerConnection.open(config.conninfo(), "barman")) {
      if (pg.inRecovery()) {
        out.message(ServerMessage.info("No switch performed because server '%s' is a standby.", server));
        outcome = Outcome.STANDBY;
      } else {
        if (request.force() == Force.CHECKPOINT_FIRST) {
          if (!pg.isSuperuser()) {
            out.message(ServerMessage.error("Barman switch-wal requires superuser rights"));
            return new Result(Outcome.FAILED, closed, false, true);
          }
          LOG.info("Force a CHECKPOINT before pg_switch_wal()");
          pg.checkpoint();
        }
        closed = pg.switchWal();
        if (closed.isPresent()) {
          out.message(ServerMessage.info("The WAL file %s has been closed on server '%s'", closed.get(), server));
          outcome = Outcome.SWITCHED;
        } else {
          out.message(ServerMessage.info("No switch required for server '%s'", server));
          outcome = Outcome.NO_SWITCH_REQUIRED;
        }
      }
    } catch (PostgresException e) {
      LOG.warn("pg_switch_wal on server {} failed", server, e);
      out.message(ServerMessage.error("Unable to perform pg_switch_wal for server '%s': %s", server, e.getMessage()));
      return new Result(Outcome.FAILED, closed, false, true);
    }
    boolean archived = false;
    if (request.archive() == Archive.WAIT) {
      try {
        archived = closed.isPresent()
            ? WalWaiter.waitFor(directories, WalFileName.parse(closed.get()), request.archiveTimeout(), archiveWal, out,
                server)
            : WalWaiter.waitForAny(directories, request.archiveTimeout(), archiveWal, out, server);
      } catch (IOException e) {
        out.message(ServerMessage.error("Cannot archive the WAL files of server '%s': %s", server, e.getMessage()));
      }
    }
    return new Result(outcome, closed, archived, out.errorReported);
  }

  /** Passes messages on, noting whether an error went by. */
  private static final class ErrorTracker implements ServerListener {
    private final ServerListener delegate;
    private boolean errorReported;

    ErrorTracker(ServerListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void message(ServerMessage message) {
      errorReported |= message.level() == ServerMessage.Level.ERROR;
      delegate.message(message);
    }
  }
}
