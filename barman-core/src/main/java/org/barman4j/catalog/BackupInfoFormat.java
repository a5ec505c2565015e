package org.barman4j.catalog;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.barman4j.internal.PyLiteral;
import org.barman4j.internal.PyLiteral.PyInt;
import org.barman4j.internal.PyLiteral.PyList;
import org.barman4j.internal.PyLiteral.PyStr;
import org.barman4j.internal.PyLiteral.PyTuple;
import org.barman4j.internal.PyLiteral.Value;
import org.barman4j.internal.PythonTime;
import org.barman4j.wal.Lsn;

/**
 * Reads and writes {@code backup.info} exactly as Barman does ({@code barman/infofile.py}): one
 * {@code key=value} line per field in UTF-8, keys sorted, {@code None} for absent values, Python
 * literals ({@code repr}) for labels, lists and dicts, and {@code str(datetime)} for times.
 *
 * <p>Writing emits Barman 3.4's field set only, because readers up to 3.14 fail on a key they do not
 * know and 3.15+ refuse the file. Reading accepts any version: fields this library does not model are
 * kept in {@link BackupInfo#otherFields()} and never cause an error.
 */
public final class BackupInfoFormat {
  private BackupInfoFormat() {}

  /** Which keys {@link #write(BackupInfo, FieldSet)} emits. */
  public enum FieldSet {
    /** Barman 3.4's keys only: what every Barman version reads. The default. */
    BARMAN_3_4,
    /**
     * Barman 3.4's keys plus {@link BackupInfo#otherFields()} as read, to write back a file read from a
     * newer Barman unchanged (for a reader of that version or newer only).
     */
    WITH_OTHER_FIELDS
  }

  // Barman 3.4's BackupInfo fields; backup_name and snapshots_info are written only when set.
  private static final Set<String> MODELLED = Set.of("backup_label", "backup_name", "begin_offset", "begin_time",
      "begin_wal", "begin_xlog", "compression", "config_file", "copy_stats", "deduplicated_size", "end_offset",
      "end_time", "end_wal", "end_xlog", "error", "hba_file", "ident_file", "included_files", "mode", "pgdata",
      "server_name", "size", "snapshots_info", "status", "systemid", "tablespaces", "timeline", "version",
      "xlog_segment_size");

  static boolean isModelled(String key) {
    return MODELLED.contains(key);
  }

  /** {@return the keys Barman 3.4 reads, which are the keys this class writes} */
  public static Set<String> barman34Keys() {
    return MODELLED;
  }

  /**
   * {@code info} in Barman 3.4's field set, as UTF-8 bytes.
   *
   * @param info the backup
   * @return the file content
   */
  public static byte[] toBytes(BackupInfo info) {
    return write(info, FieldSet.BARMAN_3_4).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code info} as the text of a {@code backup.info} file, in Barman 3.4's field set.
   *
   * @param info the backup
   * @return the file text
   */
  public static String write(BackupInfo info) {
    return write(info, FieldSet.BARMAN_3_4);
  }

  /**
   * {@code info} as the text of a {@code backup.info} file with the given keys.
   *
   * @param info the backup
   * @param fieldSet the keys to write
   * @return the file text
   */
  public static String write(BackupInfo info, FieldSet fieldSet) {
    Objects.requireNonNull(info, "info is null");
    Objects.requireNonNull(fieldSet, "fieldSet is null");
    Map<String, String> lines = new TreeMap<>();
    if (fieldSet == FieldSet.WITH_OTHER_FIELDS) {
      lines.putAll(info.otherFields());
    }
    lines.put("backup_label", info.backupLabel().map(PyLiteral::repr).orElse("None"));
    info.backupName().ifPresent(name -> lines.put("backup_name", name));
    lines.put("begin_offset", text(info.beginOffset()));
    lines.put("begin_time", info.beginTime().map(PythonTime::str).orElse("None"));
    lines.put("begin_wal", info.beginWal().orElse("None"));
    lines.put("begin_xlog", info.beginXlog().map(Lsn::toString).orElse("None"));
    lines.put("compression", info.compression().orElse("None"));
    lines.put("config_file", info.configFile().orElse("None"));
    lines.put("copy_stats", info.copyStats().orElse("None"));
    lines.put("deduplicated_size", text(info.deduplicatedSize()));
    lines.put("end_offset", text(info.endOffset()));
    lines.put("end_time", info.endTime().map(PythonTime::str).orElse("None"));
    lines.put("end_wal", info.endWal().orElse("None"));
    lines.put("end_xlog", info.endXlog().map(Lsn::toString).orElse("None"));
    lines.put("error", info.error().orElse("None"));
    lines.put("hba_file", info.hbaFile().orElse("None"));
    lines.put("ident_file", info.identFile().orElse("None"));
    lines.put("included_files", info.includedFiles().orElse("None"));
    lines.put("mode", info.mode().orElse("None"));
    lines.put("pgdata", info.pgdata().orElse("None"));
    lines.put("server_name", info.serverName().orElse("None"));
    lines.put("size", text(info.size()));
    info.snapshotsInfo().ifPresent(s -> lines.put("snapshots_info", s));
    lines.put("status", info.status().name());
    lines.put("systemid", info.systemId().orElse("None"));
    lines.put("tablespaces", info.tablespaces().isEmpty() ? "None" : tablespacesRepr(info.tablespaces()));
    lines.put("timeline", info.timeline().isPresent() ? Integer.toString(info.timeline().getAsInt()) : "None");
    lines.put("version", info.version().isPresent() ? Integer.toString(info.version().getAsInt()) : "None");
    lines.put("xlog_segment_size", Long.toString(info.xlogSegmentSize()));
    StringBuilder out = new StringBuilder(2048);
    for (Map.Entry<String, String> line : lines.entrySet()) {
      String value = line.getValue();
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        // Only literal fields may span lines in Python, and repr() never emits a raw newline.
        throw new IllegalArgumentException("Field " + line.getKey() + " of backup " + info.backupId()
            + " holds a line break, which backup.info cannot store");
      }
      out.append(line.getKey()).append('=').append(value).append('\n');
    }
    return out.toString();
  }

  private static String text(OptionalLong value) {
    return value.isPresent() ? Long.toString(value.getAsLong()) : "None";
  }

  /**
   * {@return the Python literal Barman writes for a tablespace list: {@code [('ts1', 16384, '/srv/tblspc1')]}}
   *
   * @param tablespaces the tablespaces
   */
  public static String tablespacesRepr(List<Tablespace> tablespaces) {
    List<Value> items = new ArrayList<>();
    for (Tablespace t : tablespaces) {
      items.add(new PyTuple(List.of(new PyStr(t.name()), PyInt.of(t.oid()), new PyStr(t.location()))));
    }
    return PyLiteral.repr(new PyList(items));
  }

  /**
   * Reads {@code content} (UTF-8); times without an offset are taken in the system's zone, as Barman does.
   *
   * @param backupId the backup's identifier
   * @param content the file content
   * @return the backup
   */
  public static BackupInfo read(BackupId backupId, byte[] content) {
    return read(backupId, new String(Objects.requireNonNull(content, "content is null"), StandardCharsets.UTF_8),
        ZoneId.systemDefault());
  }

  /**
   * Reads the text of a {@code backup.info} file. Blank lines and {@code #} comments are skipped; a key
   * given twice keeps its last value; unknown keys go to {@link BackupInfo#otherFields()}.
   *
   * @param zoneForNaiveTimes the zone of times written without an offset
   * @param backupId the backup's identifier
   * @param text the file text
   * @return the backup
   * @throws IllegalArgumentException naming the line number and key of the first invalid line, or
   *     saying that {@code status} is missing
   */
  public static BackupInfo read(BackupId backupId, String text, ZoneId zoneForNaiveTimes) {
    Objects.requireNonNull(backupId, "backupId is null");
    Objects.requireNonNull(text, "text is null");
    Objects.requireNonNull(zoneForNaiveTimes, "zoneForNaiveTimes is null");
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("Invalid line " + (i + 1) + " (no '='): '" + abbreviate(line.strip()) + "'");
      }
      String key = line.substring(0, eq).strip();
      values.remove(key); // the last occurrence wins and keeps its position
      values.put(key, line.substring(eq + 1).strip());
      lineOf.put(key, i + 1);
    }
    if (!values.containsKey("status") || values.get("status").equals("None")) {
      throw new IllegalArgumentException("Missing field 'status'");
    }
    BackupInfo.Builder b = BackupInfo.builder(backupId).serverName(Optional.empty());
    Map<String, String> others = new TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (!MODELLED.contains(key)) {
        others.put(key, value);
        continue;
      }
      if (value.equals("None")) {
        continue;
      }
      try {
        set(b, key, value, zoneForNaiveTimes);
      } catch (IllegalArgumentException | ArithmeticException ex) {
        throw new IllegalArgumentException("Invalid line " + lineOf.get(key) + " (" + key + "='" + abbreviate(value)
            + "'): " + ex.getMessage(), ex);
      }
    }
    b.otherFields(others);
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("Invalid backup.info: " + ex.getMessage(), ex);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static void set(BackupInfo.Builder b, String key, String value, ZoneId zone) {
    switch (key) {
      case "backup_label" -> b.backupLabel(string(PyLiteral.parse(value)));
      case "backup_name" -> b.backupName(value);
      case "begin_offset" -> b.beginOffset(integer(value));
      case "begin_time" -> b.beginTime(time(value, zone));
      case "begin_wal" -> b.beginWal(wal(value));
      case "begin_xlog" -> b.beginXlog(Lsn.parse(value));
      case "compression" -> b.compression(value);
      case "config_file" -> b.configFile(value);
      case "copy_stats" -> b.copyStats(literal(value));
      case "deduplicated_size" -> b.deduplicatedSize(integer(value));
      case "end_offset" -> b.endOffset(integer(value));
      case "end_time" -> b.endTime(time(value, zone));
      case "end_wal" -> b.endWal(wal(value));
      case "end_xlog" -> b.endXlog(Lsn.parse(value));
      case "error" -> b.error(value);
      case "hba_file" -> b.hbaFile(value);
      case "ident_file" -> b.identFile(value);
      case "included_files" -> b.includedFiles(literal(value));
      case "mode" -> b.mode(value);
      case "pgdata" -> b.pgdata(value);
      case "server_name" -> b.serverName(value);
      case "size" -> b.size(integer(value));
      case "snapshots_info" -> b.snapshotsInfo(literal(value));
      case "status" -> b.status(BackupStatus.parse(value));
      case "systemid" -> b.systemId(value);
      case "tablespaces" -> b.tablespaces(tablespaces(value));
      case "timeline" -> b.timeline(Math.toIntExact(integer(value)));
      case "version" -> b.version(Math.toIntExact(integer(value)));
      case "xlog_segment_size" -> b.xlogSegmentSize(integer(value));
      default -> throw new IllegalStateException("unhandled field " + key);
    }
  }

  private static long integer(String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer");
    }
  }

  private static OffsetDateTime time(String value, ZoneId zone) {
    return PythonTime.parse(value, zone);
  }

  private static String wal(String value) {
    if (!org.barman4j.wal.WalFileName.isValid(value)) {
      throw new IllegalArgumentException("not a WAL file name");
    }
    return value;
  }

  private static String literal(String value) {
    PyLiteral.parse(value);
    return value;
  }

  private static String string(Value value) {
    if (value instanceof PyStr s) {
      return s.value();
    }
    throw new IllegalArgumentException("expected a string literal");
  }

  private static List<Tablespace> tablespaces(String value) {
    Value parsed = PyLiteral.parse(value);
    List<Value> items;
    if (parsed instanceof PyList l) {
      items = l.items();
    } else if (parsed instanceof PyTuple t) {
      items = t.items();
    } else {
      throw new IllegalArgumentException("expected a list of (name, oid, location) tuples");
    }
    List<Tablespace> result = new ArrayList<>();
    for (Value item : items) {
      List<Value> parts = item instanceof PyTuple t ? t.items() : item instanceof PyList l ? l.items() : List.of();
      if (parts.size() != 3 || !(parts.get(0) instanceof PyStr name) || !(parts.get(2) instanceof PyStr location)) {
        throw new IllegalArgumentException("expected a list of (name, oid, location) tuples");
      }
      long oid;
      if (parts.get(1) instanceof PyInt i) {
        oid = i.value().longValueExact();
      } else if (parts.get(1) instanceof PyStr s) {
        oid = integer(s.value());
      } else {
        throw new IllegalArgumentException("tablespace OID is not an integer");
      }
      result.add(new Tablespace(name.value(), oid, location.value()));
    }
    return result;
  }
}
