package org.barman4j.server;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoText;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.PythonTime;
import org.barman4j.postgres.PostgresConnectionException;
import org.barman4j.postgres.PostgresStatus;

/**
 * The rows of Barman 3.4's {@code status} for one server, in its order: configuration, PostgreSQL (through
 * {@code conninfo}), the WAL archiver, the passive flag, retention and the catalogue.
 */
public final class ServerStatus {
  private ServerStatus() {}

  /**
   * One row: the JSON key, the console description and the message.
   *
   * @param key the JSON key ({@code pg_version})
   * @param description the console label ({@code PostgreSQL version})
   * @param message the value as Barman prints it
   */
  public record Row(String key, String description, String message) {
    /** Checks that no component is null. */
    public Row {
      Objects.requireNonNull(key, "key is null");
      Objects.requireNonNull(description, "description is null");
      Objects.requireNonNull(message, "message is null");
    }
  }

  /** Reads a server's live status; called only for servers that are not passive. */
  @FunctionalInterface
  public interface Probe {
    /**
     * {@return the live status}
     *
     * @throws PostgresConnectionException if the server cannot be reached
     */
    PostgresStatus fetch();
  }

  /**
   * {@return the rows of {@code status} for {@code server}}
   *
   * @param server the server's configuration
   * @param backups its backups, oldest first
   * @param probe how to read PostgreSQL's status (not called for a passive node)
   */
  public static List<Row> rows(ServerConfig server, List<BackupInfo> backups, Probe probe) {
    List<Row> rows = new ArrayList<>();
    if (!server.description().isEmpty()) {
      rows.add(new Row("description", "Description", server.description()));
    }
    rows.add(new Row("active", "Active", python(server.active())));
    rows.add(new Row("disabled", "Disabled", python(server.get("disabled").map(ServerStatus::isTrue).orElse(false))));
    boolean passive = !server.primarySshCommand().isEmpty();
    if (!passive) {
      postgres(server, probe, rows);
    }
    rows.add(new Row("passive_node", "Passive node", python(passive)));
    rows.add(new Row("retention_policies", "Retention policies", server.retentionPolicy()
        .map(p -> "enforced (mode: auto, retention: " + p + ", WAL retention: "
            + server.walRetentionPolicy().toUpperCase(Locale.ROOT) + ")")
        .orElse("not enforced")));
    long done = backups.stream().filter(b -> b.status() == BackupStatus.DONE).count();
    List<BackupInfo> available = backups.stream().filter(b -> b.status().isCopyDone()).toList();
    rows.add(new Row("backups_number", "No. of available backups", Long.toString(done)));
    rows.add(new Row("first_backup", "First available backup",
        available.isEmpty() ? "None" : available.get(0).backupId().value()));
    rows.add(new Row("last_backup", "Last available backup",
        available.isEmpty() ? "None" : available.get(available.size() - 1).backupId().value()));
    int minimum = server.minimumRedundancy();
    rows.add(new Row("minimum_redundancy", "Minimum redundancy requirements",
        (done < minimum ? "FAILED (" : "satisfied (") + done + "/" + minimum + ")"));
    if (passive) {
      rows.add(new Row("primary_ssh_command", "SSH command to primary server", server.primarySshCommand()));
    }
    return rows;
  }

  private static void postgres(ServerConfig server, Probe probe, List<Row> rows) {
    PostgresStatus status;
    try {
      status = probe.fetch();
    } catch (PostgresConnectionException e) {
      rows.add(new Row("pg_version", "PostgreSQL version", "FAILED trying to get PostgreSQL version"));
      return;
    }
    rows.add(new Row("pg_version", "PostgreSQL version", status.serverTxtVersion()));
    rows.add(new Row("is_in_recovery", "Cluster state", status.inRecovery() ? "in archive recovery" : "in production"));
    status.currentSize().ifPresent(s -> rows.add(new Row("current_size", "Current data size",
        BackupInfoText.prettySize(s))));
    status.dataDirectory().filter(d -> !d.isEmpty())
        .ifPresent(d -> rows.add(new Row("data_directory", "PostgreSQL Data directory", d)));
    status.currentXlog().filter(x -> !x.isEmpty())
        .ifPresent(x -> rows.add(new Row("current_xlog", "Current WAL segment", x)));
    if (!server.archiver() || status.archiveMode().isEmpty()) {
      return;
    }
    rows.add(new Row("archive_command", "PostgreSQL 'archive_command' setting", status.archiveCommand()
        .filter(c -> !c.isEmpty()).orElse("FAILED (please set it accordingly to documentation)")));
    String lastWal = status.archiver().flatMap(PostgresStatus.Archiver::lastArchivedWal).filter(w -> !w.isEmpty())
        .map(w -> w + status.archiver().get().lastArchivedTime()
            .map(t -> ", at " + PythonTime.ctime(t.atOffset(ZoneOffset.UTC))).orElse(""))
        .orElse("No WAL segment shipped yet");
    rows.add(new Row("last_archived_wal", "Last archived WAL", lastWal));
    if (status.archiver().isEmpty()) {
      return;
    }
    PostgresStatus.Archiver archiver = status.archiver().get();
    String failures = Long.toString(archiver.failedCount());
    if (archiver.failedCount() > 0) {
      failures += " (" + archiver.lastFailedWal().orElse("None") + " at "
          + archiver.lastFailedTime().map(t -> PythonTime.ctime(t.atOffset(ZoneOffset.UTC))).orElse("None") + ")";
    }
    rows.add(new Row("failed_count", "Failures of WAL archiver", failures));
    archiver.archivedWalsPerSecond().filter(r -> r.signum() != 0).ifPresent(r -> rows.add(new Row(
        "server_archived_wals_per_hour", "Server WAL archiving rate",
        // Python: "%0.2f" of the Decimal product, i.e. of its float value
        new BigDecimal(r.multiply(BigDecimal.valueOf(3600)).doubleValue()).setScale(2, RoundingMode.HALF_EVEN)
            .toPlainString() + "/hour")));
  }

  private static boolean isTrue(String value) {
    return List.of("true", "1", "on", "yes").contains(value.strip().toLowerCase(Locale.ROOT));
  }

  private static String python(boolean value) {
    return value ? "True" : "False";
  }
}
