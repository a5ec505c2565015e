package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {
  @Test
  void parsesAndPrintsLikePostgres() {
    Lsn lsn = Lsn.parse("16/B374D848");
    assertThat(lsn.value()).isEqualTo(0x16B374D848L);
    assertThat(lsn).hasToString("16/B374D848");
    assertThat(Lsn.parse("0/d000028")).hasToString("0/D000028");
    assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").value()).isEqualTo(-1L);
  }

  @Test
  void mapsToTheSegmentPostgresNames() {
    // pg_walfile_name('0/D000028') on timeline 1 with 16 MiB segments
    assertThat(Lsn.parse("0/D000028").walFileName(1, WalSegmentSize.DEFAULT).name())
        .isEqualTo("00000001000000000000000D");
    assertThat(Lsn.parse("16/B374D848").walFileName(1, WalSegmentSize.DEFAULT).name())
        .isEqualTo("0000000100000016000000B3");
    assertThat(Lsn.parse("16/B374D848").segmentOffset(WalSegmentSize.DEFAULT)).isEqualTo(0x74D848);
    assertThat(Lsn.parse("16/B374D848").walFileName(2, WalSegmentSize.ofMebibytes(64)).name())
        .isEqualTo("00000002000000160000002C");
  }

  @Test
  void comparesUnsignedAndDoesArithmetic() {
    Lsn low = Lsn.parse("0/1");
    Lsn high = Lsn.parse("FFFFFFFF/0");
    assertThat(low).isLessThan(high);
    assertThat(low.plus(0xFF)).isEqualTo(Lsn.parse("0/100"));
    assertThat(Lsn.parse("1/0").minus(Lsn.parse("0/FFFFFFFF"))).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "0/", "/0", "0", "G/0", "123456789/0", "0/123456789", "0/-1", "0 /1"})
  void malformedTextIsRejectedWithTheText(String bad) {
    assertThatThrownBy(() -> Lsn.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + bad + "'");
  }
}
