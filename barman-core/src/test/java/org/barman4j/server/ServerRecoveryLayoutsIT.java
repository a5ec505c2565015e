package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barman recover} of the two backup layouts with a tablespace on real PostgreSQL 15: plain (the
 * tablespace in {@code base/ID/OID}, relocated with {@code --tablespace}) and tar ({@code base.tar.gz},
 * {@code OID.tar.gz}).
 */
class ServerRecoveryLayoutsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  @Test
  void plainAndTarBackupsWithATablespaceRecoverAndStart() throws Exception {
    ServerCatalogueFixture catalogue = new ServerCatalogueFixture(Files.createDirectories(tmp.resolve("barman")), "pg");
    Path tablespace = Files.createDirectories(tmp.resolve("tbs-origin"));
    try (PostgresCluster origin = PostgresCluster.builder().archiveScript(catalogue.archiveScript()).init()) {
      origin.execute("create tablespace tbs location '" + tablespace + "'");
      origin.execute("create table t(id int) tablespace tbs");
      origin.execute("insert into t select generate_series(1, 1000)");
      BackupInfo plain = catalogue.backup(origin, "plain");
      BackupInfo tar = catalogue.backup(origin, "tar", true);
      origin.execute("insert into t select generate_series(1001, 1500)");
      origin.awaitArchived(origin.switchWal(), TIMEOUT);
      catalogue.archiveIncoming();
      assertThat(plain.tablespaces()).hasSize(1);
      assertThat(catalogue.dirs.backup(tar.backupId()).resolve("data/" + tar.tablespaces().get(0).oid() + ".tar.gz"))
          .exists();

      ServerRecovery recovery = new ServerRecovery(catalogue.dirs, "barman", Clock.systemDefaultZone());
      for (BackupInfo backup : new BackupInfo[] {plain, tar}) {
        String name = backup.backupName().orElseThrow();
        Path dest = tmp.resolve("dest-" + name);
        Path moved = tmp.resolve("tbs-" + name);
        recovery.recover(backup, RecoverOptions.builder(dest).tablespace("tbs", moved).build(), line -> { });
        assertThat(Files.readSymbolicLink(dest.resolve("pg_tblspc/" + backup.tablespaces().get(0).oid())))
            .isEqualTo(moved);
        try (PostgresCluster restored = PostgresCluster.builder().fromBaseBackup(dest)) {
          restored.awaitRecoveryEnd(TIMEOUT);
          assertThat(restored.queryValue("select count(*) from t")).as(name).isEqualTo("1500");
          assertThat(restored.queryValue("select pg_tablespace_location(oid) from pg_tablespace where spcname = 'tbs'"))
              .isEqualTo(moved.toString());
        }
      }
    }
  }
}
