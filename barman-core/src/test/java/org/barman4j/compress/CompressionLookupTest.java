package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionLookupTest {
  @ParameterizedTest
  @CsvSource({"NONE, none, ''", "GZIP, gzip, .gz", "BZIP2, bzip2, .bz2", "XZ, xz, .xz", "ZSTD, zstd, .zst",
      "LZ4, lz4, .lz4", "SNAPPY, snappy, .snappy"})
  void idsAndSuffixesAreBarmans(Compression c, String id, String suffix) {
    assertThat(c.id()).isEqualTo(id);
    assertThat(c.suffix()).isEqualTo(suffix);
    assertThat(Compression.fromId(id)).isEqualTo(c);
  }

  @ParameterizedTest
  @CsvSource({"000000010000000000000001.gz, GZIP", "000000010000000000000001.bz2, BZIP2",
      "000000010000000000000001.xz, XZ", "000000010000000000000001.zst, ZSTD",
      "000000010000000000000001.lz4, LZ4", "000000010000000000000001.snappy, SNAPPY",
      "data.tar.gz, GZIP", "x.gz, GZIP"})
  void fromSuffixFindsTheCodecThatEndsTheName(String name, Compression expected) {
    assertThat(Compression.fromSuffix(name)).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"000000010000000000000001", "00000002.history", "x.GZ", "x.gz.partial", "x.zstd",
      "x.bz", "x.tar", ""})
  void fromSuffixIsEmptyForNamesWithoutAKnownSuffix(String name) {
    assertThat(Compression.fromSuffix(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GZIP", "gz", "zstandard", "", " gzip", "pigz"})
  void fromIdRejectsUnknownIdsListingTheValidOnes(String id) {
    assertThatThrownBy(() -> Compression.fromId(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + id + "\"")
        .hasMessageContaining("none, gzip, bzip2, xz, zstd, lz4, snappy");
  }

  @ParameterizedTest
  @CsvSource({"1f8b0800000000000003, GZIP", "425a683931415926, BZIP2", "fd377a585a000004e6d6b446, XZ",
      "28b52ffd2400, ZSTD", "04224d186440a7, LZ4", "ff060000734e6150705901, SNAPPY"})
  void fromMagicRecognisesEachFormatsFirstBytes(String hex, Compression expected) {
    assertThat(Compression.fromMagic(HexFormat.of().parseHex(hex))).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1f8b", "1f8b09", "425a", "425a30", "fd377a585a", "28b52f", "04224d",
      "ff060000734e615070", "ff060000734e61507058", "00000000000000000000", "7573746172"})
  void fromMagicIsEmptyForShortOrUnknownHeads(String hex) {
    assertThat(Compression.fromMagic(HexFormat.of().parseHex(hex))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void fromMagicRecognisesOurOwnOutput(Compression c) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.compress(out, CompressionLevel.MEDIUM).close();
    assertThat(Compression.fromMagic(out.toByteArray())).isEqualTo(Optional.of(c));
  }

  @ParameterizedTest
  @CsvSource({"low, low", "medium, medium", "high, high", "HIGH, high", " Medium , medium", "5, 5",
      "0, 0", "-7, -7", "+3, 3", "007, 7", " 12 , 12"})
  void levelsParseToTheirCanonicalForm(String text, String canonical) {
    CompressionLevel level = CompressionLevel.parse(text);
    assertThat(level.value()).isEqualTo(canonical);
    assertThat(level).hasToString(canonical);
    assertThat(level).isEqualTo(CompressionLevel.parse(canonical));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "fast", "best", "max", "5.0", "0x5", "1e3", "99999999999", "- 1", "low1"})
  void badLevelsAreRejectedNamingTheText(String text) {
    assertThatThrownBy(() -> CompressionLevel.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"")
        .hasMessageContaining("low, medium, high or an integer");
  }

  @Test
  void theConstructorOnlyTakesCanonicalText() {
    assertThat(new CompressionLevel("medium")).isEqualTo(CompressionLevel.MEDIUM);
    assertThat(CompressionLevel.of(-3)).isEqualTo(new CompressionLevel("-3"));
    assertThat(CompressionLevel.MEDIUM.isNamed()).isTrue();
    assertThat(CompressionLevel.of(3).isNamed()).isFalse();
    for (String bad : new String[] {"Medium", "+3", "03", " 3", ""}) {
      assertThatThrownBy(() -> new CompressionLevel(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> CompressionLevel.parse(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("text is null");
  }

  @ParameterizedTest
  @CsvSource({"GZIP, 1, 6, 9", "BZIP2, 1, 5, 9", "XZ, 1, 3, 5", "ZSTD, 1, 4, 9", "LZ4, 0, 6, 10",
      "NONE, 0, 0, 0", "SNAPPY, 0, 0, 0"})
  void namedLevelsResolveAsBarmanMapsThem(Compression c, int low, int medium, int high) {
    assertThat(CompressionLevel.LOW.resolve(c)).isEqualTo(low);
    assertThat(CompressionLevel.MEDIUM.resolve(c)).isEqualTo(medium);
    assertThat(CompressionLevel.HIGH.resolve(c)).isEqualTo(high);
  }

  @ParameterizedTest
  @CsvSource({"GZIP, 1, 9", "BZIP2, 1, 9", "XZ, 1, 9", "ZSTD, -22, 22", "LZ4, 0, 16"})
  void integerLevelsMustLieInTheCodecsRange(Compression c, int min, int max) {
    assertThat(CompressionLevel.of(min).resolve(c)).isEqualTo(min);
    assertThat(CompressionLevel.of(max).resolve(c)).isEqualTo(max);
    for (int outside : new int[] {min - 1, max + 1}) {
      assertThatThrownBy(() -> CompressionLevel.of(outside).resolve(c))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Compression level " + outside + " is out of range for " + c.id() + " (" + min + ".."
              + max + ")");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"NONE", "SNAPPY"})
  void codecsWithoutLevelsIgnoreAnyLevel(Compression c) {
    assertThat(CompressionLevel.of(1000).resolve(c)).isZero();
    assertThat(CompressionLevel.of(-1000).resolve(c)).isZero();
  }

  @Test
  void compressRejectsAnOutOfRangeLevelAndClosesTheDestination() {
    boolean[] closed = {false};
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    assertThatThrownBy(() -> Compression.GZIP.compress(out, CompressionLevel.of(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gzip");
    assertThat(closed[0]).isTrue();
    assertThat(out.size()).isZero();
  }
}
