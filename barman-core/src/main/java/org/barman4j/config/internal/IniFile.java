package org.barman4j.config.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.barman4j.BarmanConfigurationException;

/**
 * An INI document read with the semantics of Python's {@code ConfigParser(strict=False)}: {@code #}/{@code ;}
 * comment lines, {@code key = value} and {@code key: value}, lower-cased option names, indented continuation
 * lines, a repeated section or option merges (the last value wins), {@code [DEFAULT]} values visible in
 * every section, and {@code %(name)s} basic interpolation.
 */
public final class IniFile {
  private static final String DEFAULT = "DEFAULT";
  private static final Pattern SECTION = Pattern.compile("\\[(?<header>.+)\\]");
  private static final Pattern OPTION = Pattern.compile("(?<option>.*?)\\s*(?<vi>[=:])\\s*(?<value>.*)$");
  private static final int MAX_DEPTH = 10;

  /**
   * A raw value and where it was read.
   *
   * @param raw the value before interpolation
   * @param file the file
   * @param line the line of the option's name (1-based)
   */
  public record Entry(String raw, Path file, int line) {}

  private final Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
  private final Map<String, Entry> defaults = new LinkedHashMap<>();

  /**
   * Reads {@code file} into this document, merging with what was read before.
   *
   * @param file the file
   * @throws BarmanConfigurationException if the file cannot be read or is malformed
   */
  public void read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BarmanConfigurationException(file + ": cannot read: " + e.getMessage(), e);
    }
    Map<String, Entry> current = null;
    String option = null;
    StringBuilder value = null;
    int optionLine = 0;
    int indentLevel = 0;
    int pendingBlank = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String stripped = line.strip();
      if (stripped.startsWith("#") || stripped.startsWith(";")) {
        continue;
      }
      if (stripped.isEmpty()) {
        if (value != null) {
          pendingBlank++;
        }
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      if (value != null && indent > indentLevel) {
        value.append("\n".repeat(pendingBlank + 1)).append(stripped);
        pendingBlank = 0;
        continue;
      }
      flush(current, option, value, file, optionLine);
      value = null;
      pendingBlank = 0;
      indentLevel = indent;
      Matcher m = SECTION.matcher(stripped);
      if (m.matches()) {
        String header = m.group("header");
        current = DEFAULT.equals(header) ? defaults : sections.computeIfAbsent(header, k -> new LinkedHashMap<>());
        continue;
      }
      if (current == null) {
        throw new BarmanConfigurationException(file + ":" + (i + 1) + ": no section header before '" + stripped + "'");
      }
      m = OPTION.matcher(stripped);
      if (!m.matches() || m.group("option").isBlank()) {
        throw new BarmanConfigurationException(file + ":" + (i + 1) + ": syntax error: '" + stripped
            + "' is neither a section header nor 'key = value'");
      }
      option = m.group("option").strip().toLowerCase(Locale.ROOT);
      value = new StringBuilder(m.group("value").strip());
      optionLine = i + 1;
    }
    flush(current, option, value, file, optionLine);
  }

  private static void flush(Map<String, Entry> section, String option, StringBuilder value, Path file, int line) {
    if (value != null) {
      section.put(option, new Entry(value.toString().strip(), file, line));
    }
  }

  /** {@return the section names in the order first seen, without {@code DEFAULT}} */
  public List<String> sections() {
    return List.copyOf(sections.keySet());
  }

  /**
   * {@return whether the document has section {@code section}}
   *
   * @param section the section
   */
  public boolean hasSection(String section) {
    return sections.containsKey(section);
  }

  /**
   * {@return the raw options of {@code section} with the {@code [DEFAULT]} ones, for change detection}
   *
   * @param section the section
   */
  public Map<String, String> rawItems(String section) {
    Map<String, String> items = new LinkedHashMap<>();
    defaults.forEach((k, e) -> items.put(k, e.raw()));
    sections.getOrDefault(section, Map.of()).forEach((k, e) -> items.put(k, e.raw()));
    return items;
  }

  /**
   * {@return where {@code option} of {@code section} is set (the section, then {@code [DEFAULT]})}
   *
   * @param section the section
   * @param option the option, lower case
   */
  public Optional<Entry> entry(String section, String option) {
    Entry e = sections.getOrDefault(section, Map.of()).get(option);
    return Optional.ofNullable(e != null ? e : defaults.get(option));
  }

  /**
   * Returns the interpolated value as {@code ConfigParser.get(section, option, vars=vars)} does: {@code vars}
   * first, then the section, then {@code [DEFAULT]}; null when unset.
   *
   * @param section the section
   * @param option the option, lower case
   * @param vars values that take precedence, also visible to interpolation
   * @return the value, or null when unset
   * @throws BarmanConfigurationException on an interpolation error
   */
  public String get(String section, String option, Map<String, String> vars) {
    Objects.requireNonNull(vars, "vars is null");
    Map<String, String> map = new LinkedHashMap<>();
    defaults.forEach((k, e) -> map.put(k, e.raw()));
    sections.getOrDefault(section, Map.of()).forEach((k, e) -> map.put(k, e.raw()));
    vars.forEach((k, v) -> map.put(k.toLowerCase(Locale.ROOT), v));
    String raw = map.get(option);
    if (raw == null) {
      return null;
    }
    String origin = entry(section, option).map(e -> e.file() + ":" + e.line() + ": ").orElse("")
        + "[" + section + "] " + option;
    StringBuilder out = new StringBuilder();
    interpolate(raw, map, out, 1, origin);
    return out.toString();
  }

  private static void interpolate(String rest, Map<String, String> map, StringBuilder out, int depth, String origin) {
    if (depth > MAX_DEPTH) {
      throw new BarmanConfigurationException(origin + ": interpolation too deep (more than " + MAX_DEPTH + " levels)");
    }
    int i = 0;
    while (i < rest.length()) {
      int p = rest.indexOf('%', i);
      if (p < 0) {
        out.append(rest, i, rest.length());
        return;
      }
      out.append(rest, i, p);
      char c = p + 1 < rest.length() ? rest.charAt(p + 1) : 0;
      if (c == '%') {
        out.append('%');
        i = p + 2;
      } else if (c == '(') {
        int close = rest.indexOf(")s", p);
        if (close < 0) {
          throw new BarmanConfigurationException(origin + ": bad interpolation syntax in '" + rest + "'");
        }
        String name = rest.substring(p + 2, close).toLowerCase(Locale.ROOT);
        String v = map.get(name);
        if (v == null) {
          throw new BarmanConfigurationException(origin + ": '%(" + name + ")s' refers to an unknown option");
        }
        if (v.indexOf('%') >= 0) {
          interpolate(v, map, out, depth + 1, origin);
        } else {
          out.append(v);
        }
        i = close + 2;
      } else {
        throw new BarmanConfigurationException(origin + ": '%' must be followed by '%' or '(', found '" + rest + "'");
      }
    }
  }
}
