package org.barman4j.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.barman4j.compress.Compression;
import org.junit.jupiter.api.Test;

class ServerLayoutTest {
  private final ServerLayout layout = new ServerLayout("pg317");

  @Test
  void serverNamesMustBeOneKeySegment() {
    for (String bad : new String[] {"", "a/b", "..", ".", "/x"}) {
      assertThatThrownBy(() -> new ServerLayout(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static final BackupId ID = BackupId.parse("20261121T230614");

  @Test
  void baseBackupKeysFollowBarmanCloudsLayout() {
    assertThat(layout.baseRoot()).isEqualTo("pg317/base/");
    assertThat(layout.backupPrefix(ID)).isEqualTo("pg317/base/20261121T230614/");
    assertThat(layout.backupInfoKey(ID)).isEqualTo("pg317/base/20261121T230614/backup.info");
    assertThat(layout.keepAnnotationKey(ID)).isEqualTo("pg317/base/20261121T230614/annotations/keep");
    assertThat(layout.backupLabelKey(ID)).isEqualTo("pg317/base/20261121T230614/backup_label");
    assertThat(layout.tarKey(ID, "data", 0, Compression.BZIP2)).isEqualTo("pg317/base/20261121T230614/data.tar.bz2");
    assertThat(layout.tarKey(ID, "data", 1, Compression.BZIP2))
        .isEqualTo("pg317/base/20261121T230614/data_0001.tar.bz2");
    assertThat(layout.tarKey(ID, "16384", 0, Compression.NONE)).isEqualTo("pg317/base/20261121T230614/16384.tar");
    assertThat(layout.tarKey(ID, "16384", 12345, Compression.SNAPPY))
        .isEqualTo("pg317/base/20261121T230614/16384_12345.tar.snappy");
  }

  @Test
  void tarNamesOtherThanDataOrAnOidAreRefused() {
    assertThatThrownBy(() -> layout.tarKey(ID, "base", 0, Compression.GZIP)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> layout.tarKey(ID, "data", -1, Compression.GZIP)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tarKeysParseBackToNamePartAndCompression() {
    assertThat(layout.parseTarKey(ID, "pg317/base/20261121T230614/data.tar.gz")).hasValueSatisfying(t -> {
      assertThat(t.name()).isEqualTo("data");
      assertThat(t.isData()).isTrue();
      assertThat(t.part()).isZero();
      assertThat(t.compression()).isEqualTo(Compression.GZIP);
      assertThat(t.tablespaceOid()).isEmpty();
    });
    assertThat(layout.parseTarKey(ID, "pg317/base/20261121T230614/16384_0002.tar")).hasValueSatisfying(t -> {
      assertThat(t.name()).isEqualTo("16384");
      assertThat(t.part()).isEqualTo(2);
      assertThat(t.compression()).isEqualTo(Compression.NONE);
      assertThat(t.tablespaceOid()).hasValue(16384);
    });
    for (Compression c : Compression.values()) {
      String key = layout.tarKey(ID, "data", 3, c);
      assertThat(layout.parseTarKey(ID, key)).hasValueSatisfying(t -> {
        assertThat(t.compression()).isEqualTo(c);
        assertThat(t.part()).isEqualTo(3);
        assertThat(t.key()).isEqualTo(key);
      });
    }
  }

  @Test
  void keysThatAreNotTarsOfThisBackupAreNotParsedAsTars() {
    for (String key : new String[] {"pg317/base/20261121T230614/backup.info",
        "pg317/base/20261121T230614/annotations/keep", "pg317/base/20261121T230614/backup_label",
        "pg317/base/20261121T230614/data.tar.rar", "pg317/base/20261121T230614/data.tar.gz.tmp",
        "pg317/base/20261121T230614/pgdata.tar", "pg317/base/20261121T230614/data_.tar",
        "pg317/base/20261121T230614/data_x1.tar", "pg317/base/20261121T230615/data.tar",
        "pg317/base/20261121T230614/sub/data.tar", "other/base/20261121T230614/data.tar"}) {
      assertThat(layout.parseTarKey(ID, key)).as(key).isEmpty();
    }
  }

  @Test
  void theBackupOfAKeyUnderBaseIsItsDirectory() {
    assertThat(layout.parseBackupId("pg317/base/20261121T230614/data.tar")).contains(ID);
    assertThat(layout.parseBackupId("pg317/base/20261121T230614/")).contains(ID);
    assertThat(layout.parseBackupId("pg317/base/notabackup/backup.info")).isEmpty();
    assertThat(layout.parseBackupId("pg317/wals/20261121T230614/x")).isEmpty();
  }
}
