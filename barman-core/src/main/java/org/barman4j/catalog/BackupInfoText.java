package org.barman4j.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.internal.Human;
import org.barman4j.internal.PyLiteral;
import org.barman4j.internal.PyLiteral.PyDict;
import org.barman4j.internal.PyLiteral.PyFloat;
import org.barman4j.internal.PyLiteral.PyInt;
import org.barman4j.internal.PyLiteral.PyStr;
import org.barman4j.internal.PyLiteral.Value;
import org.barman4j.internal.PythonTime;

/**
 * The human-readable rendering of one backup, laid out as Barman's {@code show-backup} renders a
 * {@code backup.info} (the part {@code barman-cloud-backup-show} prints): general fields, server
 * information, tablespaces and base-backup information, or the error of a backup whose copy is not done.
 */
public final class BackupInfoText {
  private BackupInfoText() {}

  /**
   * {@return the lines describing {@code info}}
   *
   * @param info the backup
   */
  public static List<String> render(BackupInfo info) {
    Objects.requireNonNull(info, "info is null");
    List<String> out = new ArrayList<>();
    out.add("Backup " + info.backupId() + ":");
    info.backupName().ifPresent(n -> out.add(row("Backup Name", n)));
    out.add(row("Server Name", info.serverName().orElse("None")));
    info.systemId().ifPresent(s -> out.add(row("System Id", s)));
    out.add(row("Status", info.status().name()));
    boolean copyDone = info.status().isCopyDone();
    if (copyDone) {
      out.add(row("PostgreSQL Version", text(info.version().isPresent() ? info.version().getAsInt() : null)));
      out.add(row("PGDATA directory", info.pgdata().orElse("None")));
      other(info, "cluster_size").flatMap(BackupInfoText::parseLong).filter(size -> size > 0)
          .ifPresent(size -> out.add(row("Estimated Cluster Size", prettySize(size))));
    }
    out.add("");
    Optional<String> checksums = other(info, "data_checksums");
    Optional<String> summarizer = other(info, "summarize_wal");
    if (checksums.isPresent() || summarizer.isPresent()) {
      out.add("  Server information:");
      checksums.ifPresent(c -> out.add(nested("Checksums", c)));
      summarizer.ifPresent(s -> out.add(nested("WAL summarizer", s)));
      out.add("");
    }
    if (!copyDone) {
      info.error().ifPresent(e -> out.add(row("Error", e)));
      return out;
    }
    if (!info.tablespaces().isEmpty()) {
      out.add("  Tablespaces:");
      for (Tablespace t : info.tablespaces()) {
        out.add(nested(t.name(), t.location() + " (oid: " + t.oid() + ")"));
      }
      out.add("");
    }
    out.add("  Base backup information:");
    info.mode().ifPresent(m -> out.add(nested("Backup Method", m)));
    other(info, "encryption").ifPresent(e -> out.add(nested("Encryption", e)));
    info.deduplicatedSize().ifPresent(size -> {
      if (size > 0) {
        out.add(nested("Backup Size", prettySize(size)));
      }
    });
    out.add(nested("Timeline", text(info.timeline().isPresent() ? info.timeline().getAsInt() : null)));
    out.add(nested("Begin WAL", info.beginWal().orElse("None")));
    out.add(nested("End WAL", info.endWal().orElse("None")));
    out.add(nested("Begin time", info.beginTime().map(PythonTime::str).orElse("None")));
    out.add(nested("End time", info.endTime().map(PythonTime::str).orElse("None")));
    copyTime(info).ifPresent(t -> out.add(nested("Copy time", t)));
    out.add(nested("Begin Offset", text(info.beginOffset().isPresent() ? info.beginOffset().getAsLong() : null)));
    out.add(nested("End Offset", text(info.endOffset().isPresent() ? info.endOffset().getAsLong() : null)));
    out.add(nested("Begin LSN", info.beginXlog().map(Object::toString).orElse("None")));
    out.add(nested("End LSN", info.endXlog().map(Object::toString).orElse("None")));
    out.add("");
    return out;
  }

  private static String row(String key, String value) {
    return String.format(Locale.ROOT, "  %-23s: %s", key, value);
  }

  private static String nested(String key, String value) {
    return String.format(Locale.ROOT, "    %-21s: %s", key, value);
  }

  private static String text(Object value) {
    return value == null ? "None" : value.toString();
  }

  private static Optional<String> other(BackupInfo info, String key) {
    return Optional.ofNullable(info.otherFields().get(key)).filter(v -> !v.equals("None") && !v.isEmpty());
  }

  private static Optional<Long> parseLong(String s) {
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> copyTime(BackupInfo info) {
    if (info.copyStats().isEmpty() || !(PyLiteral.parse(info.copyStats().get()) instanceof PyDict stats)) {
      return Optional.empty();
    }
    double copy = seconds(stats.entries().get(new PyStr("copy_time")));
    if (copy <= 0) {
      return Optional.empty();
    }
    String text = humanDuration(copy);
    double analysis = seconds(stats.entries().get(new PyStr("analysis_time")));
    if (analysis >= 1) {
      text += " + " + humanDuration(analysis) + " startup";
    }
    return Optional.of(text);
  }

  private static double seconds(Value value) {
    if (value instanceof PyFloat f) {
      return f.value();
    }
    if (value instanceof PyInt i) {
      return i.value().doubleValue();
    }
    return 0;
  }

  /**
   * {@return Barman's {@code human_readable_timedelta}: {@code 1 hour, 2 minutes and 3 seconds}}
   *
   * @param seconds the duration in seconds
   */
  public static String humanDuration(double seconds) {
    List<String> parts = Human.durationParts(Duration.ofSeconds((long) Math.abs(seconds)));
    if (parts.isEmpty()) {
      return "less than one second";
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
  }


  /**
   * {@return Barman's {@code pretty_size} in base 1024: {@code 512 B}, {@code 55.3 MiB}}
   *
   * @param bytes the size in bytes
   */
  public static String prettySize(long bytes) {
    return Human.size(bytes);
  }

}
