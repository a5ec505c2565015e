package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.barman4j.compress.Compression;
import org.junit.jupiter.api.Test;

class XlogDbEntryTest {

  @Test
  void writesBarman34Lines() {
    assertThat(new XlogDbEntry("000000010000000000000002", 16463, 1796296067.413091, "gzip").toLine())
        .isEqualTo("000000010000000000000002\t16463\t1796296067.413091\tgzip\n");
    assertThat(new XlogDbEntry("00000002.history", 42, 1796296067.0, "").toLine())
        .isEqualTo("00000002.history\t42\t1796296067.0\tNone\n");
  }

  @Test
  void readsOldCurrentAndNewerLines() {
    assertThat(XlogDbEntry.parse("000000010000000000000002\t16463\t1796296067.4245381\tgzip\n"))
        .isEqualTo(new XlogDbEntry("000000010000000000000002", 16463, 1796296067.4245381, "gzip"));
    assertThat(XlogDbEntry.parse("000000010000000000000002 16777216 1796296067.5 None"))
        .isEqualTo(new XlogDbEntry("000000010000000000000002", 16777216, 1796296067.5, ""));
    assertThat(XlogDbEntry.parse("000000010000000000000002\t16777216\t1796296067.5").compression()).isEmpty();
    assertThat(XlogDbEntry.parse("000000010000000000000002\t100\t1796296067.5\tzstd\tNone").compression())
        .isEqualTo("zstd");
    assertThatThrownBy(() -> XlogDbEntry.parse("000000010000000000000002\t100"))
        .hasMessageContaining("cannot parse xlog.db line");
    assertThatThrownBy(() -> XlogDbEntry.parse("000000010000000000000002\tten\t1.0\tNone"))
        .hasMessageContaining("cannot parse xlog.db line");
  }

  @Test
  void timesAreWrittenAsPythonsStrOfAFloat() {
    assertThat(XlogDbEntry.pythonFloat(1796316382.2077942)).isEqualTo("1796316382.2077942");
    assertThat(XlogDbEntry.pythonFloat(0.1)).isEqualTo("0.1");
    assertThat(XlogDbEntry.pythonFloat(1.5e9)).isEqualTo("1500000000.0");
    // Double.toString would write 1.5E9 here; Python's float repr never uses an exponent at this magnitude.
    assertThat(XlogDbEntry.pythonFloat(1796296067.4245381)).isEqualTo("1796296067.4245381");
  }

  @Test
  void mapsBarmanCompressionNamesToCodecs() {
    assertThat(new XlogDbEntry("x", 1, 1, "pigz").codec()).contains(Compression.GZIP);
    assertThat(new XlogDbEntry("x", 1, 1, "pybzip2").codec()).contains(Compression.BZIP2);
    assertThat(new XlogDbEntry("x", 1, 1, "").codec()).contains(Compression.NONE);
    assertThat(new XlogDbEntry("x", 1, 1, "custom").codec()).isEmpty();
  }
}
