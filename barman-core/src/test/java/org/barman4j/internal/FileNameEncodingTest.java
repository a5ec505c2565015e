package org.barman4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test JVMs run under C.UTF-8 whatever the build's locale (the parent pom): non-ASCII names work and no
 * failure gets the encoding hint. The hint itself, in a JVM under the C locale, is proven by CLocaleIT.
 */
class FileNameEncodingTest {
  @TempDir Path tmp;

  @Test
  void theTestJvmReadsAndWritesNonAsciiFileNamesWhateverTheBuildsLocale() throws Exception {
    assertThat(FileNameEncoding.isUtf8()).as("sun.jnu.encoding=%s", FileNameEncoding.name()).isTrue();
    Path dir = Files.createDirectories(tmp.resolve("données/tbs_é"));
    Files.writeString(dir.resolve("notes_é.txt"), "x");
    try (var names = Files.list(dir)) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("notes_é.txt");
    }
  }

  @Test
  void aUtf8JvmAddsNothingToAFailure() {
    UncheckedIOException failure = new UncheckedIOException("WAL file not found: pg_wal/x",
        new NoSuchFileException(tmp.resolve("données/pg_wal/x").toString()));
    assertThat(FileNameEncoding.explain(failure)).isSameAs(failure);
    assertThat(FileNameEncoding.hint(failure)).isEmpty();
    assertThat(FileNameEncoding.hint(tmp.resolve("données"))).isEmpty();
  }
}
