package org.barman4j.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a {@link RecoveryConfig} into a restored data directory the way Barman's {@code barman
 * restore} does.
 *
 * <p>PostgreSQL 12 and later: the settings are appended to {@code postgresql.auto.conf} (existing
 * lines are kept) and an empty {@code recovery.signal} (or {@code standby.signal}) is created.
 * Older servers get a {@code recovery.conf}.
 *
 * <p>In {@code postgresql.conf} and {@code postgresql.auto.conf}, an {@code archive_command} line
 * is kept as a {@code #BARMAN#} comment and replaced with {@code archive_command = false}, so the
 * restored server cannot archive into its origin's archive; older {@code recovery_target*} lines
 * are commented out the same way, so they cannot combine with the new target. The original files
 * are kept as {@code *.origin}.
 */
public final class RecoveryConfigWriter {
  /** The file PostgreSQL 12+ reads last, so its settings override {@code postgresql.conf}. */
  public static final String AUTO_CONF = "postgresql.auto.conf";

  private static final int FIRST_SIGNAL_FILE_VERSION = 120000;
  private static final int FIRST_TARGET_ACTION_VERSION = 90500;
  private static final String COMMENT_PREFIX = "#BARMAN#";
  private static final Set<String> COMMENTED_OUT = Set.of(
      "recovery_target", "recovery_target_name", "recovery_target_time", "recovery_target_xid",
      "recovery_target_lsn", "recovery_target_inclusive", "recovery_target_timeline",
      "recovery_target_action");
  private static final Pattern SETTING = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.$-]*)\\s*(=|\\s|$)");

  private RecoveryConfigWriter() {}

  /**
   * Writes {@code config} into {@code dataDir} for a server of {@code serverVersion} ({@code
   * server_version_num}, e.g. 150020).
   *
   * @param comment one line written above the settings, e.g. naming the backup
   * @param config the recovery settings
   * @param serverVersion the server's {@code server_version_num}, e.g. 150020
   * @param dataDir the restored data directory
   * @throws IOException if a file cannot be written
   * @return the files created or changed, {@code dataDir}-relative
   * @throws IllegalArgumentException if the server version cannot honour the configuration
   */
  public static List<Path> write(Path dataDir, RecoveryConfig config, int serverVersion, String comment)
      throws IOException {
    Objects.requireNonNull(dataDir, "dataDir is null");
    Objects.requireNonNull(config, "config is null");
    Objects.requireNonNull(comment, "comment is null");
    check(config, serverVersion);
    List<Path> written = new ArrayList<>();
    for (String name : List.of("postgresql.conf", AUTO_CONF)) {
      if (mangle(dataDir.resolve(name))) {
        written.add(Path.of(name));
        written.add(Path.of(name + ".origin"));
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add("# " + comment.replace('\n', ' ').replace('\r', ' '));
    lines.add(setting("restore_command", config.restoreCommand()));
    if (config.target().isPresent()) {
      lines.add(setting(config.target().get().setting(), config.target().get().value()));
    }
    if (config.timeline().isPresent()) {
      lines.add(setting("recovery_target_timeline", config.timeline().get().value()));
    }
    if (config.action().isPresent()) {
      lines.add(setting("recovery_target_action", config.action().get().value()));
    }
    if (config.exclusive()) {
      lines.add(setting("recovery_target_inclusive", "off"));
    }
    if (serverVersion >= FIRST_SIGNAL_FILE_VERSION) {
      Path auto = dataDir.resolve(AUTO_CONF);
      append(auto, lines);
      if (!written.contains(Path.of(AUTO_CONF))) {
        written.add(Path.of(AUTO_CONF));
      }
      String signal = config.standby() ? "standby.signal" : "recovery.signal";
      Files.write(dataDir.resolve(signal), new byte[0]);
      written.add(Path.of(signal));
    } else {
      if (config.standby()) {
        lines.add(setting("standby_mode", "on"));
      }
      writeAtomically(dataDir.resolve("recovery.conf"), String.join("\n", lines) + "\n");
      written.add(Path.of("recovery.conf"));
    }
    return List.copyOf(written);
  }

  /**
   * Checks that a server of {@code serverVersion} can honour {@code config}, so that a restore can
   * refuse before it downloads anything.
   *
   * @param config the recovery settings
   * @param serverVersion the server's {@code server_version_num}, e.g. 150020
   * @throws IllegalArgumentException if it cannot
   */
  public static void check(RecoveryConfig config, int serverVersion) {
    if (config.action().isPresent() && serverVersion < FIRST_TARGET_ACTION_VERSION) {
      throw new IllegalArgumentException("recovery_target_action needs PostgreSQL 9.5 or later; the backup is of "
          + serverVersion);
    }
  }

  /** A {@code name = 'value'} line, the value quoted as PostgreSQL's configuration files require. */
  static String setting(String name, String value) {
    return name + " = '" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** Comments out dangerous settings in {@code file}; false if it is absent or needed no change. */
  private static boolean mangle(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    String original = Files.readString(file, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(original.length() + 128);
    boolean changed = false;
    for (String line : original.split("\n", -1)) {
      Matcher m = SETTING.matcher(line);
      String key = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
      if (key.equals("archive_command")) {
        out.append(COMMENT_PREFIX).append(line).append('\n').append("archive_command = false").append('\n');
        changed = true;
      } else if (COMMENTED_OUT.contains(key)) {
        out.append(COMMENT_PREFIX).append(line).append('\n');
        changed = true;
      } else {
        out.append(line).append('\n');
      }
    }
    if (!changed) {
      return false;
    }
    // split() leaves one empty string after a final newline; do not double it.
    out.setLength(out.length() - 1);
    Files.copy(file, file.resolveSibling(file.getFileName() + ".origin"),
        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    writeAtomically(file, out.toString());
    return true;
  }

  private static void append(Path file, List<String> lines) throws IOException {
    String existing = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    StringBuilder text = new StringBuilder(existing);
    if (!existing.isEmpty() && !existing.endsWith("\n")) {
      text.append('\n');
    }
    for (String line : lines) {
      text.append(line).append('\n');
    }
    writeAtomically(file, text.toString());
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
    } else {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
