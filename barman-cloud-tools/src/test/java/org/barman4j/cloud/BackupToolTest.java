package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** barman-cloud-backup's command line, run in-process: what is refused before any connection is made. */
class BackupToolTest {
  @TempDir Path tmp;
  private String lastErr;
  private String lastOut;

  private int run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "barman-cloud-backup";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = CloudTools.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    lastOut = out.toString(StandardCharsets.UTF_8);
    lastErr = err.toString(StandardCharsets.UTF_8);
    return code;
  }

  @Test
  void helpIsOnlyTheLongOptionBecauseMinusHIsTheHost() {
    assertThat(run("--help")).isZero();
    assertThat(lastOut).contains("usage: barman-cloud-backup", "-h/--host HOST", "-J/--jobs", "-S/--max-archive-size",
        "-z/--gzip", "-j/--bzip2", "--snappy", "--zstd", "--lz4", "-n/--name", "--immediate-checkpoint");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-S|abc|'abc' is not a valid size string",
      "--max-bandwidth|0|'0' is not a valid size string",
      "--min-chunk-size|1XB|'1XB' is not a valid size string",
      "-J|0|must be a positive integer",
      "-J|two|invalid int value",
      "-n|latest|reserved word",
      "-n|20261121T230614|backup ID",
      "--snapshot-instance|vm1|snapshot backups",
      "--compression-level|fast|Invalid compression level"})
  void invalidOptionsAreCommandLineErrors(String option, String value, String message) {
    assertThat(run(option, value, "-h", "127.0.0.1", "-p", "1", "file://" + tmp.resolve("s"), "main")).isEqualTo(3);
    assertThat(lastErr).contains(message);
    assertThat(tmp.resolve("s")).doesNotExist();
  }

  @Test
  void compressionsAreMutuallyExclusive() {
    assertThat(run("--gzip", "--zstd", "file://" + tmp, "main")).isEqualTo(3);
    assertThat(lastErr).contains("not allowed with argument");
  }

  @Test
  void anUnreachableServerIsAnOperationFailure() {
    assertThat(run("-h", "127.0.0.1", "-p", "1", "-U", "postgres", "file://" + tmp.resolve("s"), "main")).isEqualTo(1);
    assertThat(lastErr).startsWith("ERROR: Cannot connect to postgres").contains("127.0.0.1").contains("port=1");
    assertThat(tmp.resolve("s")).doesNotExist();
  }

  @Test
  void aMissingSocketDirectoryIsAnOperationFailureNamingTheSocket() {
    assertThat(run("-h", tmp.resolve("nosock").toString(), "-p", "5432", "file://" + tmp.resolve("s"), "main")).isEqualTo(1);
    assertThat(lastErr).contains("Cannot connect to postgres").contains(".s.PGSQL.5432");
  }
}
