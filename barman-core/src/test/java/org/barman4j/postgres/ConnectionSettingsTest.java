package org.barman4j.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.barman4j.internal.UnixSocketFactory;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {
  private static final String APP = "barman_cloud_backup";

  @Test
  void optionsComeFirstThenTheEnvironmentThenDefaults() {
    Map<String, String> env = Map.of("PGHOST", "db.example", "PGPORT", "5433", "PGUSER", "alice",
        "PGDATABASE", "app", "PGPASSWORD", "s3cret");
    ConnectionSettings fromEnv = resolve(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), APP, env);
    assertThat(fromEnv.host()).isEqualTo("db.example");
    assertThat(fromEnv.port()).isEqualTo(5433);
    assertThat(fromEnv.user()).isEqualTo("alice");
    assertThat(fromEnv.dbname()).isEqualTo("app");
    assertThat(fromEnv.password()).contains("s3cret");
    assertThat(fromEnv.applicationName()).isEqualTo(APP);

    ConnectionSettings given = resolve(Optional.of("10.0.0.1"), Optional.of("6000"),
        Optional.of("bob"), Optional.of("postgres"), APP, env);
    assertThat(given.host()).isEqualTo("10.0.0.1");
    assertThat(given.port()).isEqualTo(6000);
    assertThat(given.user()).isEqualTo("bob");
    assertThat(given.dbname()).isEqualTo("postgres");
    assertThat(given.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.1:6000/postgres");

    ConnectionSettings defaults = resolve(Optional.of("h"), Optional.empty(), Optional.empty(),
        Optional.empty(), APP, Map.of());
    assertThat(defaults.port()).isEqualTo(5432);
    assertThat(defaults.dbname()).isEqualTo("postgres");
    assertThat(defaults.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(defaults.password()).isEmpty();
  }

  @Test
  void aDatabaseNameWithAnEqualsSignIsAConnectionStringThatOtherOptionsOverride() {
    ConnectionSettings s = resolve(Optional.empty(), Optional.of("7000"), Optional.empty(),
        Optional.of("host=pg1 port=5439 user='o\\'neil' dbname = 'my db' password=pw sslmode=require application_name=x"),
        APP, Map.of("PGHOST", "ignored"));
    assertThat(s.host()).isEqualTo("pg1");
    assertThat(s.port()).isEqualTo(7000);
    assertThat(s.user()).isEqualTo("o'neil");
    assertThat(s.dbname()).isEqualTo("my db");
    assertThat(s.password()).contains("pw");
    assertThat(s.applicationName()).isEqualTo("x");
    assertThat(s.options()).containsEntry("sslmode", "require");
    Properties p = s.driverProperties();
    assertThat(p.getProperty("sslmode")).isEqualTo("require");
    assertThat(p.getProperty("password")).isEqualTo("pw");
    assertThat(p.getProperty("ApplicationName")).isEqualTo("x");
    assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://pg1:7000/my%20db");
    assertThat(s.toString()).doesNotContain("pw");
  }

  @Test
  void aConnectionUriIsAcceptedAsTheDatabaseName() {
    ConnectionSettings s = resolve(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of("postgresql://u:p%40ss@[::1]:5440/db?sslmode=disable"), APP, Map.of());
    assertThat(s.host()).isEqualTo("::1");
    assertThat(s.port()).isEqualTo(5440);
    assertThat(s.user()).isEqualTo("u");
    assertThat(s.password()).contains("p@ss");
    assertThat(s.dbname()).isEqualTo("db");
    assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5440/db");
  }

  @Test
  void aHostThatIsADirectoryMeansTheUnixSocketInIt() {
    ConnectionSettings s = resolve(Optional.of("/var/run/postgresql"), Optional.of("5433"),
        Optional.of("postgres"), Optional.empty(), APP, Map.of());
    assertThat(s.isUnixSocket()).isTrue();
    assertThat(s.socketPath()).hasToString("/var/run/postgresql/.s.PGSQL.5433");
    Properties p = s.driverProperties();
    assertThat(p.getProperty("socketFactory")).isEqualTo(UnixSocketFactory.class.getName());
    assertThat(p.getProperty("socketFactoryArg")).isEqualTo("/var/run/postgresql/.s.PGSQL.5433");
  }

  @Test
  void malformedConnectionStringsAreRejected() {
    assertThatThrownBy(() -> resolve(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of("host=x dbname='unterminated"), APP, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> resolve(Optional.empty(), Optional.of("port"), Optional.empty(),
        Optional.of("postgres"), APP, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid PostgreSQL port 'port'");
  }

  /** Builds settings from the values a command line may give, through the public builder. */
  private static ConnectionSettings resolve(Optional<String> host, Optional<String> port, Optional<String> user,
      Optional<String> dbname, String applicationName, Map<String, String> env) {
    return ConnectionSettings.builder().host(host.orElse("")).port(port.orElse("")).user(user.orElse(""))
        .dbname(dbname.orElse("")).applicationName(applicationName).environment(env).build();
  }
}
