package org.barman4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.barman4j.server.XlogDbEntry;
import org.junit.jupiter.api.Test;

class WalSelectionTest {
  private static XlogDbEntry e(String name, double time) {
    return new XlogDbEntry(name, 100, time, "gzip");
  }

  private static final List<XlogDbEntry> XLOG = List.of(
      e("000000010000000000000001", 10),
      e("000000010000000000000002", 20),
      e("000000010000000000000002.00000028.backup", 21),
      e("000000010000000000000003", 30),
      e("000000010000000000000004", 40),
      e("00000002.history", 45),
      e("000000010000000000000005", 50),
      e("000000020000000000000005", 55),
      e("000000010000000000000006", 60),
      e("00000003.history", 65));

  private static List<String> names(List<XlogDbEntry> entries) {
    return entries.stream().map(XlogDbEntry::name).toList();
  }

  @Test
  void withoutATargetEverySegmentFromTheBackupsFirstOnItsTimelineAndEveryHistoryFileIsCopied() {
    assertThat(names(WalSelection.required(XLOG, "000000010000000000000002", "000000010000000000000003", 1,
        OptionalDouble.empty()))).containsExactly(
            "000000010000000000000002", "000000010000000000000002.00000028.backup", "000000010000000000000003",
            "000000010000000000000004", "00000002.history", "000000010000000000000005",
            "000000010000000000000006", "00000003.history");
  }

  @Test
  void aTargetTimeStopsAfterTheFirstSegmentPastTheBackupEndArchivedAfterIt() {
    assertThat(names(WalSelection.required(XLOG, "000000010000000000000002", "000000010000000000000003", 1,
        OptionalDouble.of(35)))).containsExactly(
            "000000010000000000000002", "000000010000000000000002.00000028.backup", "000000010000000000000003",
            "000000010000000000000004", "00000002.history", "00000003.history");
  }

  @Test
  void segmentsWithinTheBackupAreCopiedWhateverTheirTime() {
    assertThat(names(WalSelection.required(XLOG, "000000010000000000000002", "000000010000000000000004", 1,
        OptionalDouble.of(1)))).containsExactly(
            "000000010000000000000002", "000000010000000000000002.00000028.backup", "000000010000000000000003",
            "000000010000000000000004", "00000002.history", "000000010000000000000005", "00000003.history");
  }

  @Test
  void aHigherTargetTimelineAddsItsSegments() {
    assertThat(names(WalSelection.required(XLOG, "000000010000000000000002", "000000010000000000000003", 2,
        OptionalDouble.empty()))).contains("000000020000000000000005");
    assertThat(names(WalSelection.required(XLOG, "000000010000000000000002", "000000010000000000000003", 1,
        OptionalDouble.empty()))).doesNotContain("000000020000000000000005");
  }

  @Test
  void theLatestTimelineIsTheHighestAmongSegments() {
    assertThat(WalSelection.latestTimeline(XLOG, 1)).isEqualTo(2);
    assertThat(WalSelection.latestTimeline(List.of(), 7)).isEqualTo(7);
  }
}
