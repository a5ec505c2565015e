package org.barman4j.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
  @Test
  void unitsEndingInBAreBinaryAndThoseEndingInIBAreDecimalAsInBarman() {
    assertThat(ByteSize.parse("100GB").bytes()).isEqualTo(100L << 30);
    assertThat(ByteSize.parse("1KB").bytes()).isEqualTo(1024);
    assertThat(ByteSize.parse("2MB").bytes()).isEqualTo(2L << 20);
    assertThat(ByteSize.parse("1TB").bytes()).isEqualTo(1L << 40);
    assertThat(ByteSize.parse("1KiB").bytes()).isEqualTo(1000);
    assertThat(ByteSize.parse("3MiB").bytes()).isEqualTo(3_000_000);
    assertThat(ByteSize.parse("1GiB").bytes()).isEqualTo(1_000_000_000);
  }

  @Test
  void aBareIntegerOrAPlainBIsBytes() {
    assertThat(ByteSize.parse("12345").bytes()).isEqualTo(12345);
    assertThat(ByteSize.parse("1234B").bytes()).isEqualTo(1234);
  }

  @Test
  void suffixesIgnoreCaseAndNumbersMayHaveFractions() {
    assertThat(ByteSize.parse("1.5gb").bytes()).isEqualTo(3L << 29);
    assertThat(ByteSize.parse("10mb").bytes()).isEqualTo(10L << 20);
    assertThat(ByteSize.parse("0.5KB").bytes()).isEqualTo(512);
    assertThat(ByteSize.parse("1.7KB").bytes()).isEqualTo(1740); // int(1.7 * 1024), truncated
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "B", "abc", "10XB", "0", "-5", "0.0001KB", "1.5", "GB", "12 34"})
  void invalidSizesAreRejectedWithBarmansMessage(String text) {
    assertThatThrownBy(() -> ByteSize.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' is not a valid size string");
  }
}
