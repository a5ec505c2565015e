package org.barman4j.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import java.util.List;
import org.barman4j.retention.RetentionPolicy.RecoveryWindow;
import org.barman4j.retention.RetentionPolicy.Redundancy;
import org.barman4j.retention.RetentionPolicy.WindowUnit;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  @Test
  void policiesParseCaseInsensitivelyWithBarmansSpacing() {
    assertThat(RetentionPolicy.parse("REDUNDANCY 2")).isEqualTo(new Redundancy(2));
    assertThat(RetentionPolicy.parse("  redundancy   0 ")).isEqualTo(new Redundancy(0));
    assertThat(RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS")).isEqualTo(new RecoveryWindow(7, WindowUnit.DAYS));
    assertThat(RetentionPolicy.parse("recovery window of 1 day")).isEqualTo(new RecoveryWindow(1, WindowUnit.DAYS));
    assertThat(RetentionPolicy.parse("Recovery Window Of 2 Weeks")).isEqualTo(new RecoveryWindow(2, WindowUnit.WEEKS));
    assertThat(RetentionPolicy.parse("RECOVERY\tWINDOW OF 3 MONTH")).isEqualTo(new RecoveryWindow(3, WindowUnit.MONTHS));
  }

  @Test
  void policiesDisplayAsBarmanDisplaysThem() {
    assertThat(RetentionPolicy.parse("redundancy 3")).hasToString("REDUNDANCY 3");
    assertThat(RetentionPolicy.parse("recovery window of 1 day")).hasToString("RECOVERY WINDOW OF 1 DAYS");
    assertThat(RetentionPolicy.parse("recovery window of 4 weeks")).hasToString("RECOVERY WINDOW OF 4 WEEKS");
  }

  @Test
  void windowsCountWeeksAsSevenDaysAndMonthsAsThirtyOne() {
    assertThat(new RecoveryWindow(2, WindowUnit.WEEKS).days()).isEqualTo(14);
    assertThat(new RecoveryWindow(2, WindowUnit.MONTHS).days()).isEqualTo(62);
    ZonedDateTime now = ZonedDateTime.parse("2026-03-31T12:00:00+02:00[Europe/Paris]");
    assertThat(new RecoveryWindow(1, WindowUnit.MONTHS).pointOfRecoverability(now))
        .isEqualTo(ZonedDateTime.parse("2026-02-28T12:00:00+01:00[Europe/Paris]"));
  }

  @Test
  void anythingElseIsRejected() {
    for (String bad : List.of("", "REDUNDANCY", "REDUNDANCY -1", "REDUNDANCY two", "REDUNDANCY 2 DAYS",
        "RECOVERY WINDOW OF 7 HOURS", "RECOVERY WINDOW 7 DAYS", "WINDOW OF 7 DAYS", "REDUNDANCY 99999999999")) {
      assertThatThrownBy(() -> RetentionPolicy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("retention policy");
    }
  }
}
