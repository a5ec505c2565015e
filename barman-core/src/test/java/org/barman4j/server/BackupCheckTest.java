package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.barman4j.BarmanException;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCheckTest {
  @TempDir Path home;

  private static BackupInfo waiting(String id) {
    OffsetDateTime t = OffsetDateTime.parse("2026-12-03T10:00:00Z");
    return BackupInfo.builder(BackupId.parse(id)).status(BackupStatus.WAITING_FOR_WALS).serverName("pg")
        .version(150004).timeline(1).beginWal("000000010000000000000002").endWal("000000010000000000000004")
        .beginTime(t).endTime(t.plusMinutes(1)).size(1000).build();
  }

  private static void archive(ServerDirectories d, String... names) throws Exception {
    for (String name : names) {
      Path file = d.walFile(WalFileName.parse(name));
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[] {1});
    }
  }

  @Test
  void aWaitingBackupStaysWaitingUntilItsLastSegmentIsArchivedThenIsDone() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    ServerBackups backups = new ServerBackups(d);
    backups.write(waiting("20261203T100000"));
    archive(d, "000000010000000000000002", "000000010000000000000003");
    assertThat(new BackupCheck(d).checkOldestWaiting()).map(BackupInfo::status).contains(BackupStatus.WAITING_FOR_WALS);
    archive(d, "000000010000000000000004");
    assertThat(new BackupCheck(d).checkOldestWaiting()).map(BackupInfo::status).contains(BackupStatus.DONE);
    assertThat(backups.read(BackupId.parse("20261203T100000")).status()).as("recorded").isEqualTo(BackupStatus.DONE);
    assertThat(new BackupCheck(d).checkOldestWaiting()).as("nothing left waiting").isEmpty();
  }

  @Test
  void aMissingSegmentMakesTheBackupFailedAndAFailedBackupCannotBeChecked() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    ServerBackups backups = new ServerBackups(d);
    backups.write(waiting("20261203T100000"));
    archive(d, "000000010000000000000002", "000000010000000000000004");
    BackupInfo checked = new BackupCheck(d).checkOldestWaiting().orElseThrow();
    assertThat(checked.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(checked.error()).hasValueSatisfying(e -> assertThat(e).contains("000000010000000000000003"));
    assertThatThrownBy(() -> new BackupCheck(d).check(backups.read(BackupId.parse("20261203T100000"))))
        .isInstanceOf(BarmanException.class).hasMessage("The validity of a failed backup cannot be checked");
  }
}
