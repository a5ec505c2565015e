package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalFileNameTest {
  @Test
  void segmentNamesSplitIntoTimelineLogAndSegment() {
    WalFileName name = WalFileName.parse("000000020000000A000000FF");
    assertThat(name.type()).isEqualTo(WalFileName.Type.SEGMENT);
    assertThat(name.timeline()).isEqualTo(2);
    assertThat(name.log()).isEqualTo(10);
    assertThat(name.segment()).isEqualTo(255);
    assertThat(name.hashDir()).isEqualTo("000000020000000A");
    assertThat(name.segmentName()).isEqualTo("000000020000000A000000FF");
  }

  @Test
  void partialBackupAndHistoryFilesAreRecognised() {
    assertThat(WalFileName.parse("00000001000000000000000E.partial").type()).isEqualTo(WalFileName.Type.PARTIAL);
    WalFileName backup = WalFileName.parse("00000001000000000000000D.00000028.backup");
    assertThat(backup.type()).isEqualTo(WalFileName.Type.BACKUP_HISTORY);
    assertThat(backup.hashDir()).isEqualTo("0000000100000000");
    assertThat(backup.segmentName()).isEqualTo("00000001000000000000000D");
    WalFileName history = WalFileName.parse("0000000A.history");
    assertThat(history.type()).isEqualTo(WalFileName.Type.TIMELINE_HISTORY);
    assertThat(history.timeline()).isEqualTo(10);
    assertThat(history.hashDir()).isEmpty();
    assertThat(WalFileName.history(10)).isEqualTo(history);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "RECOVERYXLOG", "00000001000000000000000", "0000000100000000000000001",
      "00000001000000000000000G", "00000001.History", "000000010000000000000001.backup",
      "000000010000000000000001.partial.gz", "../00000001.history", "0000000100000000000000 01"})
  void invalidNamesAreRejectedWithTheName(String bad) {
    assertThat(WalFileName.isValid(bad)).isFalse();
    assertThatThrownBy(() -> WalFileName.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + bad + "'");
  }

  @Test
  void segmentNumbersFollowTheSegmentSize() {
    WalSegmentSize sixteen = WalSegmentSize.DEFAULT;
    assertThat(WalFileName.segment(1, 256, sixteen).name()).isEqualTo("000000010000000100000000");
    assertThat(WalFileName.parse("0000000100000001000000FF").next(sixteen).name()).isEqualTo("000000010000000200000000");
    WalSegmentSize gib = WalSegmentSize.ofMebibytes(1024);
    assertThat(gib.segmentsPerLog()).isEqualTo(4);
    assertThat(WalFileName.parse("000000010000000000000003").next(gib).name()).isEqualTo("000000010000000100000000");
    WalSegmentSize mib = WalSegmentSize.ofMebibytes(1);
    assertThat(WalFileName.segment(3, 4096 + 7, mib).name()).isEqualTo("000000030000000100000007");
    assertThat(WalFileName.parse("000000030000000100000FFF").segmentNumber(mib)).isEqualTo(4096 + 4095);
  }

  @Test
  void aSegmentOutOfRangeForTheSizeIsRejected() {
    assertThatThrownBy(() -> WalFileName.parse("000000010000000000000004").segmentNumber(WalSegmentSize.ofMebibytes(1024)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("000000010000000000000004");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1 << 19, 3 << 20, 2L << 30, 1L << 31})
  void segmentSizesOutsideOneMibToOneGibOrNotPowersOfTwoAreRejected(long bytes) {
    assertThatThrownBy(() -> new WalSegmentSize(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyPowerOfTwoFromOneMibToOneGibIsASegmentSize() {
    for (int mib = 1; mib <= 1024; mib *= 2) {
      assertThat(WalSegmentSize.ofMebibytes(mib).bytes()).isEqualTo((long) mib << 20);
    }
  }
}
