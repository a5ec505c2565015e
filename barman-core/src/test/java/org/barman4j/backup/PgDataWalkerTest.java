package org.barman4j.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgDataWalkerTest {
  @TempDir Path tmp;

  private Path file(Path root, String rel) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, rel);
    return p;
  }

  private List<String> walk(PgDataWalker walker) throws IOException {
    List<String> names = new ArrayList<>();
    walker.walk(e -> names.add(e.type() == FileEntry.Type.DIRECTORY ? e.name() + "/" : e.name()));
    return names;
  }

  @Test
  void nonAsciiNamesAreWalkedAndANameTheJvmCannotDecodeFailsTheWalkInsteadOfBeingSkipped() throws Exception {
    Path pgdata = Files.createDirectories(tmp.resolve("données/pgdata"));
    file(pgdata, "PG_VERSION");
    file(pgdata, "notes_é.txt");
    assertThat(walk(PgDataWalker.dataDirectory(pgdata, List.of()))).containsExactly("./", "./PG_VERSION",
        "./notes_é.txt");

    // A name that is not valid UTF-8 (ISO-8859-1 "é"): made by a shell, as the JVM cannot spell it.
    Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'latin1_\\351.txt')\"")
        .directory(pgdata.toFile()).inheritIO().start();
    assertThat(touch.waitFor()).isZero();
    assertThatThrownBy(() -> walk(PgDataWalker.dataDirectory(pgdata, List.of())))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("latin1_")
        .hasMessageContaining("is not valid UTF-8");
  }

  @Test
  void aDataDirectoryIsWalkedInBarmanOrderWithPostgresExclusions() throws Exception {
    Path pgdata = Files.createDirectories(tmp.resolve("pgdata"));
    for (String rel : List.of("PG_VERSION", "postgresql.conf", "postmaster.pid", "postmaster.opts", "backup_label",
        "tablespace_map", "recovery.conf", "standby.signal", "current_logfiles.tmp", "postgresql.auto.conf.tmp",
        "postgresql.auto.conf", "base/1/1259", "base/1/1259_fsm", "base/1/t3_16384", "base/1/t3_16384_fsm",
        "base/1/t3_16384.1", "base/1/t3_16384_vm.2", "base/1/pg_internal.init", "base/1/t3x", "base/1/t3_16384_xyz",
        "base/pgsql_tmp/pgsql_tmp1.0", "base/1/pgsql_tmp12.3", "global/pg_control", "global/1262",
        "global/pg_internal.init", "pg_wal/000000010000000000000001", "pg_wal/archive_status/x.done",
        "pg_replslot/slot/state", "pg_stat_tmp/global.stat", "pg_dynshmem/mmap.1", "pg_notify/0000",
        "pg_serial/0000", "pg_snapshots/00000003-0000001B-1", "pg_subtrans/0000", "pg_log/postgresql.log",
        "log/postgresql.log", "pg_xact/0000", "inside/PG_15_202209061/16385/1", "pg_stat/pgstat.stat",
        "zz/t1_2")) {
      file(pgdata, rel);
    }
    Files.createDirectories(pgdata.resolve("pg_tblspc"));
    Path outside = Files.createDirectories(tmp.resolve("ts1"));
    file(outside, "PG_15_202209061/16384/1");
    Files.createSymbolicLink(pgdata.resolve("pg_tblspc/16384"), outside);
    Files.createSymbolicLink(pgdata.resolve("pg_tblspc/16385"), pgdata.resolve("inside"));
    Files.createSymbolicLink(pgdata.resolve("version_link"), pgdata.resolve("PG_VERSION"));
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(pgdata.resolve("sock")));

      List<String> names = walk(PgDataWalker.dataDirectory(pgdata, List.of(pgdata.resolve("inside"))));

      assertThat(names).containsExactly(
          "./",
          "./PG_VERSION",
          "./postgresql.auto.conf",
          "./postgresql.conf",
          "./version_link",
          "base/",
          "base/1/",
          "base/1/1259",
          "base/1/1259_fsm",
          "base/1/t3_16384_xyz",
          "base/1/t3x",
          "global/",
          "global/1262",
          "log/",
          "pg_dynshmem/",
          "pg_log/",
          "pg_notify/",
          "pg_replslot/",
          "pg_serial/",
          "pg_snapshots/",
          "pg_stat/",
          "pg_stat/pgstat.stat",
          "pg_stat_tmp/",
          "pg_subtrans/",
          "pg_tblspc/",
          "pg_wal/",
          "pg_xact/",
          "pg_xact/0000",
          "zz/",
          "zz/t1_2");
    }
  }

  @Test
  void entriesCarryTheirMetadataAndSymbolicLinksTheirTarget() throws Exception {
    Path pgdata = Files.createDirectories(tmp.resolve("pgdata"));
    Files.write(file(pgdata, "base/1/1259"), new byte[12345]);
    Files.createSymbolicLink(pgdata.resolve("link"), Path.of("base/1/1259"));
    List<FileEntry> entries = new ArrayList<>();
    PgDataWalker.dataDirectory(pgdata, List.of()).walk(entries::add);
    FileEntry rel = entries.stream().filter(e -> e.name().equals("base/1/1259")).findFirst().orElseThrow();
    assertThat(rel.type()).isEqualTo(FileEntry.Type.FILE);
    assertThat(rel.size()).isEqualTo(12345);
    assertThat(rel.mtimeSeconds()).isEqualTo(Files.getLastModifiedTime(pgdata.resolve("base/1/1259")).toMillis() / 1000);
    FileEntry link = entries.stream().filter(e -> e.name().equals("./link")).findFirst().orElseThrow();
    assertThat(link.type()).isEqualTo(FileEntry.Type.SYMLINK);
    assertThat(link.linkTarget()).contains("base/1/1259");
  }

  @Test
  void aLinkedWalDirectoryBecomesAnEmptyDirectory() throws Exception {
    Path pgdata = Files.createDirectories(tmp.resolve("pgdata"));
    file(pgdata, "PG_VERSION");
    Path wal = Files.createDirectories(tmp.resolve("wal"));
    file(wal, "000000010000000000000001");
    Files.createSymbolicLink(pgdata.resolve("pg_wal"), wal);
    List<FileEntry> entries = new ArrayList<>();
    PgDataWalker.dataDirectory(pgdata, List.of()).walk(entries::add);
    assertThat(entries).extracting(FileEntry::name).containsExactly(".", "./PG_VERSION", "pg_wal");
    assertThat(entries.get(2).type()).isEqualTo(FileEntry.Type.DIRECTORY);
  }

  @Test
  void aTablespaceHoldsOnlyItsDirectoryForTheServersMajorVersion() throws Exception {
    Path ts = Files.createDirectories(tmp.resolve("ts"));
    for (String rel : List.of("PG_15_202209061/16384/1259", "PG_15_202209061/16384/t5_1259",
        "PG_15_202209061/pgsql_tmp/pgsql_tmp7.1", "PG_14_202107181/16384/1", "stray_file", "other/x")) {
      file(ts, rel);
    }
    assertThat(walk(PgDataWalker.tablespace(ts, 15))).containsExactly(
        "PG_15_202209061/", "PG_15_202209061/16384/", "PG_15_202209061/16384/1259");
  }

  @Test
  void temporaryRelationNamesFollowPostgres() {
    assertThat(PgDataWalker.isTemporaryRelation("t3_16384")).isTrue();
    assertThat(PgDataWalker.isTemporaryRelation("t3_16384_fsm")).isTrue();
    assertThat(PgDataWalker.isTemporaryRelation("t3_16384_init")).isTrue();
    assertThat(PgDataWalker.isTemporaryRelation("t3_16384.12")).isTrue();
    assertThat(PgDataWalker.isTemporaryRelation("t3_16384_vm.1")).isTrue();
    assertThat(PgDataWalker.isTemporaryRelation("t3_")).isFalse();
    assertThat(PgDataWalker.isTemporaryRelation("t_1")).isFalse();
    assertThat(PgDataWalker.isTemporaryRelation("t3_16384_xyz")).isFalse();
    assertThat(PgDataWalker.isTemporaryRelation("t3_16384.")).isFalse();
    assertThat(PgDataWalker.isTemporaryRelation("16384")).isFalse();
  }

  @Test
  void aMissingRootIsAnError() {
    assertThatThrownBy(() -> PgDataWalker.dataDirectory(tmp.resolve("nope"), List.of()).walk(e -> {}))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");
  }
}
