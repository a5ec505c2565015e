package org.barman4j.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.testing.RecordingStorageBackend;
import org.barman4j.wal.Lsn;
import org.junit.jupiter.api.Test;

class BackupChooserTest {
  private final RecordingStorageBackend backend = new RecordingStorageBackend();
  private final ServerLayout layout = new ServerLayout("pg");
  private final BackupChooser chooser = new BackupChooser(new BackupCatalog(backend, layout, ZoneOffset.UTC));

  /** A backup ending 10 minutes after its id's time, at LSN 0/{day}000000, on {@code timeline}. */
  private BackupInfo store(String id, BackupStatus status, int timeline, String name) {
    BackupId backupId = BackupId.parse(id);
    OffsetDateTime begin = OffsetDateTime.of(backupId.toLocalDateTime(), ZoneOffset.UTC);
    int day = backupId.toLocalDateTime().getDayOfMonth();
    BackupInfo.Builder b = BackupInfo.builder(backupId).status(status).version(150020).timeline(timeline)
        .beginTime(begin).endTime(begin.plusMinutes(10))
        .beginXlog(Lsn.parse(Integer.toHexString(day) + "/0")).endXlog(Lsn.parse(Integer.toHexString(day) + "/1000"))
        .beginWal(String.format("%08X%08X%08X", timeline, day, 0)).endWal(String.format("%08X%08X%08X", timeline, day, 0));
    if (name != null) {
      b.backupName(name);
    }
    BackupInfo info = b.build();
    backend.putText(layout.backupInfoKey(backupId), BackupInfoFormat.write(info));
    return info;
  }

  private static Optional<RecoveryTarget> time(String text) {
    return Optional.of(RecoveryTarget.parseTime(text, ZoneOffset.UTC));
  }

  private String choose(String reference, Optional<RecoveryTarget> target, Optional<TargetTimeline> timeline) {
    return chooser.choose(reference, target, timeline).backupId().value();
  }

  private void threeBackups() {
    store("20260101T000000", BackupStatus.DONE, 1, "first");
    store("20260102T000000", BackupStatus.DONE, 1, null);
    store("20260103T000000", BackupStatus.DONE, 2, null);
    store("20260104T000000", BackupStatus.FAILED, 2, null);
  }

  @Test
  void autoWithoutTargetTakesTheNewestDoneBackup() {
    threeBackups();
    assertThat(choose("auto", Optional.empty(), Optional.empty())).isEqualTo("20260103T000000");
  }

  @Test
  void autoWithATargetTimeTakesTheNewestBackupEndedByThen() {
    threeBackups();
    assertThat(choose("auto", time("2026-01-02 00:10:00+00"), Optional.empty())).isEqualTo("20260102T000000");
    assertThat(choose("auto", time("2026-01-02 00:09:59+00"), Optional.empty())).isEqualTo("20260101T000000");
    assertThat(choose("auto", time("2026-01-02 02:00:00+01"), Optional.empty())).isEqualTo("20260102T000000");
    assertThat(choose("auto", time("2027-01-01 00:00:00+00"), Optional.empty()))
        .as("the FAILED backup is never offered").isEqualTo("20260103T000000");
    assertThatThrownBy(() -> choose("auto", time("2026-01-01 00:05:00+00"), Optional.empty()))
        .isInstanceOf(RecoveryException.class)
        .hasMessageStartingWith("Cannot find any candidate backup for recovery")
        .hasMessageContaining("recovery_target_time '2026-01-01 00:05:00+00:00'");
  }

  @Test
  void autoWithATargetLsnComparesEndLocations() {
    threeBackups();
    assertThat(choose("auto", Optional.of(RecoveryTarget.parseLsn("2/1000")), Optional.empty())).isEqualTo("20260102T000000");
    assertThat(choose("auto", Optional.of(RecoveryTarget.parseLsn("2/FFF")), Optional.empty())).isEqualTo("20260101T000000");
  }

  @Test
  void autoKeepsOnlyBackupsOfTheTargetTimeline() {
    threeBackups();
    assertThat(choose("auto", time("2027-01-01 00:00:00+00"), Optional.of(new TargetTimeline.Numbered(1))))
        .isEqualTo("20260102T000000");
    assertThatThrownBy(() -> choose("auto", Optional.empty(), Optional.of(new TargetTimeline.Numbered(7))))
        .isInstanceOf(RecoveryException.class).hasMessageContaining("on timeline 7");
  }

  @Test
  void autoWithLatestTimelineUsesTheNewestTimelineInTheWalArchive() {
    threeBackups();
    backend.putText("pg/wals/0000000100000000/000000010000000000000001.gz", "w");
    backend.putText("pg/wals/00000002.history", "1\t0/3000000\tno recovery target specified\n");
    assertThat(choose("auto", Optional.empty(), Optional.of(new TargetTimeline.Latest()))).isEqualTo("20260103T000000");
    backend.putText("pg/wals/0000000300000000/000000030000000000000009", "w");
    assertThatThrownBy(() -> choose("auto", Optional.empty(), Optional.of(new TargetTimeline.Latest())))
        .isInstanceOf(RecoveryException.class).hasMessageContaining("on timeline 3");
  }

  @Test
  void autoRefusesTargetsThatCannotChooseABackup() {
    threeBackups();
    assertThatThrownBy(() -> choose("auto", Optional.of(RecoveryTarget.parseXid("5")), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--target-xid");
    assertThatThrownBy(() -> choose("auto", Optional.empty(), Optional.of(new TargetTimeline.Current())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'current'");
  }

  @Test
  void shortcutsOnlyOfferDoneBackups() {
    threeBackups();
    assertThat(choose("latest", Optional.empty(), Optional.empty())).isEqualTo("20260103T000000");
    assertThat(choose("last", Optional.empty(), Optional.empty())).isEqualTo("20260103T000000");
    assertThat(choose("oldest", Optional.empty(), Optional.empty())).isEqualTo("20260101T000000");
    assertThatThrownBy(() -> choose("last-failed", Optional.empty(), Optional.empty()))
        .isInstanceOf(RecoveryException.class)
        .hasMessage("Backup 20260104T000000 of server pg is not restorable: its status is FAILED");
  }

  @Test
  void identifiersAndNamesDesignateTheirBackup() {
    threeBackups();
    assertThat(choose("20260102T000000", Optional.empty(), Optional.empty())).isEqualTo("20260102T000000");
    assertThat(choose("first", Optional.empty(), Optional.empty())).isEqualTo("20260101T000000");
    assertThatThrownBy(() -> choose("20250101T000000", Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(BackupNotFoundException.class, e -> assertThat(e.isIdentifier()).isTrue())
        .hasMessageContaining("20250101T000000");
    assertThatThrownBy(() -> choose("nightly", Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(BackupNotFoundException.class, e -> assertThat(e.isIdentifier()).isFalse());
  }

  @Test
  void aTargetBeforeTheEndOfTheChosenBackupIsRefused() {
    threeBackups();
    assertThatThrownBy(() -> choose("20260102T000000", time("2026-01-02 00:05:00+00"), Optional.empty()))
        .isInstanceOf(RecoveryException.class)
        .hasMessage("The target time 2026-01-02 00:05:00+00:00 is before the end of backup 20260102T000000"
            + " (2026-01-02T00:10Z)");
    assertThatThrownBy(() -> choose("latest", Optional.of(RecoveryTarget.parseLsn("3/FFF")), Optional.empty()))
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining("target LSN 3/FFF is before the end of backup 20260103T000000 (3/1000)");
    assertThatThrownBy(() -> choose("latest", Optional.empty(), Optional.of(new TargetTimeline.Numbered(1))))
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining("target timeline 1 is before the timeline of backup 20260103T000000 (2)");
    assertThat(choose("20260102T000000", time("2026-01-02 00:10:00+00"), Optional.empty())).isEqualTo("20260102T000000");
  }
}
