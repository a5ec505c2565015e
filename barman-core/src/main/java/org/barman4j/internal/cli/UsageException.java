package org.barman4j.internal.cli;

/**
 * A command line that cannot be accepted, in argparse's words; the frontend prints {@code PROG: error: MESSAGE}
 * and exits with {@link ExitCode#CLI_ERROR}. For Barman4J's own command-line frontends; not part of the API.
 */
public final class UsageException extends Exception {
  /** A usage error described by {@code message}. */
  public UsageException(String message) {
    super(message);
  }
}
