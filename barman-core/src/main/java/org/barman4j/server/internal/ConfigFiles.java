package org.barman4j.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.barman4j.server.ConfigFinding;

/**
 * Barman 3.4's treatment of a restored server's configuration files: settings that could harm the origin
 * ({@code archive_command}) or fight the new recovery target ({@code recovery_target*}) are kept as
 * {@code #BARMAN#} comments, {@code archive_command} is set to {@code false}, the file as restored is kept
 * as {@code FILE.origin}, and settings naming paths or other files are reported for review.
 */
public final class ConfigFiles {
  /** Barman's pattern for one setting: the key is the first run of characters that are neither blank nor '='. */
  private static final Pattern SETTING = Pattern.compile("^\\s*([^\\s=]+)\\s*=?\\s*(.*)$");
  private static final Map<String, Optional<String>> MANGLED = Map.of(
      "archive_command", Optional.of("false"),
      "recovery_target", Optional.empty(),
      "recovery_target_name", Optional.empty(),
      "recovery_target_time", Optional.empty(),
      "recovery_target_xid", Optional.empty(),
      "recovery_target_lsn", Optional.empty(),
      "recovery_target_inclusive", Optional.empty(),
      "recovery_target_timeline", Optional.empty(),
      "recovery_target_action", Optional.empty());
  private static final List<String> DANGEROUS = List.of(
      "data_directory", "config_file", "hba_file", "ident_file", "external_pid_file", "ssl_cert_file",
      "ssl_key_file", "ssl_ca_file", "ssl_crl_file", "unix_socket_directory", "unix_socket_directories",
      "include", "include_dir", "include_if_exists");

  private ConfigFiles() {}

  /**
   * Rewrites {@code file} as Barman does: the original becomes {@code file.origin} (always, as Barman), the
   * dangerous settings are commented out, and {@code appended} lines (the recovery settings) go at the end.
   *
   * @param file a regular file, not a link
   * @param appended lines to add at the end
   * @return the changed settings, with 0-based line numbers
   * @throws IOException if the file cannot be rewritten
   */
  public static List<ConfigFinding> mangle(Path file, List<String> appended) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(file + " is not a regular file");
    }
    String name = file.getFileName().toString();
    Path origin = file.resolveSibling(name + ".origin");
    byte[] original = Files.readAllBytes(file);
    List<String> lines = splitKeepingEnds(new String(original, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder(original.length + 256);
    List<ConfigFinding> changes = new ArrayList<>();
    String last = "";
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      Matcher m = SETTING.matcher(stripEnd(line));
      if (m.matches() && MANGLED.containsKey(m.group(1))) {
        Optional<String> value = MANGLED.get(m.group(1));
        out.append("#BARMAN#").append(line);
        value.ifPresent(v -> out.append(m.group(1)).append(" = ").append(v).append('\n'));
        changes.add(new ConfigFinding(name, n, m.group(1), value.orElse("None")));
        continue;
      }
      last = line;
      out.append(line);
    }
    if (!appended.isEmpty()) {
      // Barman 3.4 means to add a newline only when the last line lacks one, but compares a byte with a
      // bytes object, so it always adds one after a non-empty last line; the same bytes are written here.
      if (!last.isEmpty()) {
        out.append('\n');
      }
      out.append(String.join("\n", appended)).append('\n');
    }
    Files.move(file, origin, StandardCopyOption.REPLACE_EXISTING);
    Path tmp = file.resolveSibling(name + ".tmp");
    Files.writeString(tmp, out, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(origin));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    return List.copyOf(changes);
  }

  /**
   * {@return the settings of {@code file} that name paths or other files, for the user to review}
   *
   * @param file the configuration file
   * @throws IOException if it cannot be read
   */
  public static List<ConfigFinding> dangerous(Path file) throws IOException {
    List<ConfigFinding> found = new ArrayList<>();
    List<String> lines = splitKeepingEnds(Files.readString(file, StandardCharsets.UTF_8));
    String name = file.getFileName().toString();
    for (int n = 0; n < lines.size(); n++) {
      Matcher m = SETTING.matcher(stripEnd(lines.get(n)));
      if (m.matches() && DANGEROUS.contains(m.group(1))) {
        found.add(new ConfigFinding(name, n, m.group(1), m.group(2)));
      }
    }
    return List.copyOf(found);
  }

  /** Python's {@code readlines()}: each line with its newline. */
  static List<String> splitKeepingEnds(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** Python's '$' matches before a final newline and '.' excludes it: the value never holds the newline. */
  private static String stripEnd(String line) {
    return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
  }
}
