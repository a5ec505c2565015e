package org.barman4j.cli;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoText;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.PythonTime;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.retention.RetentionPlan;
import org.barman4j.retention.RetentionStatus;
import org.barman4j.server.ServerCatalogue;
import org.barman4j.server.XlogDb;
import org.barman4j.server.XlogDbEntry;

/** {@code barman list-backups SERVER…|all [--minimal]}: every backup, newest first, in Barman's line format. */
final class ListBackupsCommand implements ServerCommand {
  @Override
  public String name() {
    return "list-backups";
  }

  @Override
  public List<String> aliases() {
    return List.of("list-backup");
  }

  @Override
  public String description() {
    return "List available backups for the given server (supports 'all')";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.flag("machine readable output", "--minimal");
    parser.positionals("SERVER_NAME", "specifies the server name for the command ('all' will show all available servers)");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    boolean minimal = args.has("--minimal");
    for (ServerConfig server : context.servers(args.positionals("SERVER_NAME"), CommandContext.Inactive.SKIP)) {
      ServerCatalogue catalogue = context.catalogue(server);
      BackupCatalog.Listing listing = catalogue.listing();
      List<XlogDbEntry> xlog = new XlogDb(catalogue.directories()).read();
      Optional<RetentionPlan> plan = server.retentionPolicy().map(policy -> ServerCatalogue.retentionPlan(listing,
          policy, server.minimumRedundancy(), ZonedDateTime.now(context.clock())));
      List<Object> json = new ArrayList<>();
      List<BackupInfo> newestFirst = new ArrayList<>(listing.backups());
      java.util.Collections.reverse(newestFirst);
      for (BackupInfo b : newestFirst) {
        if (minimal) {
          if (output.isJson()) {
            json.add(b.backupId().value());
          } else {
            output.info(b.backupId().value());
          }
          continue;
        }
        long size = b.size().orElse(0);
        long walSize = 0;
        String retention = RetentionStatus.NONE.label();
        if (b.status().isCopyDone()) {
          ServerCatalogue.WalInfo wal = ServerCatalogue.walInfo(b,
              ServerCatalogue.neighbour(listing.backups(), b, 1), xlog);
          size += wal.walSize();
          walSize = wal.untilNextSize();
          if (plan.isPresent() && plan.get().status(b.backupId()) != RetentionStatus.VALID) {
            retention = plan.get().status(b.backupId()).label();
          }
        }
        if (output.isJson()) {
          json.add(jsonEntry(b, size, walSize, retention));
        } else {
          output.info(line(server.name(), b, size, walSize, retention));
        }
      }
      if (output.isJson()) {
        output.result(server.name(), json);
      }
    }
  }

  private static String line(String server, BackupInfo b, long size, long walSize, String retention) {
    StringBuilder sb = new StringBuilder(server).append(' ').append(b.backupId()).append(' ');
    sb.append(b.backupName().map(n -> "'" + n + "' - ").orElse("- "));
    if (!b.status().isCopyDone()) {
      return sb.append(b.status().name()).toString();
    }
    sb.append(b.endTime().map(PythonTime::ctime).orElse("None"));
    sb.append(" - Size: ").append(BackupInfoText.prettySize(size));
    sb.append(" - WAL Size: ").append(BackupInfoText.prettySize(walSize));
    if (!b.tablespaces().isEmpty()) {
      List<String> ts = new ArrayList<>();
      for (Tablespace t : b.tablespaces()) {
        ts.add(t.name() + ":" + t.location());
      }
      sb.append(" (tablespaces: ").append(String.join(", ", ts)).append(')');
    }
    if (b.status() == BackupStatus.WAITING_FOR_WALS) {
      sb.append(" - WAITING_FOR_WALS");
    }
    if (!retention.equals(RetentionStatus.NONE.label())) {
      sb.append(" - ").append(retention);
    }
    return sb.toString();
  }

  private static Map<String, Object> jsonEntry(BackupInfo b, long size, long walSize, String retention) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("backup_id", b.backupId().value());
    b.backupName().ifPresent(n -> e.put("backup_name", n));
    if (!b.status().isCopyDone()) {
      e.put("status", b.status().name());
      return e;
    }
    e.put("end_time_timestamp", b.endTime().map(t -> Long.toString(t.toEpochSecond())).orElse("None"));
    e.put("end_time", b.endTime().map(PythonTime::ctime).orElse("None"));
    e.put("size_bytes", size);
    e.put("wal_size_bytes", walSize);
    e.put("size", BackupInfoText.prettySize(size));
    e.put("wal_size", BackupInfoText.prettySize(walSize));
    e.put("status", b.status().name());
    e.put("retention_status", retention);
    List<Object> ts = new ArrayList<>();
    for (Tablespace t : b.tablespaces()) {
      ts.add(Map.of("name", t.name(), "location", t.location()));
    }
    e.put("tablespaces", ts);
    return e;
  }
}
