package org.barman4j.postgres;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * What Barman's {@code status} reads from a live PostgreSQL server over {@code conninfo}: version, recovery
 * state, size, data directory, current WAL segment, the archiver settings and {@code pg_stat_archiver}. A value
 * the connected role may not read (e.g. the data directory without backup privileges) is empty, as Barman leaves
 * it {@code None}.
 *
 * @param serverTxtVersion the version as {@code version()} spells it ({@code 15.18})
 * @param inRecovery whether the server is in recovery
 * @param currentSize the sum of the tablespaces' sizes (needs backup privileges)
 * @param dataDirectory {@code data_directory} (needs backup privileges)
 * @param currentXlog the current WAL segment (empty in recovery)
 * @param archiveMode {@code archive_mode}
 * @param archiveCommand {@code archive_command}
 * @param archiver {@code pg_stat_archiver}, if readable
 */
public record PostgresStatus(String serverTxtVersion, boolean inRecovery, OptionalLong currentSize,
    Optional<String> dataDirectory, Optional<String> currentXlog, Optional<String> archiveMode,
    Optional<String> archiveCommand, Optional<Archiver> archiver) {
  /** Checks that no component is null. */
  public PostgresStatus {
    Objects.requireNonNull(serverTxtVersion, "serverTxtVersion is null");
    Objects.requireNonNull(currentSize, "currentSize is null");
    Objects.requireNonNull(dataDirectory, "dataDirectory is null");
    Objects.requireNonNull(currentXlog, "currentXlog is null");
    Objects.requireNonNull(archiveMode, "archiveMode is null");
    Objects.requireNonNull(archiveCommand, "archiveCommand is null");
    Objects.requireNonNull(archiver, "archiver is null");
  }

  /**
   * {@code pg_stat_archiver}, with times as wall-clock times in the server's own time zone (as Barman, whose
   * driver leaves the session in the server's zone, prints them).
   *
   * @param lastArchivedWal the last WAL archived
   * @param lastArchivedTime when
   * @param failedCount how many attempts failed
   * @param lastFailedWal the last WAL that failed
   * @param lastFailedTime when
   * @param archivedWalsPerSecond {@code archived_count} over the time since {@code stats_reset}, as Barman
   *     computes it
   */
  public record Archiver(Optional<String> lastArchivedWal, Optional<LocalDateTime> lastArchivedTime, long failedCount,
      Optional<String> lastFailedWal, Optional<LocalDateTime> lastFailedTime, Optional<BigDecimal> archivedWalsPerSecond) {
    /** Checks that no component is null. */
    public Archiver {
      Objects.requireNonNull(lastArchivedWal, "lastArchivedWal is null");
      Objects.requireNonNull(lastArchivedTime, "lastArchivedTime is null");
      Objects.requireNonNull(lastFailedWal, "lastFailedWal is null");
      Objects.requireNonNull(lastFailedTime, "lastFailedTime is null");
      Objects.requireNonNull(archivedWalsPerSecond, "archivedWalsPerSecond is null");
    }
  }

  /**
   * Connects with {@code settings} and reads the status.
   *
   * @param settings where to connect ({@code conninfo})
   * @param connectTimeout how long to wait for the connection, unless the connection string sets
   *     {@code connect_timeout}
   * @return the status
   * @throws PostgresConnectionException if the server cannot be reached or queried
   */
  public static PostgresStatus fetch(ConnectionSettings settings, Duration connectTimeout) {
    Properties properties = settings.driverProperties();
    if (!properties.containsKey("connectTimeout")) {
      properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
    }
    properties.setProperty("loginTimeout", properties.getProperty("connectTimeout"));
    try (Connection c = new Driver().connect(settings.jdbcUrl(), properties)) {
      if (c == null) {
        throw new PostgresConnectionException("Cannot connect to postgres (" + settings + "): URL not accepted", null);
      }
      c.setAutoCommit(true);
      String[] version = text(c, "SELECT version()").orElse("").split("\\s+");
      String txtVersion = version.length > 1 ? version[1] : "";
      if (version.length > 0 && version[0].equals("EnterpriseDB") && txtVersion.contains(".")) {
        txtVersion = txtVersion.substring(0, txtVersion.lastIndexOf('.'));
      }
      boolean recovery = optional(c, "SELECT pg_is_in_recovery()").map(v -> v.equals("t") || v.equals("true"))
          .orElse(false);
      boolean privileged = optional(c, "SELECT usesuper OR (pg_has_role(CURRENT_USER, 'pg_monitor', 'MEMBER') OR "
          + "(pg_has_role(CURRENT_USER, 'pg_read_all_settings', 'MEMBER') AND "
          + "pg_has_role(CURRENT_USER, 'pg_read_all_stats', 'MEMBER'))) AND "
          + "has_function_privilege(CURRENT_USER, 'pg_backup_start(text,bool)', 'EXECUTE') AND "
          + "has_function_privilege(CURRENT_USER, 'pg_backup_stop(bool)', 'EXECUTE') AND "
          + "has_function_privilege(CURRENT_USER, 'pg_switch_wal()', 'EXECUTE') AND "
          + "has_function_privilege(CURRENT_USER, 'pg_create_restore_point(text)', 'EXECUTE') "
          + "FROM pg_user WHERE usename = CURRENT_USER").map(v -> v.equals("t")).orElse(false);
      OptionalLong size = OptionalLong.empty();
      Optional<String> dataDirectory = Optional.empty();
      if (privileged) {
        size = optional(c, "SELECT sum(pg_tablespace_size(oid)) FROM pg_tablespace")
            .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
        dataDirectory = setting(c, "data_directory");
      }
      Optional<String> xlog = recovery ? Optional.empty()
          : optional(c, "SELECT pg_walfile_name(pg_current_wal_lsn())");
      return new PostgresStatus(txtVersion, recovery, size, dataDirectory, xlog, setting(c, "archive_mode"),
          setting(c, "archive_command"), archiver(c));
    } catch (SQLException e) {
      throw new PostgresConnectionException("Cannot read the status of postgres (" + settings + "): "
          + firstLine(e.getMessage()), e);
    }
  }

  private static Optional<Archiver> archiver(Connection c) {
    // times in the zone the server is configured with (the driver sets the session's to the JVM's): log_timezone
    // is what initdb set timezone to and no client can change it
    String sql = "SELECT last_archived_wal, to_char(last_archived_time AT TIME ZONE current_setting('log_timezone'), "
        + "'YYYY-MM-DD\"T\"HH24:MI:SS'), failed_count, last_failed_wal, "
        + "to_char(last_failed_time AT TIME ZONE current_setting('log_timezone'), 'YYYY-MM-DD\"T\"HH24:MI:SS'), "
        + "CAST(archived_count AS NUMERIC) / EXTRACT(EPOCH FROM age(now(), stats_reset)) FROM pg_stat_archiver";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new Archiver(Optional.ofNullable(rs.getString(1)), time(rs.getString(2)), rs.getLong(3),
          Optional.ofNullable(rs.getString(4)), time(rs.getString(5)), Optional.ofNullable(rs.getBigDecimal(6))));
    } catch (SQLException e) {
      return Optional.empty(); // Barman: no pg_stat_archiver rows then
    }
  }

  private static Optional<LocalDateTime> time(String text) {
    return Optional.ofNullable(text).map(LocalDateTime::parse);
  }

  private static Optional<String> setting(Connection c, String name) {
    return optional(c, "SHOW \"" + name.replace("\"", "\"\"") + "\"");
  }

  /** One value, empty when the query fails (a privilege, a function of another version), as Barman's None. */
  private static Optional<String> optional(Connection c, String sql) {
    try {
      return text(c, sql);
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
