package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability with Debian's command-line tools (packages gzip, bzip2, xz-utils, zstd, lz4), which
 * must be installed: these tests fail rather than skip without them.
 */
class CommandLineInteropTest {
  /** Just over one 4 MiB LZ4 block, so that frames hold more than one block. */
  private static final byte[] DATA = TestData.mixed((4 << 20) + 1000, 31);

  private static final Map<Compression, String> TOOLS = Map.of(Compression.GZIP, "gzip",
      Compression.BZIP2, "bzip2", Compression.XZ, "xz", Compression.ZSTD, "zstd", Compression.LZ4, "lz4");
  private static final Map<String, String> PACKAGES = Map.of("gzip", "gzip", "bzip2", "bzip2",
      "xz", "xz-utils", "zstd", "zstd", "lz4", "lz4");

  @TempDir
  Path dir;

  static Stream<Arguments> toolCodecsAtEveryNamedLevel() {
    List<Arguments> arguments = new ArrayList<>();
    for (Compression c : List.of(Compression.GZIP, Compression.BZIP2, Compression.XZ, Compression.ZSTD,
        Compression.LZ4)) {
      for (CompressionLevel level : List.of(CompressionLevel.LOW, CompressionLevel.MEDIUM, CompressionLevel.HIGH)) {
        arguments.add(Arguments.of(c, level));
      }
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("toolCodecsAtEveryNamedLevel")
  void ourOutputDecompressesWithTheCommandLineTool(Compression c, CompressionLevel level) throws Exception {
    Path compressed = dir.resolve("data" + c.suffix());
    try (OutputStream out = c.compress(Files.newOutputStream(compressed), level)) {
      out.write(DATA);
    }
    Path restored = dir.resolve("restored");
    run(compressed, restored, tool(c), "-d", "-c");
    assertThat(Files.readAllBytes(restored)).isEqualTo(DATA);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "XZ", "ZSTD", "LZ4"})
  void ourEmptyOutputDecompressesWithTheCommandLineTool(Compression c) throws Exception {
    Path compressed = dir.resolve("empty" + c.suffix());
    Files.write(compressed, TestData.compress(c, CompressionLevel.MEDIUM, new byte[0]));
    Path restored = dir.resolve("restored");
    run(compressed, restored, tool(c), "-d", "-c");
    assertThat(Files.readAllBytes(restored)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "XZ", "ZSTD", "LZ4"})
  void commandLineOutputAtDefaultFastestAndBestLevelsDecompressesWithOurs(Compression c) throws Exception {
    for (String levelFlag : List.of("-6", "-1", "-9")) {
      Path compressed = dir.resolve("tool" + levelFlag + c.suffix());
      run(input(), compressed, tool(c), "-c", levelFlag);
      assertThat(decompress(c, compressed)).as(levelFlag).isEqualTo(DATA);
    }
    Path compressed = dir.resolve("tool-default" + c.suffix());
    run(input(), compressed, tool(c), "-c");
    assertThat(decompress(c, compressed)).isEqualTo(DATA);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "XZ", "ZSTD", "LZ4"})
  void concatenatedCommandLineOutputDecompressesWithOurs(Compression c) throws Exception {
    Path first = dir.resolve("first" + c.suffix());
    Path second = dir.resolve("second" + c.suffix());
    run(input(), first, tool(c), "-c");
    Path small = dir.resolve("small");
    Files.write(small, "the second part\n".getBytes(StandardCharsets.US_ASCII));
    run(small, second, tool(c), "-c");
    Path both = dir.resolve("both" + c.suffix());
    Files.write(both, TestData.concat(Files.readAllBytes(first), Files.readAllBytes(second)));
    assertThat(decompress(c, both)).isEqualTo(TestData.concat(DATA, Files.readAllBytes(small)));
  }

  @Test
  void emptyCommandLineOutputDecompressesWithOurs() throws Exception {
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    for (Compression c : TOOLS.keySet()) {
      Path compressed = dir.resolve("empty" + c.suffix());
      run(empty, compressed, tool(c), "-c");
      assertThat(decompress(c, compressed)).as(c.id()).isEmpty();
    }
  }

  /**
   * Python's lz4.frame, which Barman uses, writes linked 64 KiB blocks and the content size by default:
   * {@code -BD -B4 --content-size} makes the lz4 tool write the same layout.
   */
  @ParameterizedTest
  @ValueSource(strings = {"-BD -B4 --content-size", "-BD -B4", "-BD -B5 -BX", "-BD --no-frame-crc",
      "-B4 -BX --content-size", "-B6 --no-frame-crc", "-BD -B4 -9", "--favor-decSpeed -12"})
  void lz4FramesInEveryLayoutTheToolWritesDecompressWithOurs(String options) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool(Compression.LZ4), "-c", "-q"));
    command.addAll(List.of(options.split(" ")));
    // --content-size needs a file argument: the size of standard input is unknown
    command.add(input().toString());
    Path compressed = dir.resolve("layout.lz4");
    run(null, compressed, command.toArray(String[]::new));
    assertThat(decompress(Compression.LZ4, compressed)).isEqualTo(DATA);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--no-check", "-T2 -19", "--no-content-size", "--ultra -20"})
  void zstdFramesInOtherLayoutsTheToolWritesDecompressWithOurs(String options) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool(Compression.ZSTD), "-c", "-q"));
    command.addAll(List.of(options.split(" ")));
    Path compressed = dir.resolve("layout.zst");
    run(input(), compressed, command.toArray(String[]::new));
    assertThat(decompress(Compression.ZSTD, compressed)).isEqualTo(DATA);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--check=none", "--check=crc32", "--check=sha256", "-T2 --block-size=1MiB"})
  void xzStreamsInOtherLayoutsTheToolWritesDecompressWithOurs(String options) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool(Compression.XZ), "-c", "-q"));
    command.addAll(List.of(options.split(" ")));
    Path compressed = dir.resolve("layout.xz");
    run(input(), compressed, command.toArray(String[]::new));
    assertThat(decompress(Compression.XZ, compressed)).isEqualTo(DATA);
  }

  @Test
  void gzipWithTheOriginalFileNameInItsHeaderDecompressesWithOurs() throws Exception {
    Path named = Files.write(dir.resolve("000000010000000000000001"), DATA);
    run(null, dir.resolve("ignored"), tool(Compression.GZIP), "-k", "-N", named.toString());
    assertThat(decompress(Compression.GZIP, dir.resolve("000000010000000000000001.gz"))).isEqualTo(DATA);
  }

  private Path input() throws IOException {
    Path input = dir.resolve("input");
    if (!Files.exists(input)) {
      Files.write(input, DATA);
    }
    return input;
  }

  private static byte[] decompress(Compression c, Path file) throws IOException {
    try (InputStream in = c.decompress(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  private static String tool(Compression c) {
    String name = TOOLS.get(c);
    for (String directory : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      Path candidate = Path.of(directory, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("The " + name + " command is missing: install the Debian package " + PACKAGES.get(name)
        + " (apt-get install -y gzip bzip2 xz-utils zstd lz4)");
  }

  /** Runs command with stdin from {@code stdin} (or nothing) and stdout to {@code stdout}. */
  private void run(Path stdin, Path stdout, String... command) throws Exception {
    Path stderr = dir.resolve("stderr");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    } else {
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " timed out");
    }
    if (process.exitValue() != 0) {
      fail(String.join(" ", command) + " exited with " + process.exitValue() + ": "
          + Files.readString(stderr, StandardCharsets.UTF_8));
    }
  }
}
