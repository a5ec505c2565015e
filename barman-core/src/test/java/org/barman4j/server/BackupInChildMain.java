package org.barman4j.server;

import java.nio.file.Path;
import java.util.Map;
import org.barman4j.config.ServerConfig;

/**
 * Runs one slow backup ({@code bandwidth_limit = 32}) in its own JVM so that a test can kill it:
 * {@code BackupInChildMain BARMAN_HOME PORT}. Prints each message and, at the end, {@code status=STATUS}.
 */
public final class BackupInChildMain {

  private BackupInChildMain() {}

  /**
   * Entry point.
   *
   * @param args barman_home and the server's port
   */
  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    String conninfo = "host=127.0.0.1 port=" + args[1] + " user=postgres dbname=postgres";
    ServerConfig config = new ServerConfig("pg", Map.of("conninfo", conninfo, "backup_method", "postgres",
        "bandwidth_limit", "32"));
    var info = PostgresBackupExecutor.builder(config, ServerDirectories.of(home, "pg"))
        .listener(m -> System.out.println(m.consoleText())).build().backup(BackupRequest.of(config));
    System.out.println("status=" + info.status());
  }
}
