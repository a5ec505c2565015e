package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.barman4j.config.ServerConfig;
import org.barman4j.postgres.ConnectionSettings;
import org.barman4j.postgres.PostgresSession.Checkpoint;
import org.junit.jupiter.api.Test;

/** Backup options, messages and connection strings. */
class BackupRequestTest {

  @Test
  void defaultsComeFromTheServersConfiguration() {
    ServerConfig config = new ServerConfig("pg", Map.of("immediate_checkpoint", "True",
        "basebackup_retry_times", "2", "basebackup_retry_sleep", "5"));
    BackupRequest r = BackupRequest.of(config);
    assertThat(r).isEqualTo(new BackupRequest("", Checkpoint.IMMEDIATE, BackupRequest.WalWait.NO_WAIT, Duration.ZERO,
        2, Duration.ofSeconds(5)));
    assertThat(r.withName("nightly").withWait(Duration.ofSeconds(9)).withRetries(0, Duration.ZERO))
        .isEqualTo(new BackupRequest("nightly", Checkpoint.IMMEDIATE, BackupRequest.WalWait.WAIT,
            Duration.ofSeconds(9), 0, Duration.ZERO));
  }

  @Test
  void reservedWordsAndBackupIdsAreNotNames() {
    ServerConfig config = new ServerConfig("pg", Map.of());
    assertThatThrownBy(() -> BackupRequest.of(config).withName("first"))
        .hasMessage("Backup name 'first' is not allowed: reserved word");
    assertThatThrownBy(() -> BackupRequest.of(config).withName("x20261203T110817"))
        .hasMessage("Backup name 'x20261203T110817' is not allowed: backup ID");
  }

  @Test
  void messagesArePrintedWithBarmansPrefixes() {
    assertThat(ServerMessage.info("Backup size: %s", "1 B").consoleText()).isEqualTo("Backup size: 1 B");
    assertThat(ServerMessage.warning("x").consoleText()).isEqualTo("WARNING: x");
    assertThat(ServerMessage.error("Backup failed %s.\nDETAILS: %s", "copying files", "boom").consoleText())
        .isEqualTo("ERROR: Backup failed copying files.\nDETAILS: boom");
  }

  @Test
  void connectionStringsParseToKeywordsInOrder() {
    assertThat(ConnectionSettings.parseKeywords("host=h  port = 5433 password='a b\\'c' user=u user=v"))
        .containsExactly(Map.entry("host", "h"), Map.entry("port", "5433"), Map.entry("password", "a b'c"),
            Map.entry("user", "v"));
    assertThat(ConnectionSettings.parseKeywords("postgresql://u:p%40ss@h:5433/db?sslmode=require"))
        .containsEntry("password", "p@ss").containsEntry("dbname", "db").containsEntry("sslmode", "require");
    assertThatThrownBy(() -> ConnectionSettings.parseKeywords("host")).isInstanceOf(IllegalArgumentException.class);
  }
}
