package org.barman4j.cloud;

/** A command line that cannot be accepted; the tool exits with {@link ExitCode#CLI_ERROR}. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
