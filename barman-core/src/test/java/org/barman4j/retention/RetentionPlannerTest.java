package org.barman4j.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.barman4j.retention.RetentionStatus.KEEP_FULL;
import static org.barman4j.retention.RetentionStatus.KEEP_STANDALONE;
import static org.barman4j.retention.RetentionStatus.NONE;
import static org.barman4j.retention.RetentionStatus.OBSOLETE;
import static org.barman4j.retention.RetentionStatus.POTENTIALLY_OBSOLETE;
import static org.barman4j.retention.RetentionStatus.VALID;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-03-10T12:00:00+01:00[Europe/Paris]");

  static BackupId id(int day) {
    return BackupId.parse(String.format("202602%02dT000000", day));
  }

  static BackupInfo done(int day) {
    return backup(day, BackupStatus.DONE, OffsetDateTime.parse(String.format("2026-02-%02dT01:00:00Z", day)));
  }

  static BackupInfo ended(int day, String endTime) {
    return backup(day, BackupStatus.DONE, OffsetDateTime.parse(endTime));
  }

  static BackupInfo backup(int day, BackupStatus status, OffsetDateTime end) {
    BackupInfo.Builder b = BackupInfo.builder(id(day)).status(status).timeline(1);
    if (status == BackupStatus.DONE) {
      b.endTime(end);
    }
    return b.build();
  }

  private static List<RetentionStatus> statuses(RetentionPlan plan) {
    return List.copyOf(plan.statuses().values());
  }

  @Test
  void redundancyKeepsTheNewestDoneBackupsAndObsoletesTheRest() {
    RetentionPlan plan = RetentionPlanner.plan(List.of(done(1), done(2), done(3), done(4)), Map.of(),
        RetentionPolicy.parse("REDUNDANCY 2"), 0, NOW);

    assertThat(statuses(plan)).containsExactly(OBSOLETE, OBSOLETE, VALID, VALID);
    assertThat(plan.obsolete()).containsExactly(id(1), id(2));
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void redundancyCountsOnlyDoneBackupsAndNeverObsoletesOthers() {
    RetentionPlan plan = RetentionPlanner.plan(
        List.of(done(1), backup(2, BackupStatus.FAILED, null), done(3), backup(4, BackupStatus.STARTED, null),
            backup(5, BackupStatus.FAILED, null)),
        Map.of(), RetentionPolicy.parse("REDUNDANCY 1"), 0, NOW);

    assertThat(statuses(plan)).containsExactly(OBSOLETE, NONE, VALID, NONE, NONE);
    assertThat(plan.obsolete()).containsExactly(id(1));
  }

  @Test
  void keptBackupsAreNeverObsoleteYetCountTowardsRedundancy() {
    RetentionPlan plan = RetentionPlanner.plan(List.of(done(1), done(2), done(3), done(4)),
        Map.of(id(3), KeepTarget.FULL, id(1), KeepTarget.STANDALONE), RetentionPolicy.parse("REDUNDANCY 2"), 0, NOW);

    // newest first: 4 VALID (i=0), 3 KEEP:FULL (i=1), 2 OBSOLETE (i=2), 1 KEEP:STANDALONE
    assertThat(statuses(plan)).containsExactly(KEEP_STANDALONE, OBSOLETE, KEEP_FULL, VALID);
    assertThat(plan.obsolete()).containsExactly(id(2));
  }

  @Test
  void aRedundancyBelowTheMinimumIsRaisedWithAWarning() {
    RetentionPlan plan = RetentionPlanner.plan(List.of(done(1), done(2), done(3)), Map.of(),
        RetentionPolicy.parse("REDUNDANCY 1"), 2, NOW);

    assertThat(statuses(plan)).containsExactly(OBSOLETE, VALID, VALID);
    assertThat(plan.warnings()).singleElement().asString().contains("lower than the required minimum redundancy (2)");
  }

  @Test
  void redundancyZeroObsoletesEveryUnkeptDoneBackup() {
    RetentionPlan plan = RetentionPlanner.plan(List.of(done(1), done(2)), Map.of(id(2), KeepTarget.FULL),
        RetentionPolicy.parse("REDUNDANCY 0"), 0, NOW);

    assertThat(statuses(plan)).containsExactly(OBSOLETE, KEEP_FULL);
  }

  @Test
  void aRecoveryWindowKeepsTheBackupsInsideItAndTheFirstOneBeforeIt() {
    // window of 7 days from 2026-03-10 12:00 local: the point is 2026-03-03 12:00 local
    List<BackupInfo> backups = List.of(ended(1, "2026-02-20T10:00:00Z"), ended(2, "2026-02-25T10:00:00Z"),
        ended(3, "2026-03-02T10:00:00Z"), ended(4, "2026-03-05T10:00:00Z"), ended(5, "2026-03-09T10:00:00Z"));

    RetentionPlan plan = RetentionPlanner.plan(backups, Map.of(), RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS"),
        0, NOW);

    assertThat(statuses(plan)).containsExactly(OBSOLETE, OBSOLETE, VALID, VALID, VALID);
    assertThat(plan.obsolete()).containsExactly(id(1), id(2));
  }

  @Test
  void aBackupEndingExactlyAtTheWindowStartIsStillInsideIt() {
    List<BackupInfo> backups = List.of(ended(1, "2026-02-20T10:00:00Z"), ended(2, "2026-03-03T11:00:00Z"),
        ended(3, "2026-03-09T10:00:00Z"));

    RetentionPlan plan = RetentionPlanner.plan(backups, Map.of(), RetentionPolicy.parse("RECOVERY WINDOW OF 1 WEEK"),
        0, NOW);

    // backup 2 ends exactly at the point (12:00+01:00): not before it, so backup 1 is the one that reaches it
    assertThat(statuses(plan)).containsExactly(VALID, VALID, VALID);
  }

  @Test
  void theMinimumRedundancyTurnsObsoleteBackupsIntoPotentiallyObsoleteOnes() {
    List<BackupInfo> backups = List.of(ended(1, "2026-02-20T10:00:00Z"), ended(2, "2026-02-25T10:00:00Z"),
        ended(3, "2026-03-02T10:00:00Z"), ended(4, "2026-03-05T10:00:00Z"));

    RetentionPlan plan = RetentionPlanner.plan(backups, Map.of(), RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS"),
        3, NOW);

    assertThat(statuses(plan)).containsExactly(OBSOLETE, POTENTIALLY_OBSOLETE, VALID, VALID);
    assertThat(plan.obsolete()).containsExactly(id(1));
    assertThat(plan.warnings()).singleElement().asString().contains(id(2).value());
  }

  @Test
  void keptBackupsOutsideTheWindowKeepTheirStatus() {
    List<BackupInfo> backups = List.of(ended(1, "2026-02-20T10:00:00Z"), ended(2, "2026-02-25T10:00:00Z"),
        ended(3, "2026-03-02T10:00:00Z"), ended(4, "2026-03-09T10:00:00Z"));

    RetentionPlan plan = RetentionPlanner.plan(backups, Map.of(id(1), KeepTarget.FULL, id(2), KeepTarget.STANDALONE,
        id(4), KeepTarget.FULL), RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS"), 0, NOW);

    assertThat(statuses(plan)).containsExactly(KEEP_FULL, KEEP_STANDALONE, VALID, KEEP_FULL);
    assertThat(plan.obsolete()).isEmpty();
  }

  @Test
  void keptBackupsCountTowardsTheMinimumRedundancyOutsideTheWindow() {
    List<BackupInfo> backups = List.of(ended(1, "2026-02-18T10:00:00Z"), ended(2, "2026-02-20T10:00:00Z"),
        ended(3, "2026-02-25T10:00:00Z"), ended(4, "2026-03-02T10:00:00Z"));

    RetentionPlan plan = RetentionPlanner.plan(backups, Map.of(id(3), KeepTarget.FULL),
        RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS"), 3, NOW);

    // 4 VALID (valid=1, found), 3 KEEP:FULL (valid=2), 2 OBSOLETE* (valid=3), 1 OBSOLETE
    assertThat(statuses(plan)).containsExactly(OBSOLETE, POTENTIALLY_OBSOLETE, KEEP_FULL, VALID);
  }

  @Test
  void failedBackupsAreIgnoredByTheRecoveryWindow() {
    List<BackupInfo> backups = List.of(ended(1, "2026-02-20T10:00:00Z"), backup(2, BackupStatus.FAILED, null),
        ended(3, "2026-02-25T10:00:00Z"), backup(4, BackupStatus.FAILED, null));

    RetentionPlan plan = RetentionPlanner.plan(backups, Map.of(), RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS"),
        0, NOW);

    assertThat(statuses(plan)).containsExactly(OBSOLETE, NONE, VALID, NONE);
  }

  @Test
  void theWindowIsMeasuredOnTheLocalWallClockAcrossDaylightSavingTime() {
    // 2026-03-29 is the spring-forward day in Paris: one wall-clock day before 12:00+02:00 is 12:00+01:00,
    // i.e. 11:00Z, while 24 hours before is 10:00Z.
    ZonedDateTime now = ZonedDateTime.parse("2026-03-29T12:00:00+02:00[Europe/Paris]");
    List<BackupInfo> backups = List.of(ended(1, "2026-02-20T10:00:00Z"), ended(2, "2026-02-21T10:00:00Z"));
    BackupInfo recent = BackupInfo.builder(BackupId.parse("20260328T120000")).status(BackupStatus.DONE)
        .endTime(OffsetDateTime.parse("2026-03-28T10:30:00Z")).build();

    RetentionPlan plan = RetentionPlanner.plan(List.of(backups.get(0), backups.get(1), recent), Map.of(),
        RetentionPolicy.parse("RECOVERY WINDOW OF 1 DAYS"), 0, now);

    // 10:30Z is before 11:00Z: the recent backup already reaches the window start
    assertThat(statuses(plan)).containsExactly(OBSOLETE, OBSOLETE, VALID);
  }

  @Test
  void anEmptyCatalogueHasAnEmptyPlan() {
    RetentionPlan plan = RetentionPlanner.plan(List.of(), Map.of(), RetentionPolicy.parse("REDUNDANCY 2"), 0, NOW);

    assertThat(plan.statuses()).isEmpty();
    assertThat(plan.obsolete()).isEmpty();
  }
}
