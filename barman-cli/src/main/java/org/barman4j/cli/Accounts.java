package org.barman4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The operating system's users, as Barman's {@code barman_user} needs them: who runs this process, who a name
 * is, and how {@code root} hands a command over to another user.
 */
interface Accounts {
  /** A user account: its name, numeric id and home directory. */
  record Account(String name, long uid, Path home) {}

  /** {@return the name of the user running this process} */
  String currentName();

  /** {@return the numeric id of the user running this process} */
  long currentUid() throws IOException;

  /** {@return the account called {@code name}, if it exists} */
  Optional<Account> lookup(String name) throws IOException, InterruptedException;

  /**
   * Runs this same {@code barman} command again as {@code account}, with its streams, and returns the exit code.
   *
   * @param account the user to run as
   * @param config the configuration file this process loaded (the other user's search path could find another)
   * @param args the command's arguments, after {@code barman}
   */
  int rerun(Account account, Path config, List<String> args) throws IOException, InterruptedException;
}
