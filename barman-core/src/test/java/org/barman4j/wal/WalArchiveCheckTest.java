package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WalArchiveCheckTest {
  private static List<WalFileName> names(String... names) {
    return java.util.Arrays.stream(names).map(WalFileName::parse).toList();
  }

  @Test
  void withoutATimelineOnlyAnEmptyArchiveIsUsable() {
    assertThatCode(() -> WalArchiveCheck.checkUsable(List.of(), OptionalInt.empty())).doesNotThrowAnyException();
    assertThatThrownBy(() -> WalArchiveCheck.checkUsable(names("00000001.history"), OptionalInt.empty()))
        .isInstanceOf(WalArchiveContentException.class).hasMessage("Expected empty archive");
  }

  @Test
  void withATimelineFilesOnThatTimelineOrLaterMakeTheArchiveUnusable() {
    List<WalFileName> wals = names("000000010000000000000001", "000000020000000000000002",
        "000000020000000000000002", "00000002.history", "000000030000000000000003.partial");

    assertThatCode(() -> WalArchiveCheck.checkUsable(wals, OptionalInt.of(4))).doesNotThrowAnyException();
    assertThatThrownBy(() -> WalArchiveCheck.checkUsable(wals, OptionalInt.of(3)))
        .isInstanceOf(WalArchiveContentException.class)
        .hasMessage("Found 1 file in WAL archive equal to or newer than timeline 3");
    assertThatThrownBy(() -> WalArchiveCheck.checkUsable(wals, OptionalInt.of(2)))
        .hasMessage("Found 3 files in WAL archive equal to or newer than timeline 2");
    assertThatThrownBy(() -> WalArchiveCheck.checkUsable(wals, OptionalInt.of(0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
