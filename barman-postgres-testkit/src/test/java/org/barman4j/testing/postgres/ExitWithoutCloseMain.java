package org.barman4j.testing.postgres;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a cluster, prints its temp dir and postmaster PID, and exits without closing it, leaving
 * the cleanup to the shutdown hook.
 */
public final class ExitWithoutCloseMain {
  private ExitWithoutCloseMain() {}

  public static void main(String[] args) throws Exception {
    PostgresCluster cluster = PostgresCluster.init();
    Path pidFile = cluster.dataDir().resolve("postmaster.pid");
    String pid = Files.readAllLines(pidFile).get(0);
    System.out.println("tempDir=" + cluster.tempDir());
    System.out.println("pid=" + pid.strip());
    System.out.flush();
    System.exit(3);
  }
}
