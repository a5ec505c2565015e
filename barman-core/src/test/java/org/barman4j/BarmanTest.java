package org.barman4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.recovery.BackupChoice;
import org.barman4j.recovery.RecoveryConfig;
import org.barman4j.recovery.RecoveryException;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.RestoreOptions;
import org.barman4j.recovery.RestoreResult;
import org.barman4j.retention.BackupDeleter;
import org.barman4j.retention.RetentionPlan;
import org.barman4j.retention.RetentionPolicy;
import org.barman4j.retention.RetentionStatus;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.memory.InMemoryStorageBackend;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalArchiveContentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarmanTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;
  private final InMemoryStorageBackend backend = new InMemoryStorageBackend();
  private final Barman barman = Barman.builder().backend(backend).serverName("pg").clock(NOW).build();
  private final ServerLayout layout = new ServerLayout("pg");

  /** A DONE backup ending at {@code end}, with a restorable one-part data tar. */
  private BackupId storeBackup(String id, OffsetDateTime end) throws IOException {
    BackupId backupId = BackupId.parse(id);
    BackupInfo info = BackupInfo.builder(backupId).status(BackupStatus.DONE).version(150020).timeline(1)
        .beginTime(end.minusMinutes(5)).endTime(end)
        .beginWal("000000010000000000000002").endWal("000000010000000000000002")
        .beginXlog(Lsn.parse("0/2000028")).endXlog(Lsn.parse("0/2000100")).build();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      addFile(out, "PG_VERSION", "15\n".getBytes(StandardCharsets.US_ASCII));
      addFile(out, "base/1/1259", new byte[300_000]);
      addFile(out, "global/pg_control", new byte[8192]);
    }
    backend.put(layout.backupPrefix(backupId) + "data.tar", tar.toByteArray(), PutOptions.DEFAULT);
    new BackupCatalog(backend, layout).write(info);
    return backupId;
  }

  private static void addFile(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    entry.setMode(0600);
    out.putArchiveEntry(entry);
    out.write(content);
    out.closeArchiveEntry();
  }

  private static OffsetDateTime day(int day) {
    return OffsetDateTime.of(2026, 12, day, 10, 0, 0, 0, ZoneOffset.UTC);
  }

  /** Records what it hears; thread-safe, as listeners must be. */
  private static final class Recorder implements BarmanListener {
    final List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void progress(Progress p) {
      progress.add(p);
    }

    @Override
    public void deletingBackup(BackupId backupId, List<String> keys, boolean dryRun) {
      events.add((dryRun ? "would delete " : "delete ") + backupId);
    }

    @Override
    public void warning(String message) {
      events.add("warning " + message);
    }
  }

  @Test
  void listShowAndChooseReadTheCatalogue() throws IOException {
    storeBackup("20261201T100000", day(1));
    storeBackup("20261202T100000", day(2));

    assertThat(barman.list().backups()).extracting(b -> b.backupId().value())
        .containsExactly("20261201T100000", "20261202T100000");
    assertThat(barman.show("oldest").backupId().value()).isEqualTo("20261201T100000");
    assertThat(barman.choose(BackupChoice.latest()).backupId().value()).isEqualTo("20261202T100000");
    RecoveryTarget beforeSecond = RecoveryTarget.parseTime("2026-12-01 12:00:00+00", ZoneOffset.UTC);
    assertThat(barman.choose(BackupChoice.newestReaching(beforeSecond)).backupId().value())
        .isEqualTo("20261201T100000");
    assertThatThrownBy(() -> barman.show("20261130T100000")).isInstanceOf(BackupNotFoundException.class);
  }

  @Test
  void restoreChoosesByTheRecoveryTargetReportsProgressAndWritesTheConfiguration() throws IOException {
    storeBackup("20261201T100000", day(1));
    storeBackup("20261202T100000", day(2));
    RecoveryTarget target = RecoveryTarget.parseTime("2026-12-01 12:00:00+00", ZoneOffset.UTC);
    Path dest = tmp.resolve("pgdata");
    Recorder recorder = new Recorder();

    RestoreResult result = barman.restore(BackupChoice.of("auto"),
        RestoreOptions.into(dest).withRecovery(RecoveryConfig.of("cp /archive/%f %p").withTarget(target)), recorder);

    assertThat(result.backupId().value()).as("the configuration's target chose").isEqualTo("20261201T100000");
    assertThat(Files.size(dest.resolve("base/1/1259"))).isEqualTo(300_000);
    assertThat(dest.resolve("recovery.signal")).exists();
    assertThat(Files.readString(dest.resolve("postgresql.auto.conf"))).contains("cp /archive/%f %p");
    assertThat(recorder.progress).extracting(Progress::phase).startsWith(Progress.Phase.STARTING)
        .contains(Progress.Phase.COPYING, Progress.Phase.FINISHING).endsWith(Progress.Phase.DONE);
    Progress last = recorder.progress.get(recorder.progress.size() - 1);
    assertThat(last.job()).isEqualTo(Progress.Job.RESTORE);
    assertThat(last.bytesTotal()).isPresent();
    assertThat(last.bytesDone()).isEqualTo(last.bytesTotal().getAsLong()).isPositive();
    assertThat(last.parts()).isEqualTo(1);
    assertThat(last.files()).as("PG_VERSION, 1259, pg_control").isEqualTo(3);
    assertThat(last.fraction()).hasValue(1.0);
  }

  @Test
  void aTargetBeforeTheChosenBackupIsRefusedBeforeAnythingIsWritten() throws IOException {
    storeBackup("20261202T100000", day(2));
    RecoveryTarget early = RecoveryTarget.parseTime("2026-12-01 12:00:00+00", ZoneOffset.UTC);
    Path dest = tmp.resolve("pgdata");

    assertThatThrownBy(() -> barman.restore(BackupChoice.latest(),
        RestoreOptions.into(dest).withRecovery(RecoveryConfig.of("true").withTarget(early))))
        .isInstanceOf(RecoveryException.class).hasMessageContaining("before the end of backup");
    assertThat(dest).doesNotExist();
  }

  @Test
  void keepReleaseAndKeepStatus() throws IOException {
    storeBackup("20261201T100000", day(1));

    assertThat(barman.keepStatus("latest")).isEmpty();
    barman.keep("latest", KeepTarget.STANDALONE);
    assertThat(barman.keepStatus("20261201T100000")).contains(KeepTarget.STANDALONE);
    barman.release("latest");
    assertThat(barman.keepStatus("latest")).isEmpty();
    assertThatThrownBy(() -> barman.release("20261130T100000")).isInstanceOf(BackupNotFoundException.class);
  }

  @Test
  void theRetentionPlanDeletesNothingAndEnforcingDeletesExactlyTheObsoleteBackups() throws IOException {
    BackupId first = storeBackup("20261201T100000", day(1));
    BackupId second = storeBackup("20261202T100000", day(2));
    BackupId third = storeBackup("20261203T100000", day(3));
    RetentionPolicy policy = RetentionPolicy.parse("REDUNDANCY 2");

    RetentionPlan plan = barman.planRetention(policy, 0);
    assertThat(plan.obsolete()).containsExactly(first);
    assertThat(plan.status(third)).isEqualTo(RetentionStatus.VALID);
    assertThat(barman.list().backups()).hasSize(3);

    Recorder dryRun = new Recorder();
    barman.enforceRetention(policy, BackupDeleter.Options.DEFAULT.withDryRun(true), dryRun);
    assertThat(dryRun.events).containsExactly("would delete " + first);
    assertThat(barman.list().backups()).hasSize(3);

    Recorder recorder = new Recorder();
    BackupDeleter.Outcome outcome = barman.enforceRetention(policy, BackupDeleter.Options.DEFAULT, recorder);
    assertThat(outcome.deleted()).containsExactly(first);
    assertThat(barman.list().backups()).extracting(BackupInfo::backupId).containsExactly(second, third);
    assertThat(recorder.progress).extracting(Progress::phase).contains(Progress.Phase.DELETING)
        .endsWith(Progress.Phase.DONE);
    assertThat(recorder.progress.get(recorder.progress.size() - 1).files()).isEqualTo(1);
  }

  @Test
  void deleteRemovesOneBackupAndHonoursTheMinimumRedundancy() throws IOException {
    BackupId first = storeBackup("20261201T100000", day(1));
    storeBackup("20261202T100000", day(2));

    assertThatThrownBy(() -> barman.delete("oldest", BackupDeleter.Options.DEFAULT.withMinimumRedundancy(2),
        BarmanListener.NONE)).hasMessageContaining("minimum redundancy");
    BackupDeleter.Outcome outcome = barman.delete("oldest", BackupDeleter.Options.DEFAULT, BarmanListener.NONE);

    assertThat(outcome.deleted()).containsExactly(first);
    assertThat(barman.list().backups()).hasSize(1);
  }

  @Test
  void theWalArchiveCheckFailsOnceWalIsStored() throws IOException {
    barman.checkWalArchive();
    backend.put(layout.wal().key(org.barman4j.wal.WalFileName.parse("000000020000000000000003"),
        org.barman4j.compress.Compression.NONE), new byte[16], PutOptions.DEFAULT);

    assertThatThrownBy(barman::checkWalArchive).isInstanceOf(WalArchiveContentException.class);
    assertThatThrownBy(() -> barman.checkWalArchive(2)).isInstanceOf(WalArchiveContentException.class);
    barman.checkWalArchive(3);
  }

  @Test
  void newBuilderDerivesAnInstanceForAnotherServerOnTheSameStorage() throws IOException {
    storeBackup("20261201T100000", day(1));

    Barman other = barman.newBuilder().serverName("other").build();

    assertThat(other.serverName()).isEqualTo("other");
    assertThat(other.storage()).isSameAs(backend);
    assertThat(other.list().backups()).isEmpty();
    assertThat(barman.list().backups()).hasSize(1);
  }

  @Test
  void aWalRestoreCommandNeedsAStorageUrl() throws IOException {
    Path home = tmp.resolve("home");
    Path program = Files.createDirectories(home.resolve("bin")).resolve("barman-cloud-wal-restore");
    Files.writeString(program, "#!/bin/sh\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> barman.walRestoreCommand(home)).isInstanceOf(BarmanConfigurationException.class)
        .hasMessageContaining("given as a backend");
  }

  @Test
  void theWalRestoreCommandRunsTheInstalledToolWithTheUrlAndTheStorageOptions() throws IOException {
    Path home = tmp.resolve("barman4j home");
    Path program = Files.createDirectories(home.resolve("bin")).resolve("barman-cloud-wal-restore");
    Files.writeString(program, "#!/bin/sh\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));

    try (Barman byUrl = Barman.builder().url("mem://bucket/x%y").serverName("pg")
        .property("storage.provider", "memory").build()) {
      assertThat(byUrl.walRestoreCommand(home))
          .isEqualTo("'" + program + "' --cloud-provider memory mem://bucket/x%%y pg %f %p");
      assertThatThrownBy(() -> byUrl.walRestoreCommand(tmp.resolve("nowhere")))
          .isInstanceOf(BarmanConfigurationException.class).hasMessageContaining("is not executable");
    }
  }

  @Test
  void buildListsEveryProblemAtOnce() {
    assertThatThrownBy(() -> Barman.builder().build()).isInstanceOf(BarmanConfigurationException.class)
        .hasMessage("Invalid Barman settings: no server name; no storage url or backend");
  }
}
