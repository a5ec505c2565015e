package org.barman4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PythonTimeTest {
  @Test
  void timesPrintAsPythonsStrIsoformatAndCtime() {
    OffsetDateTime t = OffsetDateTime.parse("2026-11-01T03:06:14.068415Z");

    assertThat(PythonTime.str(t)).isEqualTo("2026-11-01 03:06:14.068415+00:00");
    assertThat(PythonTime.isoformat(t)).isEqualTo("2026-11-01T03:06:14.068415+00:00");
    assertThat(PythonTime.ctime(t)).isEqualTo("Sun Nov  1 03:06:14 2026");
    assertThat(PythonTime.str(OffsetDateTime.parse("2026-11-21T23:06:14-03:30"))).isEqualTo("2026-11-21 23:06:14-03:30");
    assertThat(PythonTime.str(OffsetDateTime.parse("2026-11-21T23:06:14.000000999+01:00")))
        .isEqualTo("2026-11-21 23:06:14+01:00");
  }

  @Test
  void theFormsBarmanWritesParse() {
    assertThat(PythonTime.parse("2026-11-21 23:06:14.068415+00:00", ZoneOffset.UTC))
        .isEqualTo(OffsetDateTime.parse("2026-11-21T23:06:14.068415Z"));
    assertThat(PythonTime.parse("2026-11-21T23:06:14+0530", ZoneOffset.UTC))
        .isEqualTo(OffsetDateTime.parse("2026-11-21T23:06:14+05:30"));
    assertThat(PythonTime.parse("2026-11-21 23:06:14", ZoneOffset.ofHours(2)))
        .isEqualTo(OffsetDateTime.parse("2026-11-21T23:06:14+02:00"));
    assertThat(PythonTime.parse("2026-11-21 23:06", ZoneOffset.UTC))
        .isEqualTo(OffsetDateTime.parse("2026-11-21T23:06:00Z"));
  }

  @Test
  void invalidDatesAreRejected() {
    assertThatThrownBy(() -> PythonTime.parse("2026-13-01 00:00:00", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2026-13-01");
    assertThatThrownBy(() -> PythonTime.parse("tomorrow", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
