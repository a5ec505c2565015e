package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimelineHistoryTest {
  private static final String THREE =
      "1\t0/3000158\tno recovery target specified\n\n# comment\n2\t0/5000000\tat restore point \"before\"\n";

  @Test
  void parsesPostgresHistoryFiles() {
    TimelineHistory history = TimelineHistory.parse(3, THREE);
    assertThat(history.entries()).hasSize(2);
    assertThat(history.entries().get(0)).isEqualTo(
        new TimelineHistory.Entry(1, Lsn.parse("0/3000158"), "no recovery target specified"));
    assertThat(history.entries().get(1).reason()).isEqualTo("at restore point \"before\"");
    assertThat(history.lineage()).containsExactly(3, 2, 1);
  }

  @Test
  void findsTheTimelineCurrentAtALocation() {
    TimelineHistory history = TimelineHistory.parse(3, THREE);
    assertThat(history.timelineAt(Lsn.parse("0/3000157"))).isEqualTo(1);
    assertThat(history.timelineAt(Lsn.parse("0/3000158"))).isEqualTo(2);
    assertThat(history.timelineAt(Lsn.parse("0/6000000"))).isEqualTo(3);
  }

  @Test
  void malformedOrUnorderedLinesAreRejected() {
    assertThatThrownBy(() -> TimelineHistory.parse(3, "x\t0/1\treason"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    assertThatThrownBy(() -> TimelineHistory.parse(3, "2\t0/1\ta\n1\t0/2\tb"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> TimelineHistory.parse(2, "2\t0/1\tself"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimelineHistory.parse(2, "1\tnot-an-lsn"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-an-lsn");
  }
}
