package org.barman4j.cli;

import java.math.BigInteger;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoText;
import org.barman4j.catalog.Tablespace;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.Human;
import org.barman4j.internal.Json;
import org.barman4j.internal.PyLiteral;
import org.barman4j.internal.PythonTime;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.retention.RetentionStatus;
import org.barman4j.server.BackupDetails;
import org.barman4j.server.ServerCatalogue;

/** {@code barman show-backup SERVER BACKUP_ID}: Barman 3.4's rendering of {@link BackupDetails}. */
final class ShowBackupCommand implements ServerCommand {
  /** Barman 3.4's JSON warning, with the indentation its source code leaves inside the string. */
  private static final String INACCURATE = "WAL information is inaccurate " + " ".repeat(20)
      + "due to multiple timelines interacting with " + " ".repeat(20) + "this backup";

  @Override
  public String name() {
    return "show-backup";
  }

  @Override
  public List<String> aliases() {
    return List.of("show-backups");
  }

  @Override
  public String description() {
    return "Show detailed information about a backup";
  }

  @Override
  public void declare(ArgParser parser) {
    CommandContext.declareBackup(parser);
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Optional<CommandContext.ServerBackup> named = context.backup(args, CommandContext.Inactive.INCLUDE);
    if (named.isEmpty()) {
      return;
    }
    ServerConfig server = named.get().server();
    ServerCatalogue catalogue = named.get().catalogue();
    BackupInfo backup = named.get().backup();
    BackupDetails details = server.retentionPolicy().isPresent()
        ? catalogue.details(backup, server.retentionPolicy().get(), server.minimumRedundancy(),
            ZonedDateTime.now(context.clock()))
        : catalogue.details(backup);
    Output output = context.output();
    if (output.isJson()) {
      output.result(server.name(), json(details, server.name()));
    } else {
      console(details, server.name()).forEach(output::info);
    }
  }

  /** The copy statistics Barman prints: copy and analysis time, workers. */
  private record CopyStats(Object copyTime, double copySeconds, Object analysisTime, double analysisSeconds,
      Object workers) {
    static Optional<CopyStats> of(BackupInfo b) {
      if (b.copyStats().isEmpty() || !(PyLiteral.parse(b.copyStats().get()) instanceof PyLiteral.PyDict d)) {
        return Optional.empty();
      }
      Object copy = number(d.entries().get(new PyLiteral.PyStr("copy_time")));
      double copySeconds = copy instanceof Number n ? n.doubleValue() : 0;
      if (copySeconds == 0) {
        return Optional.empty(); // Python's "if copy_time"
      }
      Object analysis = d.entries().containsKey(new PyLiteral.PyStr("analysis_time"))
          ? number(d.entries().get(new PyLiteral.PyStr("analysis_time"))) : Long.valueOf(0);
      Object workers = d.entries().containsKey(new PyLiteral.PyStr("number_of_workers"))
          ? number(d.entries().get(new PyLiteral.PyStr("number_of_workers"))) : Long.valueOf(1);
      return Optional.of(new CopyStats(copy, copySeconds, analysis,
          analysis instanceof Number n ? n.doubleValue() : 0, workers));
    }

    private static Object number(PyLiteral.Value v) {
      if (v instanceof PyLiteral.PyFloat f) {
        return f.value();
      }
      if (v instanceof PyLiteral.PyInt i) {
        return i.value().bitLength() < 64 ? (Object) i.value().longValue() : (Object) i.value();
      }
      return Json.NULL;
    }

    long workerCount() {
      return workers instanceof Long l ? l : workers instanceof BigInteger ? Long.MAX_VALUE : 1;
    }
  }

  static List<String> console(BackupDetails details, String serverName) {
    BackupInfo b = details.backup();
    List<String> out = new ArrayList<>();
    out.add("Backup " + b.backupId() + ":");
    b.backupName().ifPresent(n -> out.add(PythonFormat.row("Backup Name", n)));
    out.add(PythonFormat.row("Server Name", b.serverName().orElse(serverName)));
    b.systemId().filter(s -> !s.isEmpty()).ifPresent(s -> out.add(PythonFormat.row("System Id", s)));
    out.add(PythonFormat.row("Status", b.status().name()));
    if (!details.catalogued()) {
      b.error().filter(e -> !e.isEmpty()).ifPresent(e -> out.add(PythonFormat.row("Error", e)));
      return out;
    }
    out.add(PythonFormat.row("PostgreSQL Version", b.version().isPresent() ? b.version().getAsInt() : "None"));
    out.add(PythonFormat.row("PGDATA directory", b.pgdata().orElse("None")));
    out.add("");
    if (!b.tablespaces().isEmpty()) {
      out.add("  Tablespaces:");
      for (Tablespace t : b.tablespaces()) {
        out.add(PythonFormat.nested(t.name(), t.location() + " (oid: " + t.oid() + ")"));
      }
      out.add("");
    }
    ServerCatalogue.WalInfo wal = details.wal();
    out.add("  Base backup information:");
    if (b.size().isPresent()) {
      out.add(PythonFormat.nested("Disk usage", BackupInfoText.prettySize(b.size().getAsLong()) + " ("
          + BackupInfoText.prettySize(details.sizeWithWals()) + " with WALs)"));
    }
    if (b.deduplicatedSize().isPresent() && b.size().orElse(0) > 0) {
      out.add(PythonFormat.nested("Incremental size", BackupInfoText.prettySize(b.deduplicatedSize().getAsLong())
          + " (-" + PythonFormat.percent(deduplicationRatio(b)) + ")"));
    }
    out.add(PythonFormat.nested("Timeline", b.timeline().isPresent() ? b.timeline().getAsInt() : "None"));
    out.add(PythonFormat.nested("Begin WAL", b.beginWal().orElse("None")));
    out.add(PythonFormat.nested("End WAL", b.endWal().orElse("None")));
    out.add(PythonFormat.nested("WAL number", wal.walNumber()));
    if (wal.walCompressionRatio() > 0) {
      out.add(PythonFormat.nested("WAL compression ratio", PythonFormat.percent(wal.walCompressionRatio())));
    }
    out.add(PythonFormat.nested("Begin time", b.beginTime().map(PythonTime::str).orElse("None")));
    out.add(PythonFormat.nested("End time", b.endTime().map(PythonTime::str).orElse("None")));
    Optional<CopyStats> stats = CopyStats.of(b);
    if (stats.isPresent()) {
      CopyStats s = stats.get();
      String value = Human.duration(s.copySeconds());
      if (s.analysisSeconds() >= 1) {
        value += " + " + Human.duration(s.analysisSeconds()) + " startup";
      }
      out.add(PythonFormat.nested("Copy time", value));
      Optional<Long> size = throughputSize(b);
      if (size.isPresent()) {
        String rate = Human.size(size.get() / s.copySeconds()) + "/s";
        if (s.workerCount() > 1) {
          rate += " (" + s.workers() + " jobs)";
        }
        out.add(PythonFormat.nested("Estimated throughput", rate));
      }
    }
    out.add(PythonFormat.nested("Begin Offset", b.beginOffset().isPresent() ? b.beginOffset().getAsLong() : "None"));
    out.add(PythonFormat.nested("End Offset", b.endOffset().isPresent() ? b.endOffset().getAsLong() : "None"));
    out.add(PythonFormat.nested("Begin LSN", b.beginXlog().map(Object::toString).orElse("None")));
    out.add(PythonFormat.nested("End LSN", b.endXlog().map(Object::toString).orElse("None")));
    out.add("");
    out.add("  WAL information:");
    out.add(PythonFormat.nested("No of files", wal.untilNextNumber()));
    out.add(PythonFormat.nested("Disk usage", BackupInfoText.prettySize(wal.untilNextSize())));
    if (wal.walsPerSecond() > 0) {
      out.add(PythonFormat.nested("WAL rate", PythonFormat.fixed2(wal.walsPerSecond() * 3600) + "/hour"));
    }
    if (wal.untilNextCompressionRatio() > 0) {
      out.add(PythonFormat.nested("Compression ratio", PythonFormat.percent(wal.untilNextCompressionRatio())));
    }
    out.add(PythonFormat.nested("Last available", wal.last().map(e -> e.name()).orElse("None")));
    if (!details.reachableTimelines().isEmpty()) {
      out.add(PythonFormat.nested("Reachable timelines", String.join(", ",
          details.reachableTimelines().stream().map(String::valueOf).toList())));
    }
    out.add("");
    out.add("  Catalog information:");
    out.add(PythonFormat.nested("Retention Policy", details.retention().map(RetentionStatus::label)
        .orElse("not enforced")));
    out.add(PythonFormat.nested("Previous Backup", details.previous().map(Object::toString)
        .orElse("- (this is the oldest base backup)")));
    out.add(PythonFormat.nested("Next Backup", details.next().map(Object::toString)
        .orElse("- (this is the latest base backup)")));
    if (!details.reachableTimelines().isEmpty()) {
      out.add("");
      out.add("WARNING: WAL information is inaccurate due to multiple timelines interacting with this backup");
    }
    return out;
  }

  private static double deduplicationRatio(BackupInfo b) {
    return 1 - (double) b.deduplicatedSize().getAsLong() / b.size().getAsLong();
  }

  /** Python's {@code deduplicated_size or size}. */
  private static Optional<Long> throughputSize(BackupInfo b) {
    if (b.deduplicatedSize().isPresent() && b.deduplicatedSize().getAsLong() != 0) {
      return Optional.of(b.deduplicatedSize().getAsLong());
    }
    return b.size().isPresent() ? Optional.of(b.size().getAsLong()) : Optional.empty();
  }

  static Map<String, Object> json(BackupDetails details, String serverName) {
    BackupInfo b = details.backup();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("backup_id", b.backupId().value());
    out.put("status", b.status().name());
    b.backupName().ifPresent(n -> out.put("backup_name", n));
    if (!details.catalogued()) {
      b.error().filter(e -> !e.isEmpty()).ifPresent(e -> out.put("error", e));
      return out;
    }
    out.put("postgresql_version", b.version().isPresent() ? (Object) b.version().getAsInt() : Json.NULL);
    out.put("pgdata_directory", b.pgdata().map(Object.class::cast).orElse(Json.NULL));
    List<Object> tablespaces = new ArrayList<>();
    for (Tablespace t : b.tablespaces()) {
      Map<String, Object> ts = new LinkedHashMap<>();
      ts.put("name", t.name());
      ts.put("location", t.location());
      ts.put("oid", t.oid());
      tablespaces.add(ts);
    }
    out.put("tablespaces", tablespaces);
    ServerCatalogue.WalInfo wal = details.wal();
    long size = b.size().orElse(0);
    Map<String, Object> base = new LinkedHashMap<>();
    base.put("disk_usage", BackupInfoText.prettySize(size));
    base.put("disk_usage_bytes", size);
    base.put("disk_usage_with_wals", BackupInfoText.prettySize(details.sizeWithWals()));
    base.put("disk_usage_with_wals_bytes", details.sizeWithWals());
    if (b.deduplicatedSize().isPresent() && size > 0) {
      base.put("incremental_size", BackupInfoText.prettySize(b.deduplicatedSize().getAsLong()));
      base.put("incremental_size_bytes", b.deduplicatedSize().getAsLong());
      base.put("incremental_size_ratio", "-" + PythonFormat.percent(deduplicationRatio(b)));
    }
    base.put("timeline", b.timeline().isPresent() ? (Object) b.timeline().getAsInt() : Json.NULL);
    base.put("begin_wal", b.beginWal().map(Object.class::cast).orElse(Json.NULL));
    base.put("end_wal", b.endWal().map(Object.class::cast).orElse(Json.NULL));
    if (wal.walCompressionRatio() > 0) {
      base.put("wal_compression_ratio", PythonFormat.percent(wal.walCompressionRatio()));
    }
    b.beginTime().ifPresent(t -> {
      base.put("begin_time_timestamp", Long.toString(t.toEpochSecond()));
      base.put("begin_time", PythonTime.str(t));
    });
    b.endTime().ifPresent(t -> {
      base.put("end_time_timestamp", Long.toString(t.toEpochSecond()));
      base.put("end_time", PythonTime.str(t));
    });
    Optional<CopyStats> stats = CopyStats.of(b);
    if (stats.isPresent()) {
      CopyStats s = stats.get();
      base.put("copy_time", Human.duration(s.copySeconds()));
      base.put("copy_time_seconds", s.copyTime());
      base.put("analysis_time", Human.duration(s.analysisSeconds()));
      base.put("analysis_time_seconds", s.analysisTime());
      double throughput = throughputSize(b).orElse(0L) / s.copySeconds();
      base.put("throughput", Human.size(throughput) + "/s");
      base.put("throughput_bytes", throughput);
      base.put("number_of_workers", s.workers());
    }
    base.put("begin_offset", b.beginOffset().isPresent() ? (Object) b.beginOffset().getAsLong() : Json.NULL);
    base.put("end_offset", b.endOffset().isPresent() ? (Object) b.endOffset().getAsLong() : Json.NULL);
    base.put("begin_lsn", b.beginXlog().map(l -> (Object) l.toString()).orElse(Json.NULL));
    base.put("end_lsn", b.endXlog().map(l -> (Object) l.toString()).orElse(Json.NULL));
    out.put("base_backup_information", base);
    Map<String, Object> walInformation = new LinkedHashMap<>();
    walInformation.put("no_of_files", wal.untilNextNumber());
    walInformation.put("disk_usage", BackupInfoText.prettySize(wal.untilNextSize()));
    walInformation.put("disk_usage_bytes", wal.untilNextSize());
    walInformation.put("wal_rate", wal.walsPerSecond() > 0
        ? (Object) (PythonFormat.fixed2(wal.walsPerSecond() * 3600) + "/hour") : Integer.valueOf(0));
    walInformation.put("wal_rate_per_second", wal.walsPerSecond() > 0 ? (Object) wal.walsPerSecond() : Integer.valueOf(0));
    walInformation.put("compression_ratio", wal.untilNextCompressionRatio() > 0
        ? (Object) PythonFormat.percent(wal.untilNextCompressionRatio()) : Integer.valueOf(0));
    walInformation.put("last_available", wal.last().map(e -> (Object) e.name()).orElse(Json.NULL));
    walInformation.put("timelines", details.reachableTimelines().stream().map(String::valueOf).toList());
    if (!details.reachableTimelines().isEmpty()) {
      walInformation.put("_WARNING", INACCURATE);
    }
    out.put("wal_information", walInformation);
    Map<String, Object> catalog = new LinkedHashMap<>();
    catalog.put("retention_policy", details.retention().map(RetentionStatus::label).orElse("not enforced"));
    catalog.put("previous_backup", details.previous().map(Object::toString)
        .orElse("- (this is the oldest base backup)"));
    catalog.put("next_backup", details.next().map(Object::toString).orElse("- (this is the latest base backup)"));
    out.put("catalog_information", catalog);
    return out;
  }
}
