package org.barman4j.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.barman4j.catalog.Tablespace;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentSize;
import org.postgresql.Driver;

/** {@link PostgresSession} over the PostgreSQL JDBC driver, in autocommit mode. */
final class JdbcPostgresSession implements PostgresSession {
  private final Connection connection;
  private final String server;
  private int versionNum;
  private Optional<ServerInfo> serverInfo = Optional.empty();
  private boolean backupInProgress;

  private JdbcPostgresSession(Connection connection, String server) {
    this.connection = connection;
    this.server = server;
  }

  static JdbcPostgresSession open(ConnectionSettings settings) {
    Connection c;
    try {
      // The driver directly: DriverManager would scan the class path for every driver first.
      c = new Driver().connect(settings.jdbcUrl(), settings.driverProperties());
    } catch (SQLException e) {
      throw new PostgresConnectionException("Cannot connect to postgres (" + settings
          + (settings.isUnixSocket() ? ", socket " + settings.socketPath() : "") + "): " + reasons(e), e);
    }
    if (c == null) {
      throw new PostgresConnectionException("Cannot connect to postgres (" + settings + "): URL not accepted", null);
    }
    return over(c, settings.toString());
  }

  static JdbcPostgresSession open(DataSource dataSource) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new PostgresConnectionException("Cannot connect to postgres (data source): " + reasons(e), e);
    }
    if (c == null) {
      throw new PostgresConnectionException("Cannot connect to postgres (data source): no connection returned", null);
    }
    return over(c, "data source");
  }

  /** Checks the server's version on {@code c}, which the session then owns. */
  private static JdbcPostgresSession over(Connection c, String description) {
    JdbcPostgresSession session = new JdbcPostgresSession(c, description);
    try {
      c.setAutoCommit(true);
      session.versionNum = Integer.parseInt(session.text("SELECT current_setting('server_version_num')"));
    } catch (SQLException | RuntimeException e) {
      session.close();
      throw new PostgresConnectionException(
          "Cannot query the version of postgres (" + description + "): " + firstLine(e.getMessage()), e);
    }
    if (session.versionNum < MIN_VERSION_NUM) {
      session.close();
      throw new PostgresException("PostgreSQL " + session.versionNum + " at " + description
          + " is not supported: backups need PostgreSQL 10 or newer");
    }
    return session;
  }

  @Override
  public ServerInfo serverInfo() {
    if (serverInfo.isPresent()) {
      return serverInfo.get();
    }
    try {
      String systemId = text("SELECT system_identifier::text FROM pg_control_system()");
      long segmentSize;
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT setting::bigint, unit FROM pg_settings WHERE name = 'wal_segment_size'")) {
        if (!rs.next()) {
          throw new SQLException("wal_segment_size is not a setting");
        }
        long setting = rs.getLong(1);
        String unit = Optional.ofNullable(rs.getString(2)).orElse("B");
        segmentSize = setting * unitBytes(unit);
      }
      boolean checksums = "on".equals(text("SELECT current_setting('data_checksums')"));
      String dataDirectory = text("SELECT current_setting('data_directory')");
      Optional<String> config = optionalText("SELECT current_setting('config_file')");
      Optional<String> hba = optionalText("SELECT current_setting('hba_file')");
      Optional<String> ident = optionalText("SELECT current_setting('ident_file')");
      boolean inRecovery = "t".equals(text("SELECT pg_is_in_recovery()"));
      ServerInfo info = new ServerInfo(versionNum, systemId, new WalSegmentSize(segmentSize), checksums, dataDirectory,
          config, hba, ident, inRecovery);
      serverInfo = Optional.of(info);
      return info;
    } catch (SQLException e) {
      throw failure("Reading the server settings", e);
    }
  }

  private static long unitBytes(String unit) {
    switch (unit) {
      case "B":
        return 1;
      case "kB":
        return 1024;
      case "8kB":
        return 8192;
      case "MB":
        return 1024 * 1024;
      default:
        throw new IllegalStateException("Unexpected unit '" + unit + "' of wal_segment_size");
    }
  }

  @Override
  public List<Tablespace> tablespaces() {
    List<Tablespace> result = new ArrayList<>();
    String sql = "SELECT spcname, oid::bigint, pg_tablespace_location(oid) FROM pg_tablespace"
        + " WHERE spcname NOT IN ('pg_default', 'pg_global') AND pg_tablespace_location(oid) <> '' ORDER BY oid";
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        result.add(new Tablespace(rs.getString(1), rs.getLong(2), rs.getString(3)));
      }
      return List.copyOf(result);
    } catch (SQLException e) {
      throw failure("Listing the tablespaces", e);
    }
  }

  @Override
  public long clusterSize() {
    try {
      return Long.parseLong(text("SELECT sum(pg_tablespace_size(oid))::bigint FROM pg_tablespace"));
    } catch (SQLException e) {
      throw failure("Computing the cluster size", e);
    }
  }

  @Override
  public BackupStart startBackup(String label, Checkpoint checkpoint) {
    boolean immediateCheckpoint = checkpoint == Checkpoint.IMMEDIATE;
    if (backupInProgress) {
      throw new IllegalStateException("A backup is already in progress on this session");
    }
    String sql = versionNum >= 150000
        ? "SELECT lsn::text, now() FROM pg_backup_start(?, ?) AS lsn"
        : "SELECT lsn::text, now() FROM pg_start_backup(?, ?, false) AS lsn";
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setString(1, label);
      s.setBoolean(2, immediateCheckpoint);
      Lsn lsn;
      OffsetDateTime time;
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        lsn = Lsn.parse(rs.getString(1));
        time = local(rs.getObject(2, OffsetDateTime.class));
      }
      backupInProgress = true;
      int timeline = Integer.parseInt(text(timelineQuery()));
      return new BackupStart(lsn, timeline, time);
    } catch (SQLException e) {
      throw failure("Starting the backup (" + (versionNum >= 150000 ? "pg_backup_start" : "pg_start_backup") + ")", e);
    }
  }

  private static String timelineQuery() {
    // On a standby the checkpoint's timeline may lag: min_recovery_end_timeline is where replay is.
    return "SELECT CASE WHEN pg_is_in_recovery() THEN min_recovery_end_timeline ELSE timeline_id END"
        + " FROM pg_control_checkpoint(), pg_control_recovery()";
  }

  @Override
  public BackupStop stopBackup() {
    if (!backupInProgress) {
      throw new IllegalStateException("No backup is in progress on this session");
    }
    String sql = versionNum >= 150000
        ? "SELECT lsn::text, labelfile, spcmapfile, now() FROM pg_backup_stop(wait_for_archive => true)"
        : "SELECT lsn::text, labelfile, spcmapfile, now() FROM pg_stop_backup(false, true)";
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      backupInProgress = false;
      Lsn lsn = Lsn.parse(rs.getString(1));
      String label = rs.getString(2);
      Optional<String> map = Optional.ofNullable(rs.getString(3)).filter(m -> !m.isEmpty());
      OffsetDateTime time = local(rs.getObject(4, OffsetDateTime.class));
      int timeline = Integer.parseInt(text(timelineQuery()));
      return new BackupStop(lsn, timeline, label, map, time);
    } catch (SQLException e) {
      throw failure("Stopping the backup (" + (versionNum >= 150000 ? "pg_backup_stop" : "pg_stop_backup") + ")", e);
    }
  }

  @Override
  public boolean backupInProgress() {
    return backupInProgress;
  }

  @Override
  public void createRestorePoint(String name) {
    try (PreparedStatement s = connection.prepareStatement("SELECT pg_create_restore_point(?)::text")) {
      s.setString(1, name);
      s.executeQuery().close();
    } catch (SQLException e) {
      throw failure("Creating the restore point '" + name + "'", e);
    }
  }

  @Override
  public WalFileName switchWal() {
    try {
      return WalFileName.parse(text("SELECT pg_walfile_name(pg_switch_wal())"));
    } catch (SQLException e) {
      throw failure("Switching WAL (pg_switch_wal)", e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // the connection is gone either way
    }
  }

  private String text(String sql) throws SQLException {
    return optionalText(sql).orElseThrow(() -> new SQLException("NULL result of: " + sql));
  }

  private Optional<String> optionalText(String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("No result of: " + sql);
      }
      return Optional.ofNullable(rs.getString(1)).filter(v -> !v.isEmpty());
    }
  }

  private static OffsetDateTime local(OffsetDateTime time) {
    return time.atZoneSameInstant(ZoneId.systemDefault()).toOffsetDateTime();
  }

  private PostgresException failure(String what, SQLException e) {
    return new PostgresException(what + " on PostgreSQL (" + server + ") failed: " + firstLine(e.getMessage()), e);
  }

  /** The driver's message and, when it only says the attempt failed, the underlying reason. */
  private static String reasons(Throwable e) {
    StringBuilder sb = new StringBuilder(firstLine(e.getMessage()));
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !sb.toString().contains(firstLine(root.getMessage()))) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '.') {
        sb.setLength(sb.length() - 1);
      }
      sb.append(": ").append(firstLine(root.getMessage()));
    }
    return sb.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
