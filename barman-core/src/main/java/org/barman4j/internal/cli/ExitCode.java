package org.barman4j.internal.cli;

/**
 * barman-cloud's exit codes ({@code barman/clients/cloud_cli.py}), for Barman4J's own command-line frontends;
 * not part of the API.
 */
public enum ExitCode {
  /** Success, including a successful {@code --test}. */
  OK(0),
  /** The operation failed: WAL not found, archive conflict, storage error. */
  OPERATION_FAILED(1),
  /** The storage cannot be reached. */
  NETWORK_ERROR(2),
  /** Bad arguments or invalid input. */
  CLI_ERROR(3),
  /** Anything else. */
  GENERAL_ERROR(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }
}
