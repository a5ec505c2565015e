package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerBackupsTest {

  /** The fields Barman 3.4's postgres backup method writes (server_name, mode, copy_stats, …). */
  static final String SERVER_BACKUP_INFO = String.join("\n",
      "backup_label='START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\\n'",
      "backup_name=nightly", "begin_offset=40", "begin_time=2026-12-03 11:08:17.123456+01:00",
      "begin_wal=000000010000000000000002", "begin_xlog=0/2000028", "compression=None",
      "config_file=/etc/postgresql/15/main/postgresql.conf",
      "copy_stats={'copy_time': 2.5, 'total_time': 3.1}", "deduplicated_size=23456789", "end_offset=256",
      "end_time=2026-12-03 11:08:20.654321+01:00", "end_wal=000000010000000000000002", "end_xlog=0/2000100",
      "error=None", "hba_file=/etc/postgresql/15/main/pg_hba.conf",
      "ident_file=/etc/postgresql/15/main/pg_ident.conf", "included_files=None", "mode=postgres",
      "pgdata=/var/lib/postgresql/15/main", "server_name=pg", "size=23456789", "status=DONE",
      "systemid=7318812823811184251", "tablespaces=None", "timeline=1", "version=150004",
      "xlog_segment_size=16777216", "");

  @TempDir Path home;

  @Test
  void listsServerBackupsOldestFirstIgnoringOtherEntries() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Files.createDirectories(d.backup(BackupId.parse("20261203T110817")));
    Files.writeString(d.backupInfo(BackupId.parse("20261203T110817")), SERVER_BACKUP_INFO);
    Files.createDirectories(d.meta());
    Files.writeString(d.meta().resolve("20261201T080000-backup.info"), "status=FAILED\nerror=failure\n");
    Files.createDirectories(d.base().resolve("lost+found"));
    Files.createDirectories(d.base().resolve("20261202T090000"));

    var backups = new ServerBackups(d).list();

    assertThat(backups).extracting(b -> b.backupId().value()).containsExactly("20261201T080000", "20261203T110817");
    BackupInfo last = backups.get(1);
    assertThat(last.status()).isEqualTo(BackupStatus.DONE);
    assertThat(last.mode()).contains("postgres");
    assertThat(last.serverName()).contains("pg");
    assertThat(last.backupName()).contains("nightly");
    assertThat(last.beginWal()).contains("000000010000000000000002");
    assertThat(last.systemId()).contains("7318812823811184251");
  }

  @Test
  void writesBackupInfoWhereBarman34ReadsIt() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    ServerBackups backups = new ServerBackups(d);
    Files.createDirectories(d.meta());
    Path source = d.meta().resolve("20261203T110817-backup.info");
    Files.writeString(source, SERVER_BACKUP_INFO);
    BackupInfo info = backups.read(BackupId.parse("20261203T110817"));
    backups.write(info);
    assertThat(d.backupInfo(info.backupId())).exists();
    assertThat(backups.read(info.backupId())).isEqualTo(info);
  }

  @Test
  void aBrokenFileIsNamed() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Files.createDirectories(d.backup(BackupId.parse("20261203T110817")));
    Files.writeString(d.backupInfo(BackupId.parse("20261203T110817")), "size=12\n");
    assertThatThrownBy(() -> new ServerBackups(d).list()).hasMessageContaining("backup.info");
  }
}
