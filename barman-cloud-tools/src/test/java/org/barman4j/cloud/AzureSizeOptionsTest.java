package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Barman's Azure size options are read as Barman reads them ({@code check_size}), whatever the URL, before
 * they become storage properties: a bad one is a command-line error.
 */
class AzureSizeOptionsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"--max-block-size, lots", "--max-single-put-size, 0", "--max-block-size, 4 MB please"})
  void aBadSizeIsACommandLineErrorInBarmansWords(String option, String value) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CloudTools.run(
        new String[] {"barman-cloud-wal-archive", "-t", option, value, "file://" + tmp.resolve("s"), "main"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Invalid " + option + ": '" + value + "' is not a valid size string");
    assertThat(tmp.resolve("s")).doesNotExist();
  }
}
