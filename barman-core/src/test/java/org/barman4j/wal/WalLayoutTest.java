package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;

import org.barman4j.compress.Compression;
import org.junit.jupiter.api.Test;

class WalLayoutTest {
  private final WalLayout layout = new WalLayout("pg317");

  @Test
  void walKeysFollowBarmanCloudsLayout() {
    assertThat(layout.key(WalFileName.parse("00000001000000000000000C"), Compression.ZSTD))
        .isEqualTo("pg317/wals/0000000100000000/00000001000000000000000C.zst");
    assertThat(layout.key(WalFileName.parse("00000001000000000000000D.00000028.backup"), Compression.GZIP))
        .isEqualTo("pg317/wals/0000000100000000/00000001000000000000000D.00000028.backup.gz");
    assertThat(layout.key(WalFileName.parse("00000001000000000000000E.partial"), Compression.NONE))
        .isEqualTo("pg317/wals/0000000100000000/00000001000000000000000E.partial");
    assertThat(layout.key(WalFileName.parse("00000002.history"), Compression.GZIP))
        .isEqualTo("pg317/wals/00000002.history.gz");
  }

  @Test
  void walKeysParseBackToTheirFileAndCompression() {
    assertThat(layout.parseKey("pg317/wals/0000000100000000/00000001000000000000000C.lz4"))
        .hasValueSatisfying(s -> {
          assertThat(s.wal().name()).isEqualTo("00000001000000000000000C");
          assertThat(s.compression()).isEqualTo(Compression.LZ4);
        });
    assertThat(layout.parseKey("pg317/wals/00000002.history")).hasValueSatisfying(
        s -> assertThat(s.compression()).isEqualTo(Compression.NONE));
  }

  @Test
  void keysThatAreNotWalObjectsOfThisServerAreIgnored() {
    assertThat(layout.parseKey("other/wals/0000000100000000/00000001000000000000000C")).isEmpty();
    assertThat(layout.parseKey("pg317/wals/0000000100000000/00000001000000000000000C.rar")).isEmpty();
    assertThat(layout.parseKey("pg317/wals/0000000200000000/00000001000000000000000C")).isEmpty();
    assertThat(layout.parseKey("pg317/base/20261121T230614/backup.info")).isEmpty();
  }
}
