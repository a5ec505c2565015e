package org.barman4j.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.barman4j.internal.Json;
import org.barman4j.internal.PyLiteral;
import org.barman4j.internal.PythonTime;
import org.barman4j.wal.Lsn;

/**
 * Barman's JSON form of a backup ({@code BackupInfo.to_json()}), as {@code barman-cloud-backup-list
 * --format json} and {@code barman-cloud-backup-show --format json} print it: every field in key order,
 * {@code backup_label} as its Python literal text, {@code tablespaces} as {@code [name, oid, location]}
 * arrays, {@code copy_stats} and {@code included_files} as JSON values, {@code begin_time}/{@code end_time}
 * in {@code ctime()} form, then {@code backup_id}, {@code begin_time_iso} and {@code end_time_iso}.
 */
public final class BackupInfoJson {
  private BackupInfoJson() {}

  // Fields newer Barman versions write whose loader is int: rendered as numbers, as Barman does.
  private static final java.util.Set<String> INTEGER_FIELDS = java.util.Set.of("cluster_size");

  /**
   * {@return the JSON object of {@code info}, in Barman's key order; values are {@link Json}-writable}
   *
   * @param info the backup
   */
  public static Map<String, Object> toJson(BackupInfo info) {
    Objects.requireNonNull(info, "info is null");
    Map<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : info.otherFields().entrySet()) {
      sorted.put(e.getKey(), otherField(e.getKey(), e.getValue()));
    }
    sorted.put("backup_label", info.backupLabel().map(PyLiteral::repr));
    info.backupName().ifPresent(name -> sorted.put("backup_name", name));
    sorted.put("begin_offset", info.beginOffset());
    sorted.put("begin_time", info.beginTime().map(PythonTime::ctime));
    sorted.put("begin_wal", info.beginWal());
    sorted.put("begin_xlog", info.beginXlog().map(Lsn::toString));
    sorted.put("compression", info.compression());
    sorted.put("config_file", info.configFile());
    sorted.put("copy_stats", info.copyStats().map(PyLiteral::parse));
    sorted.put("deduplicated_size", info.deduplicatedSize());
    sorted.put("end_offset", info.endOffset());
    sorted.put("end_time", info.endTime().map(PythonTime::ctime));
    sorted.put("end_wal", info.endWal());
    sorted.put("end_xlog", info.endXlog().map(Lsn::toString));
    sorted.put("error", info.error());
    sorted.put("hba_file", info.hbaFile());
    sorted.put("ident_file", info.identFile());
    sorted.put("included_files", info.includedFiles().map(PyLiteral::parse));
    sorted.put("mode", info.mode());
    sorted.put("pgdata", info.pgdata());
    sorted.put("server_name", info.serverName());
    sorted.put("size", info.size());
    info.snapshotsInfo().ifPresent(s -> sorted.put("snapshots_info", PyLiteral.parse(s)));
    sorted.put("status", info.status().name());
    sorted.put("systemid", info.systemId());
    sorted.put("tablespaces", info.tablespaces().isEmpty() ? Json.NULL : tablespaces(info.tablespaces()));
    sorted.put("timeline", info.timeline());
    sorted.put("version", info.version());
    sorted.put("xlog_segment_size", info.xlogSegmentSize());
    Map<String, Object> json = new LinkedHashMap<>(sorted);
    json.put("backup_id", info.backupId().value());
    info.beginTime().ifPresent(t -> json.put("begin_time_iso", PythonTime.isoformat(t)));
    info.endTime().ifPresent(t -> json.put("end_time_iso", PythonTime.isoformat(t)));
    return json;
  }

  /**
   * {@code info} as a JSON text.
   *
   * @param info the backup
   * @return the JSON text
   */
  public static String write(BackupInfo info) {
    return Json.write(toJson(info));
  }

  /**
   * {@return {@code backups} as {@code barman-cloud-backup-list --format json} prints them:
   * {@code {"backups_list": [...]}}}
   *
   * @param backups the backups, in the order to print
   */
  public static String writeList(List<BackupInfo> backups) {
    List<Object> list = new ArrayList<>();
    for (BackupInfo info : backups) {
      list.add(toJson(info));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("backups_list", list);
    return Json.write(json);
  }

  /**
   * {@return {@code info} as {@code barman-cloud-backup-show --format json} prints it: keyed by the server
   * name it records ({@code "null"} if none)}
   *
   * @param info the backup
   */
  public static String writeShow(BackupInfo info) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(info.serverName().orElse("null"), toJson(info));
    return Json.write(json);
  }

  private static Object otherField(String key, String raw) {
    if (raw.equals("None")) {
      return Json.NULL;
    }
    if (INTEGER_FIELDS.contains(key)) {
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException e) {
        return raw;
      }
    }
    return raw;
  }

  private static List<Object> tablespaces(List<Tablespace> tablespaces) {
    List<Object> result = new ArrayList<>();
    for (Tablespace t : tablespaces) {
      result.add(List.of(t.name(), t.oid(), t.location()));
    }
    return result;
  }
}
