package org.barman4j.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "/x", "x/", "a//b", "a/../b", "..", "a/./b", ".", "x.", "a\u0000b", "a\nb"})
  void invalidKeysAreRejected(String bad) {
    assertThatThrownBy(() -> Keys.check(bad)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "srv/wals/00000001.history", ".incoming-not/x", "a b/c+d%e=f", "é/ü"})
  void validKeysPass(String good) {
    assertThat(Keys.check(good)).isEqualTo(good);
  }

  @Test
  void overlongKeysAreRejected() {
    assertThatThrownBy(() -> Keys.check("a".repeat(1025))).isInstanceOf(IllegalArgumentException.class);
    assertThat(Keys.check("a".repeat(1024))).hasSize(1024);
  }

  @Test
  void prefixesMayEndInASlashOrAPartialSegment() {
    assertThat(Keys.checkPrefix("")).isEmpty();
    assertThat(Keys.checkPrefix("srv/wals/")).isEqualTo("srv/wals/");
    assertThat(Keys.checkPrefix("srv/wals/0000")).isEqualTo("srv/wals/0000");
    assertThatThrownBy(() -> Keys.checkPrefix("/srv")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.checkPrefix("a//")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void urlsParseIntoSchemeAuthorityAndPath() {
    assertThat(StorageUri.parse("s3://bucket/path/to/")).isEqualTo(new StorageUri("s3", "bucket", "/path/to/"));
    assertThat(StorageUri.parse("s3://bucket/path/to/").trimmedPath()).isEqualTo("path/to");
    assertThat(StorageUri.parse("file:///var/lib/x")).isEqualTo(new StorageUri("file", "", "/var/lib/x"));
    assertThat(StorageUri.parse("S3://b")).hasToString("s3://b");
    assertThatThrownBy(() -> StorageUri.parse("bucket/path")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket/path");
    assertThatThrownBy(() -> StorageUri.parse("1x://a")).isInstanceOf(IllegalArgumentException.class);
  }
}
