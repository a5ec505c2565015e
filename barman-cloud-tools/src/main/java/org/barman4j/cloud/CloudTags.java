package org.barman4j.cloud;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.barman4j.internal.cli.UsageException;

/** barman-cloud's {@code --tags K,V …} and {@code --tag K,V} values, checked with its limits. */
final class CloudTags {
  // In a holder so that the common case, no tags, never compiles a pattern (start-up time).
  private static final class Allowed {
    static final Pattern PATTERN = Pattern.compile("[a-zA-Z0-9 \\s_.:/=+\\-@]*");
  }

  private CloudTags() {}

  /** The tags given as {@code --tags} items and {@code --tag} items, in order. */
  static Map<String, String> parse(List<String> items) throws UsageException {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String item : items) {
      int comma = item.indexOf(',');
      if (comma < 0) {
        throw new UsageException("invalid tag '" + item + "': expected KEY,VALUE");
      }
      String key = item.substring(0, comma);
      String value = item.substring(comma + 1);
      if (key.isEmpty() || key.length() > 128 || !Allowed.PATTERN.matcher(key).matches() || key.startsWith("aws:")) {
        throw new UsageException("invalid tag key '" + key + "'");
      }
      if (value.length() > 256 || !Allowed.PATTERN.matcher(value).matches()) {
        throw new UsageException("invalid value for tag '" + key + "'");
      }
      if (tags.put(key, value) != null) {
        throw new UsageException("duplicate tag key '" + key + "'");
      }
    }
    if (tags.size() > 10) {
      throw new UsageException("too many tags: " + tags.size() + " (at most 10)");
    }
    return tags;
  }
}
