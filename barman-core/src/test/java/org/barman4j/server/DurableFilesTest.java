package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

  @TempDir Path dir;

  @Test
  void replacesTheFileAndLeavesNoTemporaryFile() throws Exception {
    Path target = dir.resolve("backup.info");
    Files.writeString(target, "old");
    DurableFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));
    assertThat(target).hasContent("new");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aMissingDirectoryFailsWithoutCreatingAnything() {
    Path target = dir.resolve("missing/identity.json");
    assertThatThrownBy(() -> DurableFiles.write(target, new byte[0])).isInstanceOf(NoSuchFileException.class);
    assertThat(dir.resolve("missing")).doesNotExist();
  }
}
