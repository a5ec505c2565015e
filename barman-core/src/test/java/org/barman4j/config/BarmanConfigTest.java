package org.barman4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.retention.RetentionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarmanConfigTest {
  @TempDir Path dir;

  private Path write(String name, String... lines) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  private BarmanConfig load(String... lines) throws Exception {
    return BarmanConfig.load(write("barman.conf", lines));
  }

  private ServerConfig server(BarmanConfig c, String name) {
    return c.server(name).orElseThrow();
  }

  @Test
  void defaultsOfAMinimalServer() throws Exception {
    BarmanConfig c = load("[barman]", "barman_home = /var/lib/barman", "[pg]", "conninfo = host=db");
    assertThat(c.barmanUser()).isEqualTo("barman");
    assertThat(c.logLevel()).isEqualTo("INFO");
    assertThat(c.logFile()).isEmpty();
    assertThat(c.lockDirectory()).isEqualTo(Path.of("/var/lib/barman"));
    ServerConfig pg = server(c, "pg");
    assertThat(pg.active()).isTrue();
    assertThat(pg.backupMethod()).isEqualTo(BackupMethod.RSYNC);
    assertThat(pg.archiver()).isFalse();
    assertThat(pg.streamingArchiver()).isFalse();
    assertThat(pg.compression()).isEmpty();
    assertThat(pg.retentionPolicy()).isEmpty();
    assertThat(pg.walRetentionPolicy()).isEqualTo("main");
    assertThat(pg.minimumRedundancy()).isZero();
    assertThat(pg.parallelJobs()).isEqualTo(1);
    assertThat(pg.checkTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(pg.basebackupRetrySleep()).isEqualTo(Duration.ofSeconds(30));
    assertThat(pg.archiverBatchSize()).isZero();
    assertThat(pg.streamingArchiverName()).isEqualTo("barman_receive_wal");
    assertThat(pg.streamingBackupName()).isEqualTo("barman_streaming_backup");
    assertThat(pg.createSlotAuto()).isFalse();
    assertThat(pg.streamingConninfo()).isEqualTo("host=db");
    assertThat(pg.backupOptions()).isEmpty();
    assertThat(pg.slotName()).isEmpty();
    assertThat(pg.pathPrefix()).isEmpty();
    assertThat(pg.primarySshCommand()).isEmpty();
    assertThat(pg.lastBackupMaximumAge()).isEmpty();
    assertThat(pg.lastBackupMinimumSize()).isEmpty();
    assertThat(pg.backupDirectory()).isEqualTo(Path.of("/var/lib/barman/pg"));
    assertThat(pg.basebackupsDirectory()).isEqualTo(Path.of("/var/lib/barman/pg/base"));
    assertThat(pg.walsDirectory()).isEqualTo(Path.of("/var/lib/barman/pg/wals"));
    assertThat(pg.incomingWalsDirectory()).isEqualTo(Path.of("/var/lib/barman/pg/incoming"));
    assertThat(pg.streamingWalsDirectory()).isEqualTo(Path.of("/var/lib/barman/pg/streaming"));
    assertThat(pg.errorsDirectory()).isEqualTo(Path.of("/var/lib/barman/pg/errors"));
  }

  @Test
  void typedValuesAndInheritanceFromBarmanSection() throws Exception {
    BarmanConfig c = load(
        "[barman]",
        "barman_home = /srv/b",
        "barman_lock_directory = /run/barman",
        "log_file: /var/log/barman.log",
        "compression = gzip",
        "retention_policy = RECOVERY WINDOW OF 4 WEEKS",
        "minimum_redundancy = 2",
        "conninfo = host=never-inherited",
        "backup_method = postgres",
        "path_prefix = /opt/pg/bin:/usr/bin",
        "[pg]",
        "CONNINFO = host=db",
        "retention_policy = redundancy 3",
        "compression =",
        "last_backup_maximum_age = 2 days",
        "last_wal_maximum_age = 5 hours",
        "last_backup_minimum_size = 10Mi",
        "backup_options = external_configuration,concurrent_backup",
        "slot_name = My_Slot",
        "create_slot = Auto",
        "streaming_archiver = on",
        "[other]",
        "description = x");
    assertThat(c.lockDirectory()).isEqualTo(Path.of("/run/barman"));
    assertThat(c.logFile()).isEqualTo("/var/log/barman.log");
    ServerConfig pg = server(c, "pg");
    assertThat(pg.conninfo()).isEqualTo("host=db");
    assertThat(pg.retentionPolicy()).contains(new RetentionPolicy.Redundancy(3));
    assertThat(pg.compression()).as("an empty value blocks inheritance").isEmpty();
    assertThat(pg.minimumRedundancy()).isEqualTo(2);
    assertThat(pg.backupMethod()).isEqualTo(BackupMethod.POSTGRES);
    assertThat(pg.lastBackupMaximumAge()).contains(Duration.ofDays(2));
    assertThat(pg.lastWalMaximumAge()).contains(Duration.ofHours(5));
    assertThat(pg.lastBackupMinimumSize()).hasValue(10L << 20);
    assertThat(pg.backupOptions()).isEqualTo(Set.of("concurrent_backup", "external_configuration"));
    assertThat(pg.slotName()).contains("my_slot");
    assertThat(pg.createSlotAuto()).isTrue();
    assertThat(pg.streamingArchiver()).isTrue();
    assertThat(pg.pathPrefix()).containsExactly(Path.of("/opt/pg/bin"), Path.of("/usr/bin"));
    ServerConfig other = server(c, "other");
    assertThat(other.conninfo()).as("conninfo is a server-only option").isEmpty();
    assertThat(other.compression()).contains("gzip");
    assertThat(other.retentionPolicy()).contains(new RetentionPolicy.RecoveryWindow(4, RetentionPolicy.WindowUnit.WEEKS));
  }

  @Test
  void syntaxInterpolationQuotesContinuationsAndDuplicates() throws Exception {
    BarmanConfig c = load(
        "# comment",
        "; another",
        "[DEFAULT]",
        "host = db.example",
        "[barman]",
        "barman_home = /b",
        "[pg]",
        "conninfo = host=%(host)s port=%(port)s user=%%me",
        "port = 5433",
        "description = \"quoted value\"",
        "streaming_archiver_name = 'two",
        "  lines'",
        "ssh_command = ssh",
        "    -p 22",
        "",
        "    postgres@db",
        "parallel_jobs = 2",
        "parallel_jobs = 4",
        "[pg]",
        "primary_ssh_command = None");
    ServerConfig pg = server(c, "pg");
    assertThat(pg.conninfo()).isEqualTo("host=db.example port=5433 user=%me");
    assertThat(pg.description()).isEqualTo("quoted value");
    assertThat(pg.streamingArchiverName()).as("Python's quote pattern stops at a newline").isEqualTo("'two\nlines'");
    assertThat(pg.sshCommand()).isEqualTo("ssh\n-p 22\n\npostgres@db");
    assertThat(pg.parallelJobs()).as("a repeated option: the last wins").isEqualTo(4);
    assertThat(pg.primarySshCommand()).isEmpty();
    assertThat(c.servers()).extracting(ServerConfig::name).containsExactly("pg");
  }

  @Test
  void configurationFilesDirectoryInNameOrderAndInactiveServers() throws Exception {
    write("conf.d/b.conf", "[pg]", "description = from b", "active = off");
    write("conf.d/a.conf", "[pg]", "description = from a", "conninfo = host=a", "[zz]", "conninfo = host=z");
    write("conf.d/c.conf-template", "[template]", "conninfo = x");
    Files.createDirectories(dir.resolve("conf.d/d.conf"));
    BarmanConfig c = load("[barman]", "barman_home = /b", "configuration_files_directory = " + dir.resolve("conf.d"));
    assertThat(c.servers()).extracting(ServerConfig::name).containsExactly("pg", "zz");
    assertThat(server(c, "pg").description()).isEqualTo("from b");
    assertThat(server(c, "pg").conninfo()).isEqualTo("host=a");
    assertThat(c.activeServers()).extracting(ServerConfig::name).containsExactly("zz");
    assertThat(c.server("template")).isEmpty();
  }

  @Test
  void anIncludedFileMayNotChangeTheBarmanSection() throws Exception {
    write("conf.d/x.conf", "[barman]", "compression = bzip2");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "configuration_files_directory = " + dir.resolve("conf.d")))
        .isInstanceOf(BarmanConfigurationException.class)
        .hasMessage("the configuration file x.conf contains a not empty [barman] section");
  }

  @Test
  void aMissingIncludeDirectoryIsIgnored() throws Exception {
    BarmanConfig c = load("[barman]", "barman_home = /b", "configuration_files_directory = " + dir.resolve("nope"));
    assertThat(c.servers()).isEmpty();
  }

  @Test
  void errorsNameFileLineSectionAndOption() throws Exception {
    Path f = dir.resolve("barman.conf");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "conninfo = x", "archiver = maybe"))
        .isInstanceOf(BarmanConfigurationException.class)
        .hasMessage(f + ":5: [pg] archiver: invalid value 'maybe': invalid boolean (use 'true' or 'false')");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "retention_policy = KEEP ALL"))
        .hasMessageStartingWith(f + ":3: [barman] retention_policy: invalid value 'KEEP ALL'");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "parallel_jobs = many"))
        .hasMessage(f + ":4: [pg] parallel_jobs: invalid value 'many': not an integer");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "backup_method = tape"))
        .hasMessageStartingWith(f + ":4: [pg] backup_method: invalid value 'tape'");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "slot_name = a-b"))
        .hasMessageStartingWith(f + ":4: [pg] slot_name: invalid value 'a-b'");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "last_backup_maximum_age = 3 years"))
        .hasMessageStartingWith(f + ":4: [pg] last_backup_maximum_age: invalid value '3 years'");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "last_backup_minimum_size = 3 KB"))
        .hasMessageStartingWith(f + ":4: [pg] last_backup_minimum_size: invalid value '3 KB'");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]",
        "backup_options = concurrent_backup,exclusive_backup"))
        .hasMessageContaining("cannot contain both");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "minimum_redundancy = -1"))
        .hasMessage(f + ":3: [barman] minimum_redundancy: invalid value '-1': must be >= 0");
  }

  @Test
  void syntaxErrorsNameFileAndLine() throws Exception {
    Path f = dir.resolve("barman.conf");
    assertThatThrownBy(() -> load("barman_home = /b"))
        .hasMessage(f + ":1: no section header before 'barman_home = /b'");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "just words"))
        .hasMessage(f + ":3: syntax error: 'just words' is neither a section header nor 'key = value'");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "conninfo = %(nope)s"))
        .hasMessage(f + ":4: [pg] conninfo: '%(nope)s' refers to an unknown option");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "conninfo = 100%"))
        .hasMessageStartingWith(f + ":4: [pg] conninfo: '%' must be followed by '%' or '('");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "a = %(b)s", "b = %(a)s"))
        .hasMessageContaining("interpolation too deep");
  }

  @Test
  void likeBarman34AServerSectionCannotReferToItsName() throws Exception {
    // Barman 3.4 interpolates every option of a section with only the section and [DEFAULT] visible
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[pg]", "backup_directory = /x/%(name)s"))
        .isInstanceOf(BarmanConfigurationException.class)
        .hasMessageContaining("[pg] backup_directory: '%(name)s' refers to an unknown option");
  }

  @Test
  void requiredAndReservedNames() throws Exception {
    Path f = dir.resolve("barman.conf");
    assertThatThrownBy(() -> load("[barman]", "log_level = INFO"))
        .hasMessage(f + ": [barman] barman_home: Parameter \"barman_home\" is required");
    assertThatThrownBy(() -> load("[pg]", "conninfo = x"))
        .hasMessage(f + ": the [barman] section is missing");
    assertThatThrownBy(() -> load("[barman]", "barman_home = /b", "[all]", "conninfo = x"))
        .hasMessage("[all]: the reserved word 'all' is not allowed as server name");
  }

  @Test
  void passwordsAreMasked() throws Exception {
    BarmanConfig c = load("[barman]", "barman_home = /b", "[pg]",
        "conninfo = host=db password=s3cret user=barman",
        "streaming_conninfo = host=db PASSWORD = 'it\\'s secret' user=streaming_barman");
    ServerConfig pg = server(c, "pg");
    assertThat(pg.maskedConninfo()).isEqualTo("host=db password=*REDACTED* user=barman");
    assertThat(pg.maskedStreamingConninfo()).isEqualTo("host=db PASSWORD = *REDACTED* user=streaming_barman");
    assertThat(ServerConfig.mask("host=db")).isEqualTo("host=db");
    assertThat(ServerConfig.mask("postgresql://barman:s3cret@db:5432/postgres?password=x"))
        .isEqualTo("postgresql://barman:*REDACTED*@db:5432/postgres?password=*REDACTED*");
    assertThat(ServerConfig.mask("postgres://barman@db/postgres")).isEqualTo("postgres://barman@db/postgres");
    assertThat(ServerConfig.mask("passwordless=1 password=x")).isEqualTo("passwordless=1 password=*REDACTED*");
  }

  @Test
  void serverConfigIsAValue() {
    ServerConfig a = new ServerConfig("pg", Map.of("active", "True"));
    assertThat(a).isEqualTo(new ServerConfig("pg", Map.of("active", "True")));
    assertThat(a.get("nope")).isEmpty();
  }
}
