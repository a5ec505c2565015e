package org.barman4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.config.ServerConfig;
import org.barman4j.server.ServerDirectories;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of a server backup: Barman's wording, the backup label, compression rules, the WAL check. */
class BackupHelpersTest {

  private static final String LABEL = "START WAL LOCATION: 0/8000028 (file 000000010000000000000008)\n"
      + "CHECKPOINT LOCATION: 0/8000060\nBACKUP METHOD: streamed\nBACKUP FROM: primary\n"
      + "START TIME: 2026-12-03 18:06:55 UTC\nLABEL: pg_basebackup base backup\nSTART TIMELINE: 1\n";

  @TempDir Path tmp;

  @Test
  void aTreeIsDeletedWithoutFollowingItsLinks() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "kept");
    Path tree = Files.createDirectories(tmp.resolve("tree/base/sub"));
    Files.writeString(tree.resolve("file"), "x");
    Files.createSymbolicLink(tree.resolve("link"), outside);
    BackupFiles.deleteTree(tmp.resolve("tree"));
    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside.resolve("keep.txt")).hasContent("kept");
    BackupFiles.deleteTree(tmp.resolve("tree")); // a missing tree is fine
  }

  @Test
  void theBackupLabelIsParsedAndFoundInACompressedTar() throws Exception {
    BackupLabel label = BackupLabel.parse(LABEL, "20261203T180654");
    assertThat(label.startLocation()).isEqualTo(Lsn.parse("0/8000028"));
    assertThat(label.startWal()).isEqualTo("000000010000000000000008");
    assertThat(label.startTime()).isEqualTo("2026-12-03 18:06:55 UTC");
    assertThatThrownBy(() -> BackupLabel.parse("garbage", "20261203T180654"))
        .hasMessage("Failure parsing backup_label for backup 20261203T180654");

    for (Compression c : new Compression[] {Compression.GZIP, Compression.LZ4, Compression.ZSTD}) {
      Path tar = tmp.resolve("base.tar." + c.id());
      try (OutputStream out = c.compress(Files.newOutputStream(tar), CompressionLevel.LOW);
          TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
        for (String name : new String[] {"PG_VERSION", "backup_label"}) {
          byte[] content = (name.equals("PG_VERSION") ? "15\n" : LABEL).getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry e = new TarArchiveEntry(name);
          e.setSize(content.length);
          t.putArchiveEntry(e);
          t.write(content);
          t.closeArchiveEntry();
        }
      }
      assertThat(BackupLabel.readFromTar(tar, c)).as(c.id()).isEqualTo(LABEL);
    }
  }

  @Test
  void compressionSettingsAreCheckedAndPassedAsBarmanDoes() {
    PgClientVersion v15 = PgClientVersion.parse("pg_basebackup 15.18").orElseThrow();
    PgClientVersion v14 = PgClientVersion.parse("pg_basebackup 14.9").orElseThrow();
    ServerConfig config = new ServerConfig("pg", Map.of("backup_compression", "lz4", "backup_compression_level", "3"));
    BaseBackupCompression lz4 = BaseBackupCompression.of(config).orElseThrow();
    assertThat(lz4.fileExtension()).isEqualTo("tar.lz4");
    assertThat(lz4.isTar()).isTrue();
    assertThat(lz4.issues(150018, v15)).isEmpty();
    assertThat(lz4.issues(140000, v14)).containsExactly("backup_compression = lz4 requires pg_basebackup 15 or greater");
    assertThat(new BaseBackupCompression("gzip", "plain", OptionalInt.of(10), Optional.empty(), OptionalInt.of(2))
        .issues(150018, v15)).containsExactly(
            "backup_compression_format plain is not compatible with backup_compression_location None",
            "backup_compression_level 10 unsupported by pg_basebackup compression gzip",
            "backup_compression_workers is not compatible with compression gzip");
    assertThat(BaseBackupCompression.of(new ServerConfig("pg", Map.of()))).isEmpty();
  }

  @Test
  void theWalCheckDecidesBetweenWaitingDoneAndFailed() throws Exception {
    ServerDirectories d = ServerDirectories.of(tmp, "pg");
    BackupInfo info = BackupInfo.builder(BackupId.parse("20261203T180654")).serverName("pg")
        .status(BackupStatus.WAITING_FOR_WALS).beginWal("000000010000000000000008")
        .endWal("00000001000000000000000A").build();
    assertThat(BackupWalCheck.check(info, d).status()).isEqualTo(BackupStatus.WAITING_FOR_WALS);
    store(d, "000000010000000000000008");
    store(d, "000000010000000000000009");
    assertThat(BackupWalCheck.check(info, d).status()).isEqualTo(BackupStatus.WAITING_FOR_WALS);
    store(d, "00000001000000000000000A");
    store(d, "00000002000000000000000B");
    assertThat(BackupWalCheck.latestArchivedPerTimeline(d.wals())).containsOnly(
        Map.entry("00000001", "00000001000000000000000A"), Map.entry("00000002", "00000002000000000000000B"));
    assertThat(BackupWalCheck.check(info, d).status()).isEqualTo(BackupStatus.DONE);
    Files.delete(d.walFile(WalFileName.parse("000000010000000000000009")));
    BackupInfo failed = BackupWalCheck.check(info, d);
    assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(failed.error()).contains(
        "At least one WAL file is missing. The first missing WAL file is 000000010000000000000009");
  }

  private static void store(ServerDirectories d, String name) throws Exception {
    Path p = d.walFile(WalFileName.parse(name));
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1});
  }
}
