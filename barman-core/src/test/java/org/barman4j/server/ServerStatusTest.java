package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.config.BarmanConfig;
import org.barman4j.config.ServerConfig;
import org.barman4j.postgres.PostgresConnectionException;
import org.barman4j.postgres.PostgresStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerStatusTest {
  @TempDir Path dir;

  private ServerConfig server(String... lines) throws Exception {
    Path conf = dir.resolve("barman.conf");
    Files.writeString(conf, "[barman]\nbarman_home = " + dir + "\n\n[pg]\nconninfo = host=/tmp\n"
        + "backup_method = postgres\narchiver = on\n" + String.join("\n", lines) + "\n");
    return BarmanConfig.load(conf).server("pg").orElseThrow();
  }

  private static BackupInfo backup(String id, BackupStatus status) {
    return BackupInfo.builder(BackupId.parse(id)).status(status).build();
  }

  private static List<String> text(List<ServerStatus.Row> rows) {
    return rows.stream().map(r -> r.key() + "|" + r.description() + "|" + r.message()).toList();
  }

  @Test
  void anUnreachableServerStopsThePostgresRows() throws Exception {
    List<ServerStatus.Row> rows = ServerStatus.rows(server("description = Main", "minimum_redundancy = 2",
        "retention_policy = REDUNDANCY 3"),
        List.of(backup("20261201T100000", BackupStatus.DONE), backup("20261202T100000", BackupStatus.WAITING_FOR_WALS),
            backup("20261203T100000", BackupStatus.FAILED)),
        () -> {
          throw new PostgresConnectionException("no", null);
        });
    assertThat(text(rows)).containsExactly(
        "description|Description|Main",
        "active|Active|True",
        "disabled|Disabled|False",
        "pg_version|PostgreSQL version|FAILED trying to get PostgreSQL version",
        "passive_node|Passive node|False",
        "retention_policies|Retention policies|enforced (mode: auto, retention: REDUNDANCY 3, WAL retention: MAIN)",
        "backups_number|No. of available backups|1",
        "first_backup|First available backup|20261201T100000",
        "last_backup|Last available backup|20261202T100000",
        "minimum_redundancy|Minimum redundancy requirements|FAILED (1/2)");
  }

  @Test
  void aLiveServerGivesEveryRowInBarmansOrder() throws Exception {
    PostgresStatus live = new PostgresStatus("15.18", false, OptionalLong.of(23_130_216), Optional.of("/srv/pg"),
        Optional.of("000000010000000000000007"), Optional.of("on"), Optional.of(""),
        Optional.of(new PostgresStatus.Archiver(Optional.of("000000010000000000000006"),
            Optional.of(LocalDateTime.of(2026, 12, 3, 9, 5, 7)), 2, Optional.of("000000010000000000000005"),
            Optional.of(LocalDateTime.of(2026, 12, 3, 9, 0, 1)), Optional.of(new BigDecimal("0.00123456")))));
    assertThat(text(ServerStatus.rows(server(), List.of(), () -> live))).containsExactly(
        "active|Active|True",
        "disabled|Disabled|False",
        "pg_version|PostgreSQL version|15.18",
        "is_in_recovery|Cluster state|in production",
        "current_size|Current data size|22.1 MiB",
        "data_directory|PostgreSQL Data directory|/srv/pg",
        "current_xlog|Current WAL segment|000000010000000000000007",
        "archive_command|PostgreSQL 'archive_command' setting|FAILED (please set it accordingly to documentation)",
        "last_archived_wal|Last archived WAL|000000010000000000000006, at Thu Dec  3 09:05:07 2026",
        "failed_count|Failures of WAL archiver|2 (000000010000000000000005 at Thu Dec  3 09:00:01 2026)",
        "server_archived_wals_per_hour|Server WAL archiving rate|4.44/hour",
        "passive_node|Passive node|False",
        "retention_policies|Retention policies|not enforced",
        "backups_number|No. of available backups|0",
        "first_backup|First available backup|None",
        "last_backup|Last available backup|None",
        "minimum_redundancy|Minimum redundancy requirements|satisfied (0/0)");
  }

  @Test
  void aPassiveNodeIsNotAskedAndShowsItsPrimary() throws Exception {
    List<ServerStatus.Row> rows = ServerStatus.rows(server("primary_ssh_command = ssh barman@primary"), List.of(),
        () -> {
          throw new AssertionError("a passive node has no PostgreSQL");
        });
    assertThat(text(rows)).contains("passive_node|Passive node|True")
        .endsWith("primary_ssh_command|SSH command to primary server|ssh barman@primary");
  }
}
