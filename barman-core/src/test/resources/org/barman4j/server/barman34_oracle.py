"""Drives Barman's own catalogue code, so tests can compare Barman4J's files with Barman's."""
import datetime
import os
import sys
from types import SimpleNamespace

import barman.lockfile as lockfile
from barman import xlog
from barman.backup import BackupManager
from barman.compression import CompressionManager
from barman.infofile import LocalBackupInfo, WalFileInfo
from barman.server import Server


def fake_server(backup_dir, lock_dir, name):
    config = SimpleNamespace(
        name=name,
        backup_directory=backup_dir,
        wals_directory=os.path.join(backup_dir, "wals"),
        barman_lock_directory=lock_dir,
        compression=None,
        custom_compression_magic=None,
        custom_compression_filter=None,
        custom_decompression_filter=None,
    )
    server = SimpleNamespace(config=config, XLOG_DB=Server.XLOG_DB)
    server.xlogdb_file_name = os.path.join(config.wals_directory, Server.XLOG_DB)
    server.xlogdb = lambda mode="r": Server.xlogdb(server, mode)
    return server


def main(args):
    command = args[0]
    if command == "read":
        # every entry of an xlog.db, as Barman's parser sees it
        with open(args[1]) as f:
            for line in f:
                w = WalFileInfo.from_xlogdb_line(line)
                print("%s|%d|%r|%s" % (w.name, w.size, w.time, w.compression))
    elif command == "write":
        # an xlog.db written by Barman's formatter from name size time compression quadruples
        with open(args[1], "w") as f:
            rest = args[2:]
            for i in range(0, len(rest), 4):
                compression = None if rest[i + 3] == "None" else rest[i + 3]
                w = WalFileInfo(name=rest[i], size=int(rest[i + 1]), time=float(rest[i + 2]), compression=compression)
                f.write(w.to_xlogdb_line())
    elif command == "rebuild":
        # Barman's rebuild-xlogdb on backup_dir/wals, locks in lock_dir
        server = fake_server(args[1], args[2], args[3])
        manager = SimpleNamespace(
            config=server.config,
            server=server,
            compression_manager=CompressionManager(server.config, None),
        )
        BackupManager.rebuild_xlogdb(manager)
    elif command == "paths":
        # the names Barman gives to locks and WAL locations
        lock_dir, name = args[1], args[2]
        for cls in (lockfile.ServerXLOGDBLock, lockfile.ServerWalArchiveLock, lockfile.ServerBackupLock,
                    lockfile.ServerCronLock, lockfile.ServerWalReceiveLock, lockfile.ServerWalSyncLock):
            print(cls(lock_dir, name).filename)
        print(lockfile.ServerBackupIdLock(lock_dir, name, args[3]).filename)
        print(lockfile.ServerBackupSyncLock(lock_dir, name, args[3]).filename)
        print(lockfile.GlobalCronLock(lock_dir).filename)
        for wal in args[4:]:
            print(xlog.hash_dir(wal))
    elif command == "write-identity":
        server = fake_server(args[1], args[1], "pg")
        server.systemid = args[2]
        server.postgres = SimpleNamespace(server_major_version=args[3])
        Server.write_identity_file(SimpleNamespace(**vars(server), get_identity_file_path=lambda: os.path.join(args[1], "identity.json")))
    elif command == "read-identity":
        server = SimpleNamespace(get_identity_file_path=lambda: os.path.join(args[1], "identity.json"))
        identity = Server.read_identity_file(server)
        print("%s|%s" % (identity["systemid"], identity["version"]))
    elif command == "write-backup-info":
        # a backup.info as Barman's postgres backup method saves it: BASE_DIR ID
        server = fake_server(args[1], args[1], "pg")
        server.config.basebackups_directory = args[1]
        server.backup_manager = SimpleNamespace(mode="postgres")
        info = LocalBackupInfo(server, backup_id=args[2])
        tz = datetime.timezone(datetime.timedelta(hours=1))
        info.set_attribute("status", "DONE")
        info.set_attribute("backup_name", "nightly")
        info.set_attribute("version", 150004)
        info.set_attribute("pgdata", "/var/lib/postgresql/15/main")
        info.set_attribute("systemid", "7318812823811184251")
        info.set_attribute("timeline", 1)
        info.set_attribute("begin_time", datetime.datetime(2026, 12, 3, 11, 8, 17, 123456, tz))
        info.set_attribute("end_time", datetime.datetime(2026, 12, 3, 11, 8, 20, 654321, tz))
        info.set_attribute("begin_xlog", "0/2000028")
        info.set_attribute("end_xlog", "0/2000100")
        info.set_attribute("begin_wal", "000000010000000000000002")
        info.set_attribute("end_wal", "000000010000000000000002")
        info.set_attribute("begin_offset", 40)
        info.set_attribute("end_offset", 256)
        info.set_attribute("size", 23456789)
        info.set_attribute("deduplicated_size", 23456789)
        info.set_attribute("xlog_segment_size", 16777216)
        info.set_attribute("config_file", "/etc/postgresql/15/main/postgresql.conf")
        info.set_attribute("hba_file", "/etc/postgresql/15/main/pg_hba.conf")
        info.set_attribute("ident_file", "/etc/postgresql/15/main/pg_ident.conf")
        info.set_attribute("copy_stats", {"copy_time": 2.5, "total_time": 3.1})
        info.set_attribute("backup_label", "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000060\n")
        info.save()
    elif command == "read-backup-info":
        # the fields Barman reads from a backup.info FILE
        server = fake_server(os.path.dirname(args[1]), "/nonexistent", "pg")
        server.config.basebackups_directory = os.path.dirname(os.path.dirname(args[1]))
        server.backup_manager = SimpleNamespace(mode="postgres")
        info = LocalBackupInfo(server, info_file=args[1])
        for key in ("backup_id", "status", "server_name", "mode", "begin_wal", "end_wal", "timeline",
                    "systemid", "version", "size", "begin_time", "end_time"):
            print("%s=%s" % (key, getattr(info, key)))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv[1:])
