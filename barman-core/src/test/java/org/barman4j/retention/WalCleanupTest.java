package org.barman4j.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;

class WalCleanupTest {
  static BackupInfo backup(int n, BackupStatus status, int timeline, String begin, String end) {
    BackupInfo.Builder b = BackupInfo.builder(BackupId.parse(String.format("202601%02dT000000", n))).status(status)
        .timeline(timeline);
    if (begin != null) {
      b.beginWal(begin);
    }
    if (end != null) {
      b.endWal(end);
    }
    return b.build();
  }

  static BackupInfo done(int n, String begin, String end) {
    return backup(n, BackupStatus.DONE, 1, begin, end);
  }

  private static final BackupInfo B1 = done(1, "000000010000000000000010", "000000010000000000000011");
  private static final BackupInfo B2 = done(2, "000000010000000000000020", "000000010000000000000021");
  private static final BackupInfo B3 = done(3, "000000010000000100000005", "000000010000000100000006");

  private static List<String> deleted(WalCleanup cleanup, String... names) {
    List<String> result = new ArrayList<>();
    for (String name : names) {
      if (cleanup.deletes(WalFileName.parse(name))) {
        result.add(name);
      }
    }
    return result;
  }

  @Test
  void deletingTheOldestBackupRemovesTheWalBeforeTheNextOne() {
    WalCleanup cleanup = WalCleanup.plan(B1, List.of(B1, B2, B3), Map.of(), true).orElseThrow();

    assertThat(cleanup.removeUntil()).isEqualTo(B2.beginWal().orElseThrow());
    assertThat(cleanup.protectedTimelines()).isEmpty();
    assertThat(deleted(cleanup, "00000001000000000000000F", "000000010000000000000010",
        "000000010000000000000010.00000028.backup", "00000001000000000000001F", "00000001000000000000001F.partial",
        "000000010000000000000020", "000000010000000000000020.00000028.backup", "000000010000000000000021",
        "00000001.history", "00000002.history"))
        .containsExactly("00000001000000000000000F", "000000010000000000000010",
            "000000010000000000000010.00000028.backup", "00000001000000000000001F", "00000001000000000000001F.partial");
  }

  @Test
  void deletingABackupThatHasAnOlderOneKeepsEveryWal() {
    assertThat(WalCleanup.plan(B2, List.of(B1, B2, B3), Map.of(), true)).isEmpty();
    assertThat(WalCleanup.plan(B2, List.of(B1, B2, B3), Map.of(), false)).isEmpty();
  }

  @Test
  void anOlderKeepFullBackupKeepsEveryLaterWal() {
    assertThat(WalCleanup.plan(B2, List.of(B1, B2, B3), Map.of(B1.backupId(), KeepTarget.FULL), false)).isEmpty();
  }

  @Test
  void anOlderStandaloneBackupKeepsOnlyItsOwnRangeUnderRetention() {
    WalCleanup cleanup = WalCleanup.plan(B2, List.of(B1, B2, B3), Map.of(B1.backupId(), KeepTarget.STANDALONE), false)
        .orElseThrow();

    assertThat(cleanup.removeUntil()).isEqualTo(B3.beginWal().orElseThrow());
    assertThat(deleted(cleanup, "00000001000000000000000F", "000000010000000000000010",
        "000000010000000000000010.00000028.backup", "000000010000000000000011", "000000010000000000000011.partial",
        "000000010000000000000012", "000000010000000000000020", "000000010000000100000004",
        "000000010000000100000005"))
        .containsExactly("00000001000000000000000F", "000000010000000000000011.partial", "000000010000000000000012",
            "000000010000000000000020", "000000010000000100000004");
  }

  @Test
  void anExplicitDeleteAfterAStandaloneBackupSkipsWalCleanup() {
    assertThat(WalCleanup.plan(B2, List.of(B1, B2, B3), Map.of(B1.backupId(), KeepTarget.STANDALONE), true)).isEmpty();
  }

  @Test
  void severalStandaloneBackupsEachKeepTheirRange() {
    WalCleanup cleanup = WalCleanup.plan(B3, List.of(B1, B2, B3),
        Map.of(B1.backupId(), KeepTarget.STANDALONE, B2.backupId(), KeepTarget.STANDALONE), false).orElseThrow();

    assertThat(cleanup.protectedRanges()).hasSize(2);
    // no newer backup: the deleted backup's own begin_wal is the limit
    assertThat(cleanup.removeUntil()).isEqualTo(B3.beginWal().orElseThrow());
    assertThat(deleted(cleanup, "000000010000000000000011", "000000010000000000000012", "000000010000000000000021",
        "000000010000000000000022")).containsExactly("000000010000000000000012", "000000010000000000000022");
  }

  @Test
  void olderBackupsWhoseCopyIsNotDoneDoNotHoldWal() {
    BackupInfo failed = backup(0, BackupStatus.FAILED, 1, "000000010000000000000001", null);
    BackupInfo started = backup(4, BackupStatus.STARTED, 1, "000000010000000100000010", null);

    WalCleanup cleanup = WalCleanup.plan(B1, List.of(failed, B1, started), Map.of(), true).orElseThrow();

    // the STARTED backup is not a "next" backup: the deleted backup's begin_wal is the limit
    assertThat(cleanup.removeUntil()).isEqualTo(B1.beginWal().orElseThrow());
    assertThat(deleted(cleanup, "000000010000000000000001", "000000010000000000000010"))
        .containsExactly("000000010000000000000001");
  }

  @Test
  void walOnTimelinesOfOtherRemainingBackupsIsKept() {
    BackupInfo onTwo = backup(4, BackupStatus.DONE, 2, "000000020000000100000010", "000000020000000100000011");
    BackupInfo failedOnThree = backup(5, BackupStatus.FAILED, 3, null, null);

    WalCleanup cleanup = WalCleanup.plan(B1, List.of(B1, B2, onTwo, failedOnThree), Map.of(), true).orElseThrow();

    assertThat(cleanup.protectedTimelines()).containsExactlyInAnyOrder(2, 3);
    assertThat(deleted(cleanup, "00000001000000000000000F", "00000002000000000000000F", "00000003000000000000000F"))
        .containsExactly("00000001000000000000000F");
  }

  @Test
  void aBackupThatNeverStartedLeavesTheWalAlone() {
    BackupInfo failed = backup(1, BackupStatus.FAILED, 1, null, null);

    assertThat(WalCleanup.plan(failed, List.of(failed), Map.of(), true)).isEmpty();
  }

  @Test
  void wholeDirectoriesGoOnlyWhenEveryFileInThemWould() {
    WalCleanup cleanup = WalCleanup.plan(B2, List.of(B1, B2, B3), Map.of(B1.backupId(), KeepTarget.STANDALONE), false)
        .orElseThrow();
    WalCleanup simple = new WalCleanup("000000020000000300000005", java.util.Set.of(1), List.of());

    // B1's range lies in 0000000100000000: that directory must be examined file by file
    assertThat(cleanup.deletesDirectory("0000000100000000")).isFalse();
    assertThat(cleanup.mayDeleteIn("0000000100000000")).isTrue();
    assertThat(cleanup.deletesDirectory("0000000100000001")).isFalse(); // holds the limit itself
    assertThat(cleanup.mayDeleteIn("0000000100000001")).isTrue();
    assertThat(cleanup.mayDeleteIn("0000000100000002")).isFalse();
    assertThat(simple.deletesDirectory("0000000200000002")).isTrue();
    assertThat(simple.deletesDirectory("0000000100000000")).isFalse(); // protected timeline
    assertThat(simple.mayDeleteIn("0000000100000000")).isFalse();
    assertThat(simple.deletesDirectory("0000000200000003")).isFalse();
    assertThat(simple.deletesDirectory("not-a-directory")).isFalse();
    assertThat(simple.mayDeleteIn("00000002.history")).isFalse();
  }

  @Test
  void theDeletedBackupMustBeInTheCatalogue() {
    assertThatThrownBy(() -> WalCleanup.plan(B1, List.of(B2), Map.of(), true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
