package org.barman4j.postgres;

import java.util.Objects;
import javax.sql.DataSource;

/**
 * Where a backup connects to PostgreSQL: an application's own {@link DataSource} (a pool's connection is
 * borrowed for the backup and given back when it ends) or {@link ConnectionSettings} resolved as libpq
 * does. The server must run on the host taking the backup: its data directory is read from disk.
 */
public sealed interface PostgresSource permits PostgresSource.FromDataSource, PostgresSource.FromSettings {
  /**
   * {@return a source borrowing connections from {@code dataSource}}
   *
   * @param dataSource the data source, of a superuser or a role with the backup privileges
   */
  static PostgresSource of(DataSource dataSource) {
    return new FromDataSource(dataSource);
  }

  /**
   * {@return a source connecting with {@code settings}}
   *
   * @param settings where and how to connect
   */
  static PostgresSource of(ConnectionSettings settings) {
    return new FromSettings(settings);
  }

  /**
   * Opens a session, which the caller closes.
   *
   * @return the session
   * @throws PostgresConnectionException if the server cannot be reached or refuses the connection
   * @throws PostgresException if the server is older than PostgreSQL 10
   */
  PostgresSession connect();

  /**
   * Connections from an application's data source.
   *
   * @param dataSource the data source
   */
  record FromDataSource(DataSource dataSource) implements PostgresSource {
    /**
     * Checks that the data source is not null.
     *
     * @param dataSource the data source
     */
    public FromDataSource {
      Objects.requireNonNull(dataSource, "dataSource is null");
    }

    @Override
    public PostgresSession connect() {
      return JdbcPostgresSession.open(dataSource);
    }
  }

  /**
   * Connections opened with libpq-style settings.
   *
   * @param settings the settings
   */
  record FromSettings(ConnectionSettings settings) implements PostgresSource {
    /**
     * Checks that the settings are not null.
     *
     * @param settings the settings
     */
    public FromSettings {
      Objects.requireNonNull(settings, "settings is null");
    }

    @Override
    public PostgresSession connect() {
      return JdbcPostgresSession.open(settings);
    }
  }
}
