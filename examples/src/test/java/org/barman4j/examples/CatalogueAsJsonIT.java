package org.barman4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CatalogueAsJson} after two backups of a PostgreSQL 15: Python's own JSON parser reads the output
 * and finds both backups, oldest first, DONE.
 */
class CatalogueAsJsonIT {
  private static final String READ_IDS = "import json, sys\n"
      + "for b in json.load(sys.stdin)['backups_list']:\n"
      + "    print(b['backup_id'], b['status'])\n";

  @TempDir Path tmp;

  @Test
  void listsEveryBackupAsJson() throws Exception {
    try (RecipeServer server = RecipeServer.start(tmp.resolve("store"))) {
      String first = server.backUp().info().backupId().toString();
      Thread.sleep(1100); // backup identifiers have a resolution of one second
      String second = server.backUp().info().backupId().toString();

      String json = CatalogueAsJson.json(server.barman);

      assertThat(parse(json)).containsExactly(first + " DONE", second + " DONE");
    }
  }

  private static List<String> parse(String json) throws Exception {
    Process python = new ProcessBuilder("python3", "-c", READ_IDS).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try (OutputStream in = python.getOutputStream()) {
      in.write(json.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).as("python3 parses %s", json).isZero();
    return out.lines().toList();
  }
}
