package org.barman4j.server.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version a PostgreSQL client program reports with {@code --version}, e.g. {@code 15.18} from
 * {@code pg_basebackup (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)}.
 *
 * @param text the version as printed, e.g. {@code 15.18}, {@code 9.6.24} or {@code 16devel}
 * @param major the major version as a {@code server_version_num} prefix: {@code 150000} for 15,
 *     {@code 90600} for 9.6
 */
public record PgClientVersion(String text, int major) {

  private static final Pattern PARENTHESES = Pattern.compile("\\s*\\([^)]*\\)");
  private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?.*");

  /**
   * Checks the components.
   *
   * @param text the version text
   * @param major the major version number
   */
  public PgClientVersion {
    Objects.requireNonNull(text, "text is null");
    if (major <= 0) {
      throw new IllegalArgumentException("invalid major version " + major);
    }
  }

  /**
   * Parses the first line of {@code --version} as Barman does: the parenthesised parts removed, the
   * second word is the version.
   *
   * @param output what the program printed
   * @return the version, empty if the output is not a version line
   */
  public static Optional<PgClientVersion> parse(String output) {
    String line = output.strip().lines().findFirst().orElse("");
    String[] words = PARENTHESES.matcher(line).replaceAll("").split("\\s+");
    if (words.length < 2) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(words[1]);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      int first = Integer.parseInt(m.group(1));
      if (first >= 10) {
        return Optional.of(new PgClientVersion(words[1], first * 10000));
      }
      int second = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
      return first == 0 ? Optional.empty() : Optional.of(new PgClientVersion(words[1], first * 10000 + second * 100));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * {@return the major version part of a {@code server_version_num}: 150000 for 150018, 90600 for 90624}
   *
   * @param versionNum the server's {@code server_version_num}
   */
  public static int majorOf(int versionNum) {
    return versionNum >= 100000 ? versionNum / 10000 * 10000 : versionNum / 100 * 100;
  }

  /**
   * {@return the major version as PostgreSQL names it: {@code 15}, {@code 9.6}}
   *
   * @param versionNum a {@code server_version_num} or a major version number
   */
  public static String majorName(int versionNum) {
    int major = majorOf(versionNum);
    return major >= 100000 ? Integer.toString(major / 10000) : major / 10000 + "." + major / 100 % 100;
  }

  /**
   * {@return whether this client can copy a server of that version: Barman's rule, the client's major
   * version at least the server's}
   *
   * @param serverVersionNum the server's {@code server_version_num}
   */
  public boolean canBackUp(int serverVersionNum) {
    return major >= majorOf(serverVersionNum);
  }
}
