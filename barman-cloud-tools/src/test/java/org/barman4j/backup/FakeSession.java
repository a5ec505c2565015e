package org.barman4j.backup;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.barman4j.catalog.Tablespace;
import org.barman4j.postgres.BackupStart;
import org.barman4j.postgres.BackupStop;
import org.barman4j.postgres.PostgresException;
import org.barman4j.postgres.PostgresSession;
import org.barman4j.postgres.ServerInfo;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentSize;

/** A PostgreSQL server that is only a data directory on disk and a log of what was asked of it. */
final class FakeSession implements PostgresSession {
  static final String LABEL = "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n"
      + "CHECKPOINT LOCATION: 0/2000060\nBACKUP METHOD: streamed\nBACKUP FROM: primary\n"
      + "START TIME: 2026-11-21 23:06:18 UTC\nLABEL: Barman backup cloud\nSTART TIMELINE: 1\n";

  final Path pgdata;
  final List<String> calls = new ArrayList<>();
  List<Tablespace> tablespaces = List.of();
  Optional<String> configFile;
  Optional<String> identFile;
  RuntimeException failOnStop;
  RuntimeException failOnServerInfo;
  private boolean inProgress;

  FakeSession(Path pgdata) {
    this.pgdata = pgdata;
    this.configFile = Optional.of(pgdata.resolve("postgresql.conf").toString());
    this.identFile = Optional.of(pgdata.resolve("pg_ident.conf").toString());
  }

  @Override
  public ServerInfo serverInfo() {
    if (failOnServerInfo != null) {
      throw failOnServerInfo;
    }
    return new ServerInfo(150020, "7710763581913052314", WalSegmentSize.DEFAULT, true, pgdata.toString(),
        configFile, Optional.of(pgdata.resolve("pg_hba.conf").toString()), identFile, false);
  }

  @Override
  public List<Tablespace> tablespaces() {
    return tablespaces;
  }

  @Override
  public long clusterSize() {
    return 0;
  }

  @Override
  public BackupStart startBackup(String label, Checkpoint checkpoint) {
    boolean immediateCheckpoint = checkpoint == Checkpoint.IMMEDIATE;
    calls.add("start " + label + " " + immediateCheckpoint);
    inProgress = true;
    return new BackupStart(Lsn.parse("0/2000028"), 1, OffsetDateTime.of(2026, 11, 21, 23, 6, 14, 68415000, ZoneOffset.UTC));
  }

  @Override
  public BackupStop stopBackup() {
    calls.add("stop");
    inProgress = false;
    if (failOnStop != null) {
      throw failOnStop;
    }
    return new BackupStop(Lsn.parse("0/3000138"), 1, LABEL, Optional.empty(),
        OffsetDateTime.of(2026, 11, 21, 23, 6, 24, 202042000, ZoneOffset.UTC));
  }

  @Override
  public boolean backupInProgress() {
    return inProgress;
  }

  @Override
  public void createRestorePoint(String name) {
    calls.add("restore point " + name);
  }

  @Override
  public WalFileName switchWal() {
    throw new PostgresException("not supported");
  }

  @Override
  public void close() {
    calls.add("close");
  }
}
