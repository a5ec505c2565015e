package org.barman4j.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.barman4j.wal.Lsn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RecoveryTargetTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2026-11-22 10:00:00+00        | 2026-11-22T10:00Z",
      "2026-11-22 10:00:00+00:00     | 2026-11-22T10:00Z",
      "2026-11-22T10:00:00Z          | 2026-11-22T10:00Z",
      "2026-11-22 10:00:00.250+02    | 2026-11-22T08:00:00.250Z",
      "2026-11-22 10:00:00-0530      | 2026-11-22T15:30Z",
      "2026-11-22 10:00:00 +01:00    | 2026-11-22T09:00Z",
      "2026-11-22 10:00:00 UTC       | 2026-11-22T10:00Z",
      "2026-11-22 10:00:00 Europe/Paris | 2026-11-22T09:00Z",
      "2026-11-22 10:00:00.123456789Z | 2026-11-22T10:00:00.123456789Z",
      "2026-11-22 10:00              | 2026-11-22T09:00Z",
      "2026-11-22                    | 2026-11-21T23:00Z",
      "2026-07-01 12:00:00           | 2026-07-01T10:00Z",
  })
  void targetTimesParseAsPostgresReadsThemWithTheLocalZoneWhenNoneIsGiven(String text, String instant) {
    RecoveryTarget.Time time = RecoveryTarget.parseTime(text, PARIS);
    assertThat(time.time().toInstant()).isEqualTo(OffsetDateTime.parse(instant).toInstant());
  }

  @Test
  void aTimeWithoutZoneIsWrittenWithTheLocalOffsetInForceAtThatDate() {
    assertThat(RecoveryTarget.parseTime("2026-01-15 08:30:00", PARIS).value()).isEqualTo("2026-01-15 08:30:00+01:00");
    assertThat(RecoveryTarget.parseTime("2026-07-15 08:30:00", PARIS).value()).isEqualTo("2026-07-15 08:30:00+02:00");
  }

  @Test
  void writtenTimesKeepMicrosecondsAndAnExplicitOffset() {
    assertThat(RecoveryTarget.parseTime("2026-11-22 10:00:00.5+00", PARIS).value()).isEqualTo("2026-11-22 10:00:00.500000+00:00");
    assertThat(RecoveryTarget.parseTime("2026-11-22 10:00:00.1234567-03", PARIS).value())
        .isEqualTo("2026-11-22 10:00:00.123456-03:00");
    assertThat(RecoveryTarget.parseTime("2026-11-22T10:00:00Z", PARIS).value()).isEqualTo("2026-11-22 10:00:00+00:00");
    assertThat(new RecoveryTarget.Time(OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))).value())
        .isEqualTo("2026-01-01 00:00:00+05:30");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yesterday", "2026-13-01 10:00:00", "2026-11-31", "2026-11-22 25:00:00",
      "2026-11-22 10:00:00 Mars/Olympus", "2026-11-22 10:00:00+25", "22/11/2026 10:00", "2026-11-22 10:00:00 +01 extra"})
  void unparseableTimesAreRefusedInOneLine(String text) {
    assertThatThrownBy(() -> RecoveryTarget.parseTime(text, PARIS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid target time '" + text + "'")
        .hasMessageNotContaining("\n");
  }

  @Test
  void lsnsXidsAndNamesAreValidated() {
    assertThat(RecoveryTarget.parseLsn("16/B374D848").lsn()).isEqualTo(Lsn.parse("16/B374D848"));
    assertThat(RecoveryTarget.parseLsn("0/3000028").value()).isEqualTo("0/3000028");
    assertThatThrownBy(() -> RecoveryTarget.parseLsn("3000028")).hasMessage("Invalid target LSN '3000028': expected X/X in hexadecimal");
    assertThatThrownBy(() -> RecoveryTarget.parseLsn("0/XYZ")).isInstanceOf(IllegalArgumentException.class);

    assertThat(RecoveryTarget.parseXid("1234").value()).isEqualTo("1234");
    assertThat(RecoveryTarget.parseXid("18446744073709551615").value()).isEqualTo("18446744073709551615");
    assertThatThrownBy(() -> RecoveryTarget.parseXid("18446744073709551616")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> RecoveryTarget.parseXid("-5")).hasMessageContaining("decimal transaction id");
    assertThatThrownBy(() -> RecoveryTarget.parseXid("12a")).isInstanceOf(IllegalArgumentException.class);

    assertThat(RecoveryTarget.parseName("before upgrade").value()).isEqualTo("before upgrade");
    assertThat(RecoveryTarget.parseName("x".repeat(63)).name()).hasSize(63);
    assertThatThrownBy(() -> RecoveryTarget.parseName("x".repeat(64))).hasMessageContaining("longer than 63 bytes");
    assertThatThrownBy(() -> RecoveryTarget.parseName("")).hasMessageContaining("empty");
  }

  @Test
  void eachTargetNamesItsSetting() {
    assertThat(RecoveryTarget.parseTime("2026-11-22 10:00:00+00", PARIS).setting()).isEqualTo("recovery_target_time");
    assertThat(RecoveryTarget.parseLsn("0/1").setting()).isEqualTo("recovery_target_lsn");
    assertThat(RecoveryTarget.parseXid("7").setting()).isEqualTo("recovery_target_xid");
    assertThat(RecoveryTarget.parseName("p").setting()).isEqualTo("recovery_target_name");
    assertThat(new RecoveryTarget.Immediate().setting()).isEqualTo("recovery_target");
    assertThat(new RecoveryTarget.Immediate().value()).isEqualTo("immediate");
    assertThat(new RecoveryTarget.Immediate().supportsExclusive()).isFalse();
    assertThat(RecoveryTarget.parseName("p").supportsExclusive()).isFalse();
    assertThat(RecoveryTarget.parseXid("7").supportsExclusive()).isTrue();
  }

  @Test
  void timelinesAndActionsParseAsPostgresSpellsThem() {
    assertThat(TargetTimeline.parse("current")).isEqualTo(new TargetTimeline.Current());
    assertThat(TargetTimeline.parse("latest")).isEqualTo(new TargetTimeline.Latest());
    assertThat(TargetTimeline.parse("3")).isEqualTo(new TargetTimeline.Numbered(3));
    assertThat(TargetTimeline.parse("3").value()).isEqualTo("3");
    for (String bad : new String[] {"0", "-1", "two", "", "99999999999"}) {
      assertThatThrownBy(() -> TargetTimeline.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid target timeline");
    }
    assertThat(TargetAction.parse("promote")).isEqualTo(TargetAction.PROMOTE);
    assertThat(TargetAction.SHUTDOWN.value()).isEqualTo("shutdown");
    assertThatThrownBy(() -> TargetAction.parse("resume")).hasMessageContaining("pause, promote or shutdown");
  }
}
