package org.barman4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** Sizes, durations and naive times worded as Barman words them. */
class HumanTest {

  @Test
  void sizesAsPrettySize() {
    assertThat(Human.size(512)).isEqualTo("512 B");
    assertThat(Human.size(1024)).isEqualTo("1.0 KiB");
    assertThat(Human.size(1536)).isEqualTo("1.5 KiB");
    assertThat(Human.size(23_173_529)).isEqualTo("22.1 MiB");
    assertThat(Human.size(57_940_525)).isEqualTo("55.3 MiB");
    // Python's "%.1f" rounds the exact binary value half to even: 1.25 KiB is "1.2 KiB"
    assertThat(Human.size(1280)).isEqualTo("1.2 KiB");
    assertThat(Human.size(512.7)).isEqualTo("512 B");
  }

  @Test
  void durationsAsHumanReadableTimedelta() {
    assertThat(Human.duration(Duration.ofMillis(300))).isEqualTo("less than one second");
    assertThat(Human.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
    assertThat(Human.duration(Duration.ofSeconds(3723))).isEqualTo("1 hour, 2 minutes, 3 seconds");
    assertThat(Human.duration(Duration.ofSeconds(7322))).isEqualTo("2 hours, 2 minutes, 2 seconds");
    assertThat(Human.duration(Duration.ofSeconds(90061))).isEqualTo("1 day, 1 hour, 1 minute, 1 second");
    assertThat(Human.duration(Duration.ofDays(2).plusSeconds(60))).isEqualTo("2 days, 1 minute");
    assertThat(Human.duration(Duration.ofSeconds(-61))).isEqualTo("1 minute, 1 second ago");
    assertThat(Human.duration(0.9999996)).isEqualTo("1 second");
    assertThat(Human.duration(-0.5)).isEqualTo("less than one second ago");
    assertThat(Human.durationParts(Duration.ofMillis(999))).isEmpty();
  }

  @Test
  void naiveTimesAsPythonStr() {
    assertThat(PythonTime.str(LocalDateTime.of(2026, 12, 3, 11, 8, 17, 123_456_789)))
        .isEqualTo("2026-12-03 11:08:17.123456");
    assertThat(PythonTime.str(LocalDateTime.of(2026, 12, 3, 11, 8, 17))).isEqualTo("2026-12-03 11:08:17");
  }
}
