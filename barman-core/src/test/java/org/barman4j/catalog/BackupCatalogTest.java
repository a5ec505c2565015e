package org.barman4j.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.testing.RecordingStorageBackend;
import org.junit.jupiter.api.Test;

class BackupCatalogTest {
  private static final BackupId B1 = BackupId.parse("20260101T000000");
  private static final BackupId B2 = BackupId.parse("20260102T000000");
  private static final BackupId B3 = BackupId.parse("20260103T000000");
  private static final BackupId B4 = BackupId.parse("20260104T000000");

  private final RecordingStorageBackend backend = new RecordingStorageBackend();
  private final ServerLayout layout = new ServerLayout("pg");
  private final BackupCatalog catalog = new BackupCatalog(backend, layout, ZoneOffset.UTC);

  static BackupInfo backup(BackupId id, BackupStatus status) {
    return BackupInfo.builder(id).status(status).version(150020).timeline(1)
        .beginTime(OffsetDateTime.of(id.toLocalDateTime(), ZoneOffset.UTC))
        .endTime(OffsetDateTime.of(id.toLocalDateTime().plusMinutes(5), ZoneOffset.UTC))
        .beginWal("000000010000000000000010").endWal("000000010000000000000011").build();
  }

  private void store(BackupInfo info) {
    backend.putText(layout.backupInfoKey(info.backupId()), BackupInfoFormat.write(info));
    backend.putText(layout.backupPrefix(info.backupId()) + "data.tar.gz", "tar");
  }

  @Test
  void listingReadsEveryBackupOldestFirstWhateverItsStatus() {
    store(backup(B3, BackupStatus.DONE));
    store(backup(B1, BackupStatus.DONE));
    store(backup(B2, BackupStatus.FAILED));

    BackupCatalog.Listing listing = catalog.list();

    assertThat(listing.backups()).extracting(BackupInfo::backupId).containsExactly(B1, B2, B3);
    assertThat(listing.backups()).extracting(BackupInfo::status)
        .containsExactly(BackupStatus.DONE, BackupStatus.FAILED, BackupStatus.DONE);
    assertThat(listing.isComplete()).isTrue();
  }

  @Test
  void directoriesWithoutBackupInfoAndStrayKeysAreNotBackups() {
    store(backup(B1, BackupStatus.DONE));
    backend.putText(layout.backupPrefix(B2) + "data.tar", "still uploading");
    backend.putText("pg/base/notes.txt", "stray");
    backend.putText("pg/base/latest/backup.info", "status=DONE\n");

    BackupCatalog.Listing listing = catalog.list();

    assertThat(listing.backups()).extracting(BackupInfo::backupId).containsExactly(B1);
    assertThat(listing.unreadable()).isEmpty();
  }

  @Test
  void anUnreadableBackupIsReportedWithoutFailingTheListing() {
    store(backup(B1, BackupStatus.DONE));
    backend.putText(layout.backupInfoKey(B2), "status=DONE\nbegin_time=not a time\n");
    store(backup(B3, BackupStatus.DONE));
    backend.failingReads.add(layout.backupInfoKey(B3));

    BackupCatalog.Listing listing = catalog.list();

    assertThat(listing.backups()).extracting(BackupInfo::backupId).containsExactly(B1);
    assertThat(listing.isComplete()).isFalse();
    assertThat(listing.unreadable()).extracting(BackupCatalog.Unreadable::backupId).containsExactly(B2, B3);
    assertThat(listing.unreadable().get(0).reason())
        .contains("pg/base/20260102T000000/backup.info").contains("line 2").contains("begin_time");
    assertThat(listing.unreadable().get(1).reason()).contains("injected read failure");
  }

  @Test
  void aCorruptBackupInfoIsOneClearErrorNamingItsKeyAndLine() {
    backend.putText(layout.backupInfoKey(B1), "status=DONE\nthis line has no equals sign\n");

    assertThatThrownBy(() -> catalog.get(B1)).isInstanceOf(CorruptBackupInfoException.class)
        .hasMessageContaining("pg/base/20260101T000000/backup.info").hasMessageContaining("line 2")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aMissingBackupIsEmptyOrNotFound() {
    assertThat(catalog.find(B1)).isEmpty();
    assertThatThrownBy(() -> catalog.get(B1)).isInstanceOf(BackupNotFoundException.class)
        .hasMessageContaining("20260101T000000").hasMessageContaining("pg")
        .satisfies(e -> assertThat(((BackupNotFoundException) e).isIdentifier()).isTrue());
  }

  @Test
  void writtenBackupInfoReadsBackAndMayBeOverwritten() {
    BackupInfo started = backup(B1, BackupStatus.STARTED);
    catalog.write(started);
    assertThat(catalog.get(B1)).isEqualTo(started);

    BackupInfo done = started.withStatus(BackupStatus.DONE);
    catalog.write(done);

    assertThat(catalog.get(B1).status()).isEqualTo(BackupStatus.DONE);
    assertThat(backend.text(layout.backupInfoKey(B1)).orElseThrow()).contains("status=DONE\n")
        .doesNotContain("cluster_size");
  }

  @Test
  void identifiersNamesAndShortcutsResolve() {
    store(backup(B1, BackupStatus.DONE));
    store(backup(B2, BackupStatus.FAILED).toBuilder().backupName("nightly").build());
    store(backup(B3, BackupStatus.DONE).toBuilder().backupName("weekly").build());
    store(backup(B4, BackupStatus.STARTED));

    assertThat(catalog.resolve("20260103T000000")).isEqualTo(B3);
    assertThat(catalog.resolve("20991231T000000")).isEqualTo(BackupId.parse("20991231T000000"));
    assertThat(catalog.resolve("weekly")).isEqualTo(B3);
    assertThat(catalog.resolve("nightly")).isEqualTo(B2);
    assertThat(catalog.resolve("latest")).isEqualTo(B3);
    assertThat(catalog.resolve("last")).isEqualTo(B3);
    assertThat(catalog.resolve("last-full")).isEqualTo(B3);
    assertThat(catalog.resolve("oldest")).isEqualTo(B1);
    assertThat(catalog.resolve("first")).isEqualTo(B1);
    assertThat(catalog.resolve("last-failed")).isEqualTo(B2);
  }

  @Test
  void unknownNamesAndEmptyShortcutsAreNotFoundAndDuplicateNamesAreAmbiguous() {
    store(backup(B1, BackupStatus.FAILED).toBuilder().backupName("twin").build());
    store(backup(B2, BackupStatus.FAILED).toBuilder().backupName("twin").build());

    assertThatThrownBy(() -> catalog.resolve("nosuch")).isInstanceOf(BackupNotFoundException.class)
        .hasMessage("Unknown backup 'nosuch' for server 'pg'")
        .satisfies(e -> assertThat(((BackupNotFoundException) e).isIdentifier()).isFalse());
    assertThatThrownBy(() -> catalog.resolve("latest")).isInstanceOf(BackupNotFoundException.class)
        .hasMessageContaining("latest");
    assertThatThrownBy(() -> catalog.resolve("twin")).isInstanceOf(BarmanException.class)
        .hasMessageContaining("Multiple backups").hasMessageContaining("20260101T000000 20260102T000000");
  }

  @Test
  void keepAnnotationsAreWrittenWithoutANewlineReadAndReleased() {
    store(backup(B1, BackupStatus.DONE));
    store(backup(B2, BackupStatus.DONE));

    catalog.keep(B1, KeepTarget.FULL);
    catalog.keep(B2, KeepTarget.STANDALONE);

    assertThat(backend.text(layout.keepAnnotationKey(B1))).contains("full");
    assertThat(backend.text(layout.keepAnnotationKey(B2))).contains("standalone");
    assertThat(catalog.keepTarget(B1)).contains(KeepTarget.FULL);
    assertThat(catalog.list().keepTargets()).containsEntry(B1, KeepTarget.FULL).containsEntry(B2, KeepTarget.STANDALONE);

    catalog.releaseKeep(B1);

    assertThat(catalog.keepTarget(B1)).isEmpty();
    assertThat(catalog.list().keepTargets()).containsOnlyKeys(B2);
    catalog.releaseKeep(B1); // releasing twice is harmless
  }

  @Test
  void onlyDoneBackupsCanBeKept() {
    store(backup(B1, BackupStatus.FAILED));

    assertThatThrownBy(() -> catalog.keep(B1, KeepTarget.FULL)).isInstanceOf(CatalogOperationRefusedException.class)
        .hasMessageContaining("status FAILED");
    assertThatThrownBy(() -> catalog.keep(B2, KeepTarget.FULL)).isInstanceOf(BackupNotFoundException.class);
    assertThat(backend.text(layout.keepAnnotationKey(B1))).isEmpty();
  }

  @Test
  void annotationBodiesAreReadAsBarmanReadsThem() {
    backend.putText(layout.keepAnnotationKey(B1), "standalone\n");
    backend.putText(layout.keepAnnotationKey(B2), "something-else");
    backend.putText(layout.keepAnnotationKey(B3), "");

    assertThat(catalog.keepTarget(B1)).contains(KeepTarget.STANDALONE);
    assertThat(catalog.keepTarget(B2)).contains(KeepTarget.FULL);
    assertThat(catalog.keepTarget(B3)).isEmpty();
  }

  @Test
  void aBackupIsDeletedTarsFirstAndBackupInfoLastInItsOwnRequest() {
    RecordingStorageBackend small = new RecordingStorageBackend(2, 1000);
    BackupCatalog catalog = new BackupCatalog(small, layout, ZoneOffset.UTC);
    String p = layout.backupPrefix(B1);
    for (String name : List.of("backup.info", "16384_0001.tar.gz", "data_0001.tar.gz", "data.tar.gz", "16384.tar.gz",
        "9999.tar.gz", "annotations/keep")) {
      small.putText(p + name, name.equals("backup.info") ? BackupInfoFormat.write(backup(B1, BackupStatus.DONE)) : "x");
    }
    small.putText(layout.backupPrefix(B2) + "data.tar", "other backup");

    List<String> deleted = catalog.deleteBackup(B1, 100);

    assertThat(deleted).containsExactly(p + "data.tar.gz", p + "data_0001.tar.gz", p + "9999.tar.gz", p + "16384.tar.gz",
        p + "16384_0001.tar.gz", p + "annotations/keep", p + "backup.info");
    assertThat(small.deleteRequests).containsExactly(List.of(p + "data.tar.gz", p + "data_0001.tar.gz"),
        List.of(p + "9999.tar.gz", p + "16384.tar.gz"), List.of(p + "16384_0001.tar.gz", p + "annotations/keep"),
        List.of(p + "backup.info"));
    assertThat(small.keys()).containsExactly(layout.backupPrefix(B2) + "data.tar");
  }

  @Test
  void aFailedTarDeletionLeavesBackupInfoSoTheDeletionCanBeRetried() {
    store(backup(B1, BackupStatus.DONE));
    backend.failingDeletes.add(layout.backupPrefix(B1) + "data.tar.gz");

    assertThatThrownBy(() -> catalog.deleteBackup(B1, 1000)).isInstanceOf(StorageFailureException.class);

    assertThat(catalog.find(B1)).isPresent();
    backend.failingDeletes.clear();
    catalog.deleteBackup(B1, 1000);
    assertThat(backend.keys()).isEmpty();
  }

  @Test
  void snapshotBackupLabelsGoFirst() {
    backend.putText(layout.backupInfoKey(B1), BackupInfoFormat.write(backup(B1, BackupStatus.DONE)));
    backend.putText(layout.backupLabelKey(B1), "label");

    assertThat(catalog.objectKeys(B1)).containsExactly(layout.backupLabelKey(B1), layout.backupInfoKey(B1));
  }

  @Test
  void listingFollowsEveryPage() {
    RecordingStorageBackend paged = new RecordingStorageBackend(1000, 2);
    BackupCatalog catalog = new BackupCatalog(paged, layout, ZoneOffset.UTC);
    for (BackupId id : List.of(B1, B2, B3, B4)) {
      paged.putText(layout.backupInfoKey(id), BackupInfoFormat.write(backup(id, BackupStatus.DONE)));
      paged.putText(layout.backupPrefix(id) + "data.tar", "x");
      paged.putText(layout.backupPrefix(id) + "data_0001.tar", "x");
    }

    assertThat(catalog.list().backups()).extracting(BackupInfo::backupId).containsExactly(B1, B2, B3, B4);
  }
}
