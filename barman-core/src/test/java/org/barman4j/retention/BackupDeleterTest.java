package org.barman4j.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.CatalogOperationRefusedException;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.testing.RecordingStorageBackend;
import org.junit.jupiter.api.Test;

class BackupDeleterTest {
  private static final BackupId B1 = BackupId.parse("20260101T000000");
  private static final BackupId B2 = BackupId.parse("20260102T000000");
  private static final BackupId B3 = BackupId.parse("20260103T000000");
  private static final BackupId B4 = BackupId.parse("20260104T000000");
  private static final BackupId FAILED = BackupId.parse("20260102T120000");
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-01-10T12:00:00Z[UTC]");

  private final ServerLayout layout = new ServerLayout("pg");
  private final RecordingStorageBackend backend = new RecordingStorageBackend(3, 1000);
  private final BackupCatalog catalog = new BackupCatalog(backend, layout, ZoneOffset.UTC);
  private final BackupDeleter deleter = new BackupDeleter(catalog);
  private final Recorder recorder = new Recorder();

  /** B1..B4 DONE, one FAILED between B2 and B3; WAL from 0/F000000 to 1/22000000 on timeline 1. */
  BackupDeleterTest() {
    store(B1, BackupStatus.DONE, "000000010000000000000010", "000000010000000000000011");
    store(B2, BackupStatus.DONE, "000000010000000100000005", "000000010000000100000006");
    store(FAILED, BackupStatus.FAILED, "000000010000000100000007", null);
    store(B3, BackupStatus.DONE, "000000010000000100000010", "000000010000000100000011");
    store(B4, BackupStatus.DONE, "000000010000000100000020", "000000010000000100000021");
    for (int seg = 0x0F; seg <= 0x12; seg++) {
      wal(String.format("00000001000000000000%04X", seg));
    }
    for (int seg = 0; seg <= 0x22; seg++) {
      wal(String.format("00000001000000010000%04X", seg));
    }
    wal("000000010000000000000010.00000028.backup");
    backend.putText(layout.wal().root() + "00000001.history", "h");
    backend.putText(layout.wal().root() + "00000002.history.gz", "h");
  }

  private void store(BackupId id, BackupStatus status, String begin, String end) {
    BackupInfo.Builder b = BackupInfo.builder(id).status(status).timeline(1).beginWal(begin)
        .beginTime(OffsetDateTime.of(id.toLocalDateTime(), ZoneOffset.UTC));
    if (end != null) {
      b.endWal(end).endTime(OffsetDateTime.of(id.toLocalDateTime().plusMinutes(10), ZoneOffset.UTC));
    }
    backend.putText(layout.backupInfoKey(id), BackupInfoFormat.write(b.build()));
    backend.putText(layout.backupPrefix(id) + "data.tar.gz", "tar");
    backend.putText(layout.backupPrefix(id) + "data_0001.tar.gz", "tar");
  }

  private void wal(String name) {
    backend.putText(layout.wal().root() + name.substring(0, 16) + "/" + name + ".gz", "w");
  }

  private List<String> walNames() {
    List<String> names = new ArrayList<>();
    for (String key : backend.keys()) {
      if (key.startsWith(layout.wal().root())) {
        String file = key.substring(key.lastIndexOf('/') + 1);
        names.add(file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file);
      }
    }
    return names;
  }

  private List<BackupId> backupsLeft() {
    List<BackupId> ids = new ArrayList<>();
    for (BackupInfo b : catalog.list().backups()) {
      ids.add(b.backupId());
    }
    return ids;
  }

  static final class Recorder implements BackupDeleter.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void deletingBackup(BackupId backupId, List<String> keys, boolean dryRun) {
      events.add("backup " + backupId + " " + keys.size() + (dryRun ? " dry" : ""));
    }

    @Override
    public void deletingWalDirectory(String prefix, boolean dryRun) {
      events.add("dir " + prefix + (dryRun ? " dry" : ""));
    }

    @Override
    public void deletingWals(List<String> keys, boolean dryRun) {
      events.add("wals " + keys.size() + (dryRun ? " dry" : ""));
    }

    @Override
    public void warning(String message) {
      events.add("warning " + message);
    }
  }

  private static BackupDeleter.Options options(int minimumRedundancy) {
    return new BackupDeleter.Options(false, 0, minimumRedundancy);
  }

  @Test
  void redundancyTwoDeletesTheTwoOldestDoneBackupsAndTheWalOnlyThey() {
    BackupDeleter.Outcome outcome = deleter.enforce(RetentionPolicy.parse("REDUNDANCY 2"), options(0), NOW, recorder);

    assertThat(outcome.deleted()).containsExactly(B1, B2);
    assertThat(backupsLeft()).containsExactly(FAILED, B3, B4);
    // Everything before B3's begin_wal went, except history files; the FAILED backup stays.
    List<String> expected = new ArrayList<>(List.of("00000001.history", "00000002.history"));
    for (int seg = 0x10; seg <= 0x22; seg++) {
      expected.add(String.format("00000001000000010000%04X", seg));
    }
    assertThat(walNames()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(recorder.events).containsExactly("backup 20260101T000000 3", "dir pg/wals/0000000100000000/",
        "wals 5", "backup 20260102T000000 3", "wals 11");
    assertThat(outcome.walObjectsDeleted()).isEqualTo(5 + 5 + 11);
  }

  @Test
  void aRecoveryWindowDeletesWhatIsOlderThanTheBackupReachingTheWindowStart() {
    // now 2026-01-10 12:00: a 7-day window starts 2026-01-03 12:00; B3 ended 2026-01-03 00:10, so B3 is
    // the first backup before the window and B1, B2 are obsolete.
    BackupDeleter.Outcome outcome = deleter.enforce(RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS"), options(0),
        NOW, recorder);

    assertThat(outcome.deleted()).containsExactly(B1, B2);
    assertThat(outcome.plan().orElseThrow().status(FAILED)).isEqualTo(RetentionStatus.NONE);
    assertThat(backupsLeft()).containsExactly(FAILED, B3, B4);
    assertThat(walNames()).doesNotContain("00000001000000010000000F").contains("000000010000000100000010");
  }

  @Test
  void keptBackupsAreNeverDeletedAndAStandaloneOneKeepsOnlyItsOwnWal() {
    catalog.keep(B1, KeepTarget.STANDALONE);

    deleter.enforce(RetentionPolicy.parse("REDUNDANCY 1"), options(0), NOW, recorder);

    assertThat(backupsLeft()).containsExactly(B1, FAILED, B4);
    assertThat(walNames()).contains("000000010000000000000010", "000000010000000000000011",
        "000000010000000000000010.00000028.backup", "000000010000000100000020")
        .doesNotContain("00000001000000000000000F", "000000010000000000000012", "00000001000000010000001F");
  }

  @Test
  void theClaimOfARacedWalNameGoesWithItsWal() {
    String dir = layout.wal().root() + "0000000100000001/";
    backend.putText(dir + "000000010000000100000003.claim", "000000010000000100000003.gz");
    backend.putText(dir + "000000010000000100000015.claim", "000000010000000100000015.gz");

    deleter.enforce(RetentionPolicy.parse("REDUNDANCY 2"), options(0), NOW, recorder);

    assertThat(backend.keys()).doesNotContain(dir + "000000010000000100000003.claim")
        .contains(dir + "000000010000000100000015.claim");
  }

  @Test
  void aKeepFullBackupKeepsEveryLaterWal() {
    catalog.keep(B1, KeepTarget.FULL);
    List<String> before = walNames();

    deleter.enforce(RetentionPolicy.parse("REDUNDANCY 1"), options(0), NOW, recorder);

    assertThat(backupsLeft()).containsExactly(B1, FAILED, B4);
    assertThat(walNames()).isEqualTo(before);
  }

  @Test
  void failedBackupsAreNeverRemovedByRetentionButCanBeDeletedById() {
    deleter.enforce(RetentionPolicy.parse("REDUNDANCY 0"), options(0), NOW, recorder);
    assertThat(backupsLeft()).containsExactly(FAILED);

    deleter.deleteBackup(FAILED.value(), options(0), recorder);
    assertThat(backupsLeft()).isEmpty();
  }

  @Test
  void deletingOneBackupByIdKeepsWalNeededByOlderBackups() {
    List<String> before = walNames();

    BackupDeleter.Outcome outcome = deleter.deleteBackup("20260103T000000", options(0), recorder);

    assertThat(outcome.deleted()).containsExactly(B3);
    assertThat(backupsLeft()).containsExactly(B1, B2, FAILED, B4);
    assertThat(walNames()).isEqualTo(before);
  }

  @Test
  void deletingTheOldestBackupByShortcutCleansItsWal() {
    deleter.deleteBackup("oldest", options(0), recorder);

    assertThat(backupsLeft()).containsExactly(B2, FAILED, B3, B4);
    assertThat(walNames()).doesNotContain("000000010000000100000004").contains("000000010000000100000005");
  }

  @Test
  void aKeptBackupIsNotDeletedById() {
    catalog.keep(B2, KeepTarget.FULL);

    assertThatThrownBy(() -> deleter.deleteBackup(B2.value(), options(0), recorder))
        .isInstanceOf(CatalogOperationRefusedException.class).hasMessageContaining("keep request");
    assertThat(backupsLeft()).contains(B2);
  }

  @Test
  void theMinimumRedundancyCountsEveryBackup() {
    assertThatThrownBy(() -> deleter.deleteBackup(B1.value(), options(5), recorder))
        .isInstanceOf(CatalogOperationRefusedException.class)
        .hasMessageContaining("minimum redundancy = 5, current redundancy = 5");

    deleter.deleteBackup(B1.value(), options(4), recorder);
    assertThat(backupsLeft()).doesNotContain(B1);
  }

  @Test
  void nothingIsDeletedWhileAnyBackupInfoIsUnreadable() {
    backend.putText(layout.backupInfoKey(B3), "garbage");
    int before = backend.keys().size();

    assertThatThrownBy(() -> deleter.enforce(RetentionPolicy.parse("REDUNDANCY 1"), options(0), NOW, recorder))
        .isInstanceOf(CatalogOperationRefusedException.class).hasMessageContaining("20260103T000000");
    assertThatThrownBy(() -> deleter.deleteBackup(B1.value(), options(0), recorder))
        .isInstanceOf(CatalogOperationRefusedException.class);
    assertThat(backend.keys()).hasSize(before);
  }

  @Test
  void aMissingBackupIsAWarningAndAnUnknownNameIsNotFound() {
    BackupDeleter.Outcome outcome = deleter.deleteBackup("20250101T000000", options(0), recorder);

    assertThat(outcome.deleted()).isEmpty();
    assertThat(recorder.events).containsExactly("warning Backup 20250101T000000 does not exist");
    assertThatThrownBy(() -> deleter.deleteBackup("nosuchname", options(0), recorder))
        .isInstanceOf(BackupNotFoundException.class);
  }

  @Test
  void aDryRunReportsExactlyWhatARealRunDeletesAndDeletesNothing() {
    List<String> before = backend.keys();

    BackupDeleter.Outcome dry = deleter.enforce(RetentionPolicy.parse("REDUNDANCY 2"),
        new BackupDeleter.Options(true, 0, 0), NOW, recorder);

    assertThat(backend.keys()).isEqualTo(before);
    assertThat(backend.deleteRequests).isEmpty();
    List<String> dryEvents = List.copyOf(recorder.events);
    recorder.events.clear();
    BackupDeleter.Outcome real = deleter.enforce(RetentionPolicy.parse("REDUNDANCY 2"), options(0), NOW, recorder);
    assertThat(dry.deleted()).isEqualTo(real.deleted());
    assertThat(dry.walObjectsDeleted()).isEqualTo(real.walObjectsDeleted());
    assertThat(dryEvents).containsExactlyElementsOf(recorder.events.stream().map(e -> e + " dry").toList());
  }

  @Test
  void deleteRequestsRespectTheBatchSizeAndTheBackendsMaximum() {
    deleter.enforce(RetentionPolicy.parse("REDUNDANCY 2"), new BackupDeleter.Options(false, 2, 0), NOW, recorder);

    assertThat(backend.deleteRequests).allSatisfy(r -> assertThat(r.size()).isLessThanOrEqualTo(2));
    assertThat(backend.deleteRequests.get(0)).containsExactly(layout.backupPrefix(B1) + "data.tar.gz",
        layout.backupPrefix(B1) + "data_0001.tar.gz");
    assertThat(backend.deleteRequests.get(1)).containsExactly(layout.backupInfoKey(B1));
    backend.deleteRequests.clear();

    store(B1, BackupStatus.DONE, "000000010000000100000008", "000000010000000100000009");
    new BackupDeleter(catalog).deleteBackup(B1.value(), new BackupDeleter.Options(false, 50, 0), recorder);
    assertThat(backend.deleteRequests).allSatisfy(r -> assertThat(r.size()).isLessThanOrEqualTo(3));
  }

  @Test
  void aWalCleanupFailureIsAWarningOnceTheBackupIsGone() {
    backend.failingDeletes.add(layout.wal().root() + "0000000100000001/000000010000000100000000.gz");

    deleter.deleteBackup(B1.value(), options(0), recorder);

    assertThat(backupsLeft()).doesNotContain(B1);
    assertThat(recorder.events).anySatisfy(e -> assertThat(e).startsWith("warning Cannot clean up WALs for backup "
        + B1));
  }
}
