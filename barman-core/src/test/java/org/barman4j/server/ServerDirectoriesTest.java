package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.catalog.BackupId;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerDirectoriesTest {

  @TempDir Path home;

  @Test
  void defaultLayoutUnderBarmanHome() {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Path server = home.resolve("pg");
    assertThat(d.base()).isEqualTo(server.resolve("base"));
    assertThat(d.wals()).isEqualTo(server.resolve("wals"));
    assertThat(d.incoming()).isEqualTo(server.resolve("incoming"));
    assertThat(d.streaming()).isEqualTo(server.resolve("streaming"));
    assertThat(d.errors()).isEqualTo(server.resolve("errors"));
    assertThat(d.identityJson()).isEqualTo(server.resolve("identity.json"));
    assertThat(d.xlogDb()).isEqualTo(server.resolve("wals/xlog.db"));
    assertThat(d.backupInfo(BackupId.parse("20261203T110817")))
        .isEqualTo(server.resolve("base/20261203T110817/backup.info"));
  }

  @Test
  void segmentsGoToHashDirectoriesHistoryFilesToTheTop() {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    assertThat(d.walFile(WalFileName.parse("000000010000000A000000FE")))
        .isEqualTo(d.wals().resolve("000000010000000A/000000010000000A000000FE"));
    assertThat(d.walFile(WalFileName.parse("000000010000000000000002.00000028.backup")))
        .isEqualTo(d.wals().resolve("0000000100000000/000000010000000000000002.00000028.backup"));
    assertThat(d.walFile(WalFileName.parse("000000010000000000000002.partial")))
        .isEqualTo(d.wals().resolve("0000000100000000/000000010000000000000002.partial"));
    assertThat(d.walFile(WalFileName.parse("00000002.history"))).isEqualTo(d.wals().resolve("00000002.history"));
  }

  @Test
  void lockFilesLiveInTheLockDirectory() {
    ServerDirectories d = new ServerDirectories("pg", home.resolve("data/pg"), home.resolve("locks"));
    Path locks = home.resolve("locks");
    assertThat(d.xlogDbLock()).isEqualTo(locks.resolve(".pg-xlogdb.lock"));
    assertThat(d.archiveWalLock()).isEqualTo(locks.resolve(".pg-archive-wal.lock"));
    assertThat(d.backupLock()).isEqualTo(locks.resolve(".pg-backup.lock"));
    assertThat(d.cronLock()).isEqualTo(locks.resolve(".pg-cron.lock"));
    assertThat(d.globalCronLock()).isEqualTo(locks.resolve(".cron.lock"));
    assertThat(d.backupIdLock(BackupId.parse("20261203T110817"))).isEqualTo(locks.resolve(".pg-20261203T110817.lock"));
  }

  @Test
  void readersFallBackToTheLocationsOfNewerBarman() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    BackupId id = BackupId.parse("20261203T110817");
    assertThat(d.readableXlogDb()).isEqualTo(d.xlogDb());
    assertThat(d.readableBackupInfo(id)).isEqualTo(d.backupInfo(id));

    Files.createDirectories(d.wals());
    Files.writeString(d.wals().resolve("pg-xlog.db"), "");
    Files.createDirectories(d.meta());
    Files.writeString(d.meta().resolve("20261203T110817-backup.info"), "status=DONE\n");
    assertThat(d.readableXlogDb()).isEqualTo(d.wals().resolve("pg-xlog.db"));
    assertThat(d.readableBackupInfo(id)).isEqualTo(d.meta().resolve("20261203T110817-backup.info"));

    Files.writeString(d.xlogDb(), "");
    assertThat(d.readableXlogDb()).isEqualTo(d.xlogDb());
  }

  @Test
  void refusesServerNamesBarmanRefuses() {
    assertThatThrownBy(() -> ServerDirectories.of(home, "all")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerDirectories.of(home, "a/b")).isInstanceOf(IllegalArgumentException.class);
  }
}
