package org.barman4j.server.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.catalog.Tablespace;
import org.barman4j.postgres.ConnectionSettings;
import org.barman4j.postgres.PostgresConnectionException;
import org.barman4j.postgres.PostgresException;
import org.barman4j.wal.Lsn;
import org.postgresql.Driver;

/**
 * The {@code conninfo} connection of a server (PostgreSQL 10 or newer), with the queries Barman's
 * {@code postgres} backup method and {@code switch-wal} make. Not thread-safe.
 */
public final class ServerConnection implements AutoCloseable {

  /**
   * Where the server's WAL is now, Barman's {@code current_xlog_info}.
   *
   * @param location {@code pg_current_wal_lsn()} (on a standby, the last replayed location)
   * @param fileName the segment holding it as {@code pg_walfile_name_offset} names it (the previous segment
   *     at a segment boundary); empty on a standby
   * @param fileOffset the offset in that segment
   * @param timestamp the server's {@code CURRENT_TIMESTAMP}, in this host's zone
   */
  public record XlogPosition(Lsn location, Optional<String> fileName, long fileOffset, OffsetDateTime timestamp) {
    /**
     * Checks the components.
     *
     * @param location the location
     * @param fileName the segment
     * @param fileOffset the offset
     * @param timestamp the time
     */
    public XlogPosition {
      Objects.requireNonNull(location, "location is null");
      Objects.requireNonNull(fileName, "fileName is null");
      Objects.requireNonNull(timestamp, "timestamp is null");
    }
  }

  private final Connection connection;
  private final String description;
  private final int versionNum;

  private ServerConnection(Connection connection, String description, int versionNum) {
    this.connection = connection;
    this.description = description;
    this.versionNum = versionNum;
  }

  /**
   * Connects with a libpq connection string.
   *
   * @param conninfo {@code conninfo}
   * @param applicationName the {@code application_name} unless the string sets one
   * @return the connection
   * @throws PostgresConnectionException if the server cannot be reached, refuses the connection or the
   *     string is malformed
   * @throws PostgresException if the server is older than PostgreSQL 10
   */
  public static ServerConnection open(String conninfo, String applicationName) {
    ConnectionSettings settings;
    try {
      settings = ConnectionSettings.builder().dbname(conninfo).applicationName(applicationName).build();
    } catch (IllegalArgumentException e) {
      throw new PostgresConnectionException("Invalid conninfo: " + e.getMessage(), e);
    }
    Connection c;
    try {
      c = new Driver().connect(settings.jdbcUrl(), settings.driverProperties());
    } catch (SQLException e) {
      throw new PostgresConnectionException("Cannot connect to postgres (" + settings + "): " + firstLine(e), e);
    }
    if (c == null) {
      throw new PostgresConnectionException("Cannot connect to postgres (" + settings + "): URL not accepted", null);
    }
    int version;
    try {
      c.setAutoCommit(true);
      version = Integer.parseInt(query(c, "SELECT current_setting('server_version_num')"));
    } catch (SQLException | RuntimeException e) {
      close(c);
      throw new PostgresConnectionException("Cannot query the version of postgres (" + settings + "): "
          + firstLine(e), e);
    }
    if (version < 100000) {
      close(c);
      throw new PostgresException("PostgreSQL " + PgClientVersion.majorName(version) + " at " + settings
          + " is not supported: PostgreSQL 10 or newer is needed");
    }
    return new ServerConnection(c, settings.toString(), version);
  }

  /** {@return {@code server_version_num}} */
  public int versionNum() {
    return versionNum;
  }

  /** {@return the cluster's system identifier} */
  public String systemId() {
    return text("SELECT system_identifier::text FROM pg_control_system()", "reading the system identifier");
  }

  /** {@return {@code data_directory}} */
  public String dataDirectory() {
    return text("SHOW data_directory", "reading data_directory");
  }

  /** {@return {@code wal_level}} */
  public String walLevel() {
    return text("SHOW wal_level", "reading wal_level");
  }

  /** {@return {@code wal_segment_size} in bytes} */
  public long walSegmentSize() {
    return Long.parseLong(text("SELECT setting::bigint * CASE unit WHEN '8kB' THEN 8192 WHEN 'kB' THEN 1024"
        + " WHEN 'MB' THEN 1048576 ELSE 1 END FROM pg_settings WHERE name = 'wal_segment_size'",
        "reading wal_segment_size"));
  }

  /** {@return whether the server is a standby} */
  public boolean inRecovery() {
    return "t".equals(text("SELECT pg_is_in_recovery()", "checking recovery"));
  }

  /** {@return whether the user is a superuser} */
  public boolean isSuperuser() {
    return "on".equals(text("SHOW is_superuser", "checking the privileges"));
  }

  /**
   * {@return {@code config_file}, {@code hba_file}, {@code ident_file} (by name, absent when not readable) and
   * the other files settings come from ({@code included_files}), sorted}
   */
  public ConfigurationFiles configurationFiles() {
    try (Statement s = connection.createStatement()) {
      String config = "";
      String hba = "";
      String ident = "";
      try (ResultSet rs = s.executeQuery("SELECT name, setting FROM pg_settings"
          + " WHERE name IN ('config_file', 'hba_file', 'ident_file')")) {
        while (rs.next()) {
          String value = Optional.ofNullable(rs.getString(2)).orElse("");
          switch (rs.getString(1)) {
            case "config_file" -> config = value;
            case "hba_file" -> hba = value;
            default -> ident = value;
          }
        }
      }
      List<String> included = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT DISTINCT sourcefile AS included_file FROM pg_settings"
          + " WHERE sourcefile IS NOT NULL AND sourcefile NOT IN"
          + " (SELECT setting FROM pg_settings WHERE name = 'config_file') ORDER BY 1")) {
        while (rs.next()) {
          included.add(rs.getString(1));
        }
      }
      return new ConfigurationFiles(config, hba, ident, included);
    } catch (SQLException e) {
      throw failure("reading the configuration files", e);
    }
  }

  /**
   * Where the configuration files are.
   *
   * @param configFile {@code config_file}, empty if unknown
   * @param hbaFile {@code hba_file}, empty if unknown
   * @param identFile {@code ident_file}, empty if unknown
   * @param includedFiles other files settings were read from, sorted
   */
  public record ConfigurationFiles(String configFile, String hbaFile, String identFile, List<String> includedFiles) {
    /**
     * Copies the list.
     *
     * @param configFile the main file
     * @param hbaFile the HBA file
     * @param identFile the ident file
     * @param includedFiles the included files
     */
    public ConfigurationFiles {
      Objects.requireNonNull(configFile, "configFile is null");
      Objects.requireNonNull(hbaFile, "hbaFile is null");
      Objects.requireNonNull(identFile, "identFile is null");
      includedFiles = List.copyOf(includedFiles);
    }
  }

  /** {@return the user tablespaces with a location, by OID} */
  public List<Tablespace> tablespaces() {
    List<Tablespace> result = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT spcname, oid::bigint, pg_tablespace_location(oid) FROM pg_tablespace"
            + " WHERE pg_tablespace_location(oid) != '' ORDER BY oid")) {
      while (rs.next()) {
        result.add(new Tablespace(rs.getString(1), rs.getLong(2), rs.getString(3)));
      }
      return List.copyOf(result);
    } catch (SQLException e) {
      throw failure("listing the tablespaces", e);
    }
  }

  /** {@return Barman's {@code current_xlog_info}} */
  public XlogPosition currentXlogInfo() {
    boolean standby = inRecovery();
    String sql = standby
        ? "SELECT location::text, NULL, 0, CURRENT_TIMESTAMP FROM pg_last_wal_replay_lsn() AS location"
        : "SELECT location::text, file_name, file_offset, CURRENT_TIMESTAMP"
            + " FROM pg_current_wal_lsn() AS location, pg_walfile_name_offset(location)";
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new XlogPosition(Lsn.parse(rs.getString(1)), Optional.ofNullable(rs.getString(2)), rs.getLong(3),
          rs.getObject(4, OffsetDateTime.class).atZoneSameInstant(ZoneId.systemDefault()).toOffsetDateTime());
    } catch (SQLException e) {
      throw failure("reading the current WAL location", e);
    }
  }

  /**
   * {@code pg_switch_wal()}, as Barman does it: the segment being written before and after.
   *
   * @return the segment closed, or empty when no switch was needed (nothing written since the last one)
   */
  public Optional<String> switchWal() {
    try (Statement s = connection.createStatement()) {
      String before = single(s, "SELECT pg_walfile_name(pg_current_wal_insert_lsn())");
      single(s, "SELECT pg_walfile_name(pg_switch_wal())");
      String after = single(s, "SELECT pg_walfile_name(pg_current_wal_insert_lsn())");
      return before.compareTo(after) < 0 ? Optional.of(before) : Optional.empty();
    } catch (SQLException e) {
      throw failure("switching WAL (pg_switch_wal)", e);
    }
  }

  /** {@code CHECKPOINT}. */
  public void checkpoint() {
    try (Statement s = connection.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw failure("running CHECKPOINT", e);
    }
  }

  /**
   * {@code pg_create_restore_point(name)}.
   *
   * @param name the restore point
   */
  public void createRestorePoint(String name) {
    try (PreparedStatement s = connection.prepareStatement("SELECT pg_create_restore_point(?)::text")) {
      s.setString(1, name);
      s.executeQuery().close();
    } catch (SQLException e) {
      throw failure("creating the restore point '" + name + "'", e);
    }
  }

  @Override
  public void close() {
    close(connection);
  }

  private String text(String sql, String what) {
    try (Statement s = connection.createStatement()) {
      return single(s, sql);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next() || rs.getString(1) == null) {
        throw new SQLException("no result of: " + sql);
      }
      return rs.getString(1);
    }
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return single(s, sql);
    }
  }

  private PostgresException failure(String what, SQLException e) {
    return new PostgresException("Error " + what + " on PostgreSQL (" + description + "): " + firstLine(e), e);
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // gone either way
    }
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
