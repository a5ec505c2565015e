package org.barman4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.barman4j.Barman;
import org.barman4j.BarmanListener;
import org.barman4j.catalog.BackupId;
import org.barman4j.retention.BackupDeleter;
import org.barman4j.retention.RetentionPlan;
import org.barman4j.retention.RetentionPolicy;
import org.barman4j.retention.RetentionStatus;

/**
 * Recipe: apply a retention policy, printing what it would delete first. Usage:
 * {@code ApplyRetention URL SERVER POLICY MINIMUM_REDUNDANCY}, e.g.
 * {@code ApplyRetention file:///srv/backups main "RECOVERY WINDOW OF 7 DAYS" 1}.
 */
public final class ApplyRetention {
  private ApplyRetention() {}

  /**
   * Prints the status of every backup under {@code policy}, deleting nothing (a dry run).
   *
   * @param barman the server's backups
   * @param policy the retention policy
   * @param minimumRedundancy how many DONE backups must remain whatever the policy says
   * @param out where the plan is printed
   * @return the plan
   */
  public static RetentionPlan plan(Barman barman, RetentionPolicy policy, int minimumRedundancy, PrintStream out) {
    RetentionPlan plan = barman.planRetention(policy, minimumRedundancy);
    out.println(policy + ", minimum redundancy " + minimumRedundancy + ":");
    for (Map.Entry<BackupId, RetentionStatus> backup : plan.statuses().entrySet()) {
      out.println("  " + backup.getKey() + " " + backup.getValue().label());
    }
    plan.warnings().forEach(warning -> out.println("  WARNING: " + warning));
    return plan;
  }

  /**
   * Deletes the backups {@code policy} makes obsolete, oldest first, and the WAL no remaining backup needs.
   *
   * @param barman the server's backups
   * @param policy the retention policy
   * @param minimumRedundancy how many DONE backups must remain whatever the policy says
   * @param out where each deletion is printed
   * @return what was deleted
   */
  public static BackupDeleter.Outcome enforce(Barman barman, RetentionPolicy policy, int minimumRedundancy,
      PrintStream out) {
    BarmanListener listener = new BarmanListener() {
      @Override
      public void deletingBackup(BackupId backupId, List<String> keys, boolean dryRun) {
        out.println("deleting backup " + backupId + " (" + keys.size() + " objects)");
      }

      @Override
      public void warning(String message) {
        out.println("WARNING: " + message);
      }
    };
    BackupDeleter.Outcome outcome = barman.enforceRetention(policy,
        BackupDeleter.Options.DEFAULT.withMinimumRedundancy(minimumRedundancy), listener);
    out.println("deleted " + outcome.deleted().size() + " backups and " + outcome.walObjectsDeleted()
        + " WAL objects");
    return outcome;
  }

  /**
   * Plans, then enforces, {@code POLICY} for {@code SERVER} in {@code URL}.
   *
   * @param args {@code URL SERVER POLICY MINIMUM_REDUNDANCY}
   */
  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: ApplyRetention URL SERVER POLICY MINIMUM_REDUNDANCY");
      System.exit(2);
    }
    RetentionPolicy policy = RetentionPolicy.parse(args[2]);
    int minimumRedundancy = Integer.parseInt(args[3]);
    try (Barman barman = Barman.builder().url(args[0]).serverName(args[1]).build()) {
      plan(barman, policy, minimumRedundancy, System.out);
      enforce(barman, policy, minimumRedundancy, System.out);
    }
  }
}
