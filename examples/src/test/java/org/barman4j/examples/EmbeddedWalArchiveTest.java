package org.barman4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedWalArchiveTest {
  @TempDir Path tmp;

  @Test
  void theRecipeArchivesAndRestoresAnIdenticalSegment() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      EmbeddedWalArchive.main(new String[] {"file://" + tmp});
    } finally {
      System.setOut(saved);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("STORED recipe/wals/0000000100000000/000000010000000000000001.zst")
        .contains("restored 16777216 bytes, identical: true");
  }
}
