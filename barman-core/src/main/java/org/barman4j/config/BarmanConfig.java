package org.barman4j.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.config.internal.IniFile;
import org.barman4j.config.internal.Options;

/**
 * The effective content of {@code barman.conf} (and of the {@code *.conf} files of its
 * {@code configuration_files_directory}), read as Barman 3.4 reads it.
 *
 * @param file the main configuration file
 * @param barmanHome {@code barman_home}
 * @param lockDirectory {@code barman_lock_directory}, default {@code barman_home}
 * @param barmanUser {@code barman_user}, default {@code barman}
 * @param logFile {@code log_file}, empty when unset
 * @param logLevel {@code log_level}, default {@code INFO}
 * @param servers every server, in section name order
 */
public record BarmanConfig(Path file, Path barmanHome, Path lockDirectory, String barmanUser, String logFile,
    String logLevel, List<ServerConfig> servers) {
  private static final String GLOBAL = "barman";
  private static final Pattern QUOTED = Pattern.compile("^([\"'])(.*)\\1$"); // like Python's: no DOTALL
  private static final Pattern FORMAT = Pattern.compile("%\\(([^)]*)\\)s");

  /**
   * Checks that no component is null and copies the list.
   *
   * @param file the main configuration file
   * @param barmanHome {@code barman_home}
   * @param lockDirectory {@code barman_lock_directory}
   * @param barmanUser {@code barman_user}
   * @param logFile {@code log_file}
   * @param logLevel {@code log_level}
   * @param servers every server
   */
  public BarmanConfig {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(barmanHome, "barmanHome is null");
    Objects.requireNonNull(lockDirectory, "lockDirectory is null");
    Objects.requireNonNull(barmanUser, "barmanUser is null");
    Objects.requireNonNull(logFile, "logFile is null");
    Objects.requireNonNull(logLevel, "logLevel is null");
    servers = List.copyOf(servers);
  }

  /**
   * {@return the server named {@code name}}
   *
   * @param name the server name
   */
  public Optional<ServerConfig> server(String name) {
    return servers.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** {@return the active servers, in name order} */
  public List<ServerConfig> activeServers() {
    return servers.stream().filter(ServerConfig::active).toList();
  }

  /**
   * Reads {@code file}, then every {@code *.conf} of {@code configuration_files_directory} in name order.
   *
   * @param file the main configuration file
   * @return the effective configuration
   * @throws BarmanConfigurationException with the file, line, section and option of a syntax error, an
   *     invalid value, a missing required option or a reserved server name, in one line
   */
  public static BarmanConfig load(Path file) {
    IniFile ini = new IniFile();
    ini.read(file);
    interpolateAll(ini, GLOBAL);
    if (!ini.hasSection(GLOBAL)) {
      throw new BarmanConfigurationException(file + ": the [barman] section is missing");
    }
    Map<String, String> global = ini.rawItems(GLOBAL);
    String includes = value(ini, GLOBAL, "configuration_files_directory", Map.of());
    if (includes != null && !includes.isEmpty()) {
      for (Path conf : includedFiles(Path.of(expandHome(includes)))) {
        ini.read(conf);
        if (!ini.rawItems(GLOBAL).equals(global)) {
          throw new BarmanConfigurationException(
              "the configuration file " + conf.getFileName() + " contains a not empty [barman] section");
        }
      }
    }
    String home = value(ini, GLOBAL, "barman_home", Map.of());
    if (home == null || home.isEmpty()) {
      throw new BarmanConfigurationException(file + ": [barman] barman_home: Parameter \"barman_home\" is required");
    }
    String lock = orElse(value(ini, GLOBAL, "barman_lock_directory", Map.of()), home);
    // checked even when no server uses them, so that a mistake is found before it matters
    for (String key : ini.rawItems(GLOBAL).keySet()) {
      if (Options.SERVER_KEYS.contains(key) && !Options.SERVER_ONLY.contains(key)) {
        parsed(ini, GLOBAL, key, Map.of("barman_home", home, "barman_lock_directory", lock));
      }
    }
    List<ServerConfig> servers = new ArrayList<>();
    for (String section : ini.sections().stream().sorted().toList()) {
      if (section.equals(GLOBAL)) {
        continue;
      }
      if (section.equals("all")) {
        throw new BarmanConfigurationException(where(ini, section, "") + "the reserved word 'all' is not allowed as "
            + "server name");
      }
      interpolateAll(ini, section);
      servers.add(resolve(ini, section, home, lock));
    }
    return new BarmanConfig(file, Path.of(home), Path.of(lock),
        orElse(value(ini, GLOBAL, "barman_user", Map.of()), "barman"),
        orElse(value(ini, GLOBAL, "log_file", Map.of()), ""),
        orElse(value(ini, GLOBAL, "log_level", Map.of()), "INFO"), servers);
  }

  /**
   * Barman 3.4 reads every option of a section once with only the section and {@code [DEFAULT]} visible, so a
   * reference to anything else (even {@code %(name)s}) is an error there: refused the same way here.
   */
  private static void interpolateAll(IniFile ini, String section) {
    if (ini.hasSection(section)) {
      ini.rawItems(section).keySet().forEach(key -> ini.get(section, key, Map.of()));
    }
  }

  private static ServerConfig resolve(IniFile ini, String section, String home, String lock) {
    // Barman interpolates with the options resolved so far, in its key order
    Map<String, String> resolved = new LinkedHashMap<>();
    resolved.put("name", section);
    resolved.put("barman_home", home);
    resolved.put("barman_lock_directory", lock);
    Map<String, String> values = new HashMap<>();
    for (String key : Options.SERVER_KEYS) {
      String value = parsed(ini, section, key, resolved);
      if (value == null && !Options.SERVER_ONLY.contains(key)) {
        value = parsed(ini, GLOBAL, key, resolved);
      }
      if (value == null && Options.DEFAULTS.containsKey(key)) {
        String text = format(Options.DEFAULTS.get(key), resolved);
        value = text.isEmpty() ? text : checked(key, text, "Barman's default for [" + section + "] " + key + ": ");
      }
      if (value != null && !value.isEmpty() && !value.equals("None")) {
        resolved.put(key, value);
        values.put(key, value);
      }
    }
    return new ServerConfig(section, values);
  }

  private static String parsed(IniFile ini, String section, String key, Map<String, String> resolved) {
    String value = value(ini, section, key, resolved);
    if (value == null || value.isEmpty()) {
      return value;
    }
    return checked(key, value, where(ini, section, key));
  }

  private static String checked(String key, String value, String where) {
    try {
      return Options.parse(key, value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BarmanConfigurationException(where + "invalid value '" + value + "': " + e.getMessage(), e);
    }
  }

  /** The value as Barman's {@code Config.get}: interpolated, {@code None} read as empty, one level of quotes off. */
  private static String value(IniFile ini, String section, String key, Map<String, String> vars) {
    if (!ini.hasSection(section)) {
      return null;
    }
    String value = ini.get(section, key, vars);
    if (value == null) {
      return null;
    }
    if (value.equalsIgnoreCase("none")) {
      return "";
    }
    Matcher m = QUOTED.matcher(value);
    return m.matches() ? m.group(2) : value;
  }

  private static String where(IniFile ini, String section, String key) {
    String file = ini.entry(section, key).map(e -> e.file() + ":" + e.line() + ": ").orElse("");
    return file + "[" + section + "]" + (key.isEmpty() ? "" : " " + key) + ": ";
  }

  /** Python's {@code text % dict}: an unset name formats as {@code None}. */
  private static String format(String text, Map<String, String> values) {
    return FORMAT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), "None")));
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static String expandHome(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return System.getProperty("user.home") + path.substring(1);
    }
    return path;
  }

  private static List<Path> includedFiles(Path dir) {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files; // Barman only logs a warning
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.conf")) {
      for (Path p : stream) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new BarmanConfigurationException(dir + ": cannot list configuration_files_directory: " + e.getMessage(), e);
    }
    files.sort((a, b) -> a.toString().compareTo(b.toString()));
    return files;
  }
}
