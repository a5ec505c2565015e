package org.barman4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.barman4j.wal.StoredWal;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveAndRestoreWal} as a real PostgreSQL 15's {@code archive_command}: every segment it archived
 * restores byte for byte identical to the server's {@code pg_wal}, and a segment never archived is exit 1.
 */
class ArchiveAndRestoreWalIT {
  @TempDir Path tmp;

  @Test
  void segmentsArchivedByPostgresRestoreIdentical() throws Exception {
    try (RecipeServer server = RecipeServer.start(tmp.resolve("store"), "wal_keep_size = 1GB")) {
      server.cluster.execute("create table t as select g, repeat('x', 200) as pad from generate_series(1, 20000) g");
      server.archiveCurrentWal();
      server.cluster.execute("update t set pad = 'y'");
      server.archiveCurrentWal();

      List<StoredWal> segments = server.barman.wal().list().stream()
          .filter(stored -> stored.wal().type() == WalFileName.Type.SEGMENT).toList();
      assertThat(segments).hasSizeGreaterThanOrEqualTo(2)
          .allSatisfy(stored -> assertThat(stored.key()).endsWith(".zst"));
      for (StoredWal stored : segments) {
        Path restored = tmp.resolve("RECOVERYXLOG");
        ArchiveAndRestoreWal.restore(server.barman, stored.wal().name(), restored);
        assertThat(Files.mismatch(server.cluster.dataDir().resolve("pg_wal").resolve(stored.wal().name()), restored))
            .as("%s restored byte for byte", stored.wal().name()).isEqualTo(-1L);
        Files.delete(restored);
      }

      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Path absent = tmp.resolve("absent");
      int exit = ArchiveAndRestoreWal.run(new String[] {"restore", server.url, RecipeServer.SERVER,
          "0000000100000000000000FF", absent.toString()}, new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(exit).as("a WAL file never archived").isEqualTo(1);
      assertThat(err.size()).isZero();
      assertThat(absent).doesNotExist();
    }
  }
}
