package org.barman4j.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.barman4j.BarmanListener;
import org.barman4j.Progress;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.catalog.Tablespace;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.postgres.PostgresException;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.memory.InMemoryStorageBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole backup against a fake server (a data directory on disk) and the in-memory storage. */
class BaseBackupTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T23:06:14Z"), ZoneOffset.UTC);
  private static final BackupId ID = new BackupId("20261121T230614");
  private static final ServerLayout LAYOUT = new ServerLayout("main");

  @TempDir Path tmp;
  private final InMemoryStorageBackend backend = new InMemoryStorageBackend();
  private Path pgdata;
  private FakeSession session;

  @BeforeEach
  void setUp() throws IOException {
    pgdata = Files.createDirectories(tmp.resolve("pgdata"));
    write(pgdata, "PG_VERSION", "15\n".getBytes());
    write(pgdata, "postgresql.conf", "port = 5432\n".getBytes());
    write(pgdata, "pg_hba.conf", "local all all trust\n".getBytes());
    write(pgdata, "postmaster.pid", "123\n".getBytes());
    write(pgdata, "global/pg_control", new byte[8192]);
    write(pgdata, "global/1262", new byte[8192]);
    for (int i = 0; i < 20; i++) {
      write(pgdata, "base/5/" + (16384 + i), new byte[40_000 + i]);
    }
    write(pgdata, "pg_wal/000000010000000000000001", new byte[1000]);
    session = new FakeSession(pgdata);
  }

  @AfterEach
  void noStreamLeftOpen() {
    backend.checkNoOpenStreams();
  }

  private static void write(Path root, String rel, byte[] content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
  }

  private BaseBackup backup(BackupOptions options) {
    return new BaseBackup(backend, LAYOUT, options, CLOCK);
  }

  private List<String> keys() throws IOException {
    List<String> keys = new ArrayList<>();
    for (ObjectInfo o : StorageBackends.listAll(backend, "main/")) {
      keys.add(o.key());
    }
    return keys;
  }

  private BackupInfo storedInfo() throws IOException {
    try (InputStream in = backend.read(LAYOUT.backupInfoKey(ID), ByteRange.ALL)) {
      return BackupInfoFormat.read(ID, in.readAllBytes());
    }
  }

  private List<String> members(String key, Compression compression, List<byte[]> contents) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream raw = backend.read(key, ByteRange.ALL);
        TarArchiveInputStream tar = new TarArchiveInputStream(compression.decompress(raw), "UTF-8")) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName());
        contents.add(tar.readAllBytes());
      }
    }
    return names;
  }

  @Test
  void aBackupStoresItsTarsAndThenADoneBackupInfoInBarmansLayout() throws Exception {
    Path ts = Files.createDirectories(tmp.resolve("ts1"));
    write(ts, "PG_15_202209061/5/16390", new byte[5000]);
    write(ts, "PG_15_202209061/5/t4_16391", new byte[100]);
    Files.createDirectories(pgdata.resolve("pg_tblspc"));
    Files.createSymbolicLink(pgdata.resolve("pg_tblspc/16389"), ts);
    session.tablespaces = List.of(new Tablespace("ts1", 16389, ts.toString()));
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    write(etc, "main.conf", "shared_buffers = 128MB\n".getBytes());
    session.configFile = Optional.of(etc.resolve("main.conf").toString());
    session.identFile = Optional.of(etc.resolve("missing_ident.conf").toString());

    BackupResult result = backup(BackupOptions.DEFAULT.withCompression(Compression.GZIP, CompressionLevel.MEDIUM)
        .withImmediateCheckpoint(true).withName("nightly").withTags(Map.of("team", "db"))).run(session);

    assertThat(keys()).containsExactly(
        "main/base/20261121T230614/16389.tar.gz",
        "main/base/20261121T230614/backup.info",
        "main/base/20261121T230614/data.tar.gz");
    assertThat(session.calls).containsExactly(
        "start Barman backup cloud 20261121T230614 true", "stop", "restore point barman_20261121T230614");

    List<byte[]> contents = new ArrayList<>();
    List<String> data = members("main/base/20261121T230614/data.tar.gz", Compression.GZIP, contents);
    assertThat(data.get(0)).isEqualTo("./");
    assertThat(data).contains("./PG_VERSION", "./pg_hba.conf", "./postgresql.conf", "base/5/16384", "global/1262",
        "pg_tblspc/", "pg_wal/");
    assertThat(data).doesNotContain("./postmaster.pid", "pg_wal/000000010000000000000001", "pg_tblspc/16389");
    assertThat(data.subList(data.size() - 3, data.size())).containsExactly("global/pg_control", "main.conf", "backup_label");
    assertThat(new String(contents.get(contents.size() - 1))).isEqualTo(FakeSession.LABEL);
    assertThat(members("main/base/20261121T230614/16389.tar.gz", Compression.GZIP, new ArrayList<>()))
        .containsExactly("PG_15_202209061/", "PG_15_202209061/5/", "PG_15_202209061/5/16390");

    BackupInfo info = storedInfo();
    assertThat(info.status()).isEqualTo(BackupStatus.DONE);
    assertThat(info.serverName()).contains("cloud");
    assertThat(info.backupName()).contains("nightly");
    assertThat(info.mode()).isEmpty();
    assertThat(info.compression()).isEmpty();
    assertThat(info.beginXlog()).hasValueSatisfying(l -> assertThat(l).hasToString("0/2000028"));
    assertThat(info.beginWal()).contains("000000010000000000000002");
    assertThat(info.beginOffset()).hasValue(0x28);
    assertThat(info.endXlog()).hasValueSatisfying(l -> assertThat(l).hasToString("0/3000138"));
    assertThat(info.endWal()).contains("000000010000000000000003");
    assertThat(info.endOffset()).hasValue(0x138);
    assertThat(info.timeline()).hasValue(1);
    assertThat(info.systemId()).contains("7710763581913052314");
    assertThat(info.version()).hasValue(150020);
    assertThat(info.xlogSegmentSize()).isEqualTo(16L << 20);
    assertThat(info.pgdata()).contains(pgdata.toString());
    assertThat(info.configFile()).contains(etc.resolve("main.conf").toString());
    assertThat(info.tablespaces()).containsExactly(new Tablespace("ts1", 16389, ts.toString()));
    assertThat(info.backupLabel()).contains(FakeSession.LABEL);
    assertThat(info.copyStats()).hasValueSatisfying(s -> assertThat(s)
        .contains("'number_of_workers': 2", "'copy_time_per_item': {'16389': ", "'data': "));
    assertThat(info.error()).isEmpty();
    assertThat(info).isEqualTo(result.info());
    String text;
    try (InputStream in = backend.read(LAYOUT.backupInfoKey(ID), ByteRange.ALL)) {
      text = new String(in.readAllBytes());
    }
    assertThat(text).contains("begin_time=2026-11-21 23:06:14.068415+00:00\n", "server_name=cloud\n", "status=DONE\n");
    for (String line : text.split("\n")) {
      assertThat(BackupInfoFormat.barman34Keys()).contains(line.substring(0, line.indexOf('=')));
    }
    assertThat(result.bytesRead()).isGreaterThan(800_000);
    assertThat(result.objects()).hasSize(2);
  }

  @Test
  void progressGoesThroughEveryPhaseCountingFilesBytesAndParts() throws Exception {
    List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
    BarmanListener listener = new BarmanListener() {
      @Override
      public void progress(Progress progress) {
        seen.add(progress);
      }
    };

    BackupResult result = backup(BackupOptions.DEFAULT.withMaxArchiveSize(150_000).withJobs(1)).run(session, listener);

    assertThat(seen).extracting(Progress::phase).startsWith(Progress.Phase.STARTING)
        .contains(Progress.Phase.COPYING, Progress.Phase.STOPPING, Progress.Phase.FINISHING)
        .endsWith(Progress.Phase.DONE);
    assertThat(seen).allMatch(p -> p.job() == Progress.Job.BACKUP);
    Progress last = seen.get(seen.size() - 1);
    assertThat(last.bytesTotal()).hasValue(1_000_000);
    assertThat(last.files()).as("PG_VERSION, configuration, pg_control, 1262 and 20 relation files").isGreaterThan(20);
    assertThat(last.bytesDone()).isGreaterThanOrEqualTo(20 * 40_000).isLessThanOrEqualTo(result.bytesRead());
    assertThat(last.parts()).as("the data tar is split").isGreaterThan(1)
        .isEqualTo(result.objects().stream().filter(o -> o.key().contains(".tar")).count());
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i).bytesDone()).as("bytes never go back").isGreaterThanOrEqualTo(seen.get(i - 1).bytesDone());
    }
  }

  @Test
  void aSmallMaximumArchiveSizeSplitsTheDataTarIntoNumberedParts() throws Exception {
    backup(BackupOptions.DEFAULT.withMaxArchiveSize(150_000).withJobs(1)).run(session);
    List<String> keys = keys();
    assertThat(keys).contains("main/base/20261121T230614/data.tar", "main/base/20261121T230614/data_0001.tar",
        "main/base/20261121T230614/data_0002.tar", "main/base/20261121T230614/backup.info");
    List<String> all = new ArrayList<>();
    for (String key : keys) {
      if (key.contains(".tar")) {
        List<String> names = members(key, Compression.NONE, new ArrayList<>());
        assertThat(names).as(key).isNotEmpty();
        all.addAll(names);
        assertThat(backend.stat(key).orElseThrow().size()).as(key).isLessThan(150_000 + 60_000);
      }
    }
    assertThat(all.get(all.size() - 1)).isEqualTo("backup_label");
    assertThat(all).contains("base/5/16384", "base/5/16403", "global/pg_control").doesNotHaveDuplicates();
  }

  @Test
  void aFailedCommitLeavesAFailedBackupInfoAndNoTar() throws Exception {
    backend.failNext("commit", new IOException("injected: bucket went away"));
    assertThatThrownBy(() -> backup(BackupOptions.DEFAULT.withCompression(Compression.ZSTD, CompressionLevel.LOW)).run(session))
        .isInstanceOf(BackupFailedException.class)
        .hasMessageContaining("failure uploading data (")
        .hasMessageContaining("injected: bucket went away");
    assertThat(keys()).containsExactly("main/base/20261121T230614/backup.info");
    BackupInfo info = storedInfo();
    assertThat(info.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(info.error()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("failure uploading data (").contains("injected: bucket went away").endsWith(")"));
    assertThat(session.backupInProgress()).isFalse();
  }

  @Test
  void aFailedWriteMidwayAbortsTheUploadAndStopsTheBackupOnTheServer() throws Exception {
    backend.failNext("write", new IOException("injected: connection reset"));
    assertThatThrownBy(() -> backup(BackupOptions.DEFAULT).run(session))
        .isInstanceOf(BackupFailedException.class)
        .hasMessageContaining("injected: connection reset");
    assertThat(keys()).containsExactly("main/base/20261121T230614/backup.info");
    assertThat(storedInfo().status()).isEqualTo(BackupStatus.FAILED);
    assertThat(session.calls).contains("stop");
    assertThat(session.backupInProgress()).isFalse();
  }

  @Test
  void aServerErrorAtStopIsRecordedAsAFailedBackupWithoutItsDataTar() throws Exception {
    session.failOnStop = new PostgresException("Stopping the backup failed: ERROR:  backup is not in progress");
    assertThatThrownBy(() -> backup(BackupOptions.DEFAULT).run(session))
        .isInstanceOf(BackupFailedException.class);
    assertThat(keys()).containsExactly("main/base/20261121T230614/backup.info");
    BackupInfo info = storedInfo();
    assertThat(info.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(info.error()).contains("failure uploading data (Stopping the backup failed: ERROR:  backup is not in progress)");
    assertThat(info.endWal()).isEmpty();
  }

  @Test
  void aFailureAfterATablespaceTarKeepsOnlyCompleteTarsAndRecordsTheFailure() throws Exception {
    Path ts = Files.createDirectories(tmp.resolve("ts1"));
    write(ts, "PG_15_202209061/5/16390", new byte[300_000]);
    session.tablespaces = List.of(new Tablespace("ts1", 16389, ts.toString()));
    session.failOnStop = new PostgresException("connection lost");
    assertThatThrownBy(() -> backup(BackupOptions.DEFAULT).run(session)).isInstanceOf(BackupFailedException.class);
    // The tablespace's tar is uploaded by the pipeline's writer while the data directory is read: on a busy
    // machine its upload may still be going on when the stop fails, and is then aborted. Either way no
    // incomplete tar may stay.
    List<String> keys = keys();
    assertThat(keys).contains("main/base/20261121T230614/backup.info")
        .isSubsetOf("main/base/20261121T230614/16389.tar", "main/base/20261121T230614/backup.info");
    if (keys.contains("main/base/20261121T230614/16389.tar")) {
      assertThat(members("main/base/20261121T230614/16389.tar", Compression.NONE, new ArrayList<>()))
          .containsExactly("PG_15_202209061/", "PG_15_202209061/5/", "PG_15_202209061/5/16390");
    }
    assertThat(storedInfo().status()).isEqualTo(BackupStatus.FAILED);
  }

  @Test
  void aServerThatCannotDescribeItselfLeavesNothingBehind() throws Exception {
    session.failOnServerInfo = new PostgresException("Reading the server settings failed: permission denied");
    assertThatThrownBy(() -> backup(BackupOptions.DEFAULT).run(session)).isInstanceOf(PostgresException.class);
    assertThat(keys()).isEmpty();
    assertThat(session.calls).isEmpty();
  }

  @Test
  void aMissingDataDirectoryFailsTheBackup() throws Exception {
    FakeSession elsewhere = new FakeSession(tmp.resolve("not-here"));
    assertThatThrownBy(() -> backup(BackupOptions.DEFAULT).run(elsewhere))
        .isInstanceOf(BackupFailedException.class).hasMessageContaining("not-here");
    assertThat(keys()).containsExactly("main/base/20261121T230614/backup.info");
    assertThat(elsewhere.calls).containsExactly("start Barman backup cloud 20261121T230614 false", "stop");
  }

  @Test
  void namesThatBarmanRefusesAreRefused() {
    for (String bad : new String[] {"", "latest", "last-failed", "auto", "20261121T230614", "x20261121T230614"}) {
      assertThatThrownBy(() -> BackupOptions.checkName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    BackupOptions.checkName("nightly-2026");
  }

  @Test
  void theChunkSizeShrinksAsJobsGrowToKeepMemoryBounded() {
    assertThat(BaseBackup.chunkSize(1)).isEqualTo(4 << 20);
    assertThat(BaseBackup.chunkSize(2)).isEqualTo(4 << 20);
    assertThat((long) BaseBackup.chunkSize(16) * 2 * (2 * 16 + 1)).isLessThanOrEqualTo(96L << 20);
    assertThat(BaseBackup.chunkSize(1000)).isEqualTo(256 * 1024);
  }
}
