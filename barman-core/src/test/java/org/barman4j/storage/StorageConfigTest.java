package org.barman4j.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.barman4j.storage.StorageConfig.SizeUnits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageConfigTest {
  private static StorageConfig config(String name, String value) {
    return StorageConfig.of(Map.of(name, value));
  }

  @ParameterizedTest
  @CsvSource({
      "1048576, 1048576",
      "1048576B, 1048576",
      "5MB, 5242880",
      "5MiB, 5242880",
      "5mib, 5242880",
      "' 16mb ', 16777216",
      "256KB, 262144",
      "256KiB, 262144",
      "1.5GB, 1610612736",
      "1GiB, 1073741824",
      "1TB, 1099511627776"})
  void sizesOfStoragePropertiesReadUnitsAsPowersOf1024(String text, long bytes) {
    assertThat(config("x.size", text).size("x.size", 7)).isEqualTo(bytes);
  }

  @Test
  void barmansOptionsReadIecUnitsAsPowersOf1000() {
    assertThat(StorageConfig.parseSize("3MiB", SizeUnits.BARMAN)).isEqualTo(3_000_000);
    assertThat(StorageConfig.parseSize("3MB", SizeUnits.BARMAN)).isEqualTo(3L << 20);
    assertThat(StorageConfig.parseSize("3MiB", SizeUnits.IEC)).isEqualTo(3L << 20);
  }

  @Test
  void anUnsetPropertyGivesTheFallback() {
    assertThat(StorageConfig.EMPTY.size("x.size", 42)).isEqualTo(42);
    assertThat(StorageConfig.EMPTY.bool("x.flag", true)).isTrue();
    assertThat(StorageConfig.EMPTY.bool("x.flag", false)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "lots", "5 lots", "0", "-5", "5XB", "1.5", "GB", "16M", "0.0001KB"})
  void aBadSizeIsOneLineNamingThePropertyAndTheValue(String text) {
    assertThatThrownBy(() -> config("s3.part-size", text).size("s3.part-size", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid s3.part-size '" + text + "': expected a size such as 16777216, 16MB or 16MiB");
  }

  @ParameterizedTest
  @CsvSource({"true, true", "TRUE, true", "' True ', true", "false, false", "False, false"})
  void booleansAreTrueOrFalseInAnyCase(String text, boolean value) {
    assertThat(config("x.flag", text).bool("x.flag", !value)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yes", "no", "on", "off", "1", "0", "maybe"})
  void anythingElseIsNotABoolean(String text) {
    assertThatThrownBy(() -> config("file.create-root", text).bool("file.create-root", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid file.create-root '" + text + "': expected true or false");
  }

  @Test
  void aSensitiveValueIsNeverShown() {
    StorageConfig config = new StorageConfig(Map.of("x.secret", "hunter2"), Set.of("x.secret"));
    assertThatThrownBy(() -> config.bool("x.secret", true))
        .hasMessage("Invalid x.secret (hidden): expected true or false");
  }
}
