package org.barman4j.storage;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The one rule set for object keys, so every backend sees the same keys and the local backend can never
 * leave its root: non-empty, at most 1024 UTF-8 bytes, '/'-separated, no leading or trailing '/', no
 * empty, {@code .} or {@code ..} segment, no trailing '.', no control characters.
 */
public final class Keys {
  /** Longest key in UTF-8 bytes, the smallest limit among the supported stores. */
  public static final int MAX_KEY_BYTES = 1024;

  /**
   * Ascending UTF-8 byte order, the order of every listing. It equals Unicode code point order and differs
   * from {@link String#compareTo}, which orders UTF-16 units and so puts supplementary characters (emoji,
   * rare CJK) before U+E000–U+FFFF.
   */
  public static final Comparator<String> UTF8_ORDER = new Utf8Order();

  // A class, not a method reference: a lambda's first use costs a short-lived tool process milliseconds.
  private static final class Utf8Order implements Comparator<String> {
    @Override
    public int compare(String a, String b) {
      return compareUtf8(a, b);
    }
  }

  private Keys() {}

  /**
   * {@return {@code key} if it is valid}
   *
   * @param key the object's key
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  public static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("Invalid key: empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("Invalid key (over " + MAX_KEY_BYTES + " bytes): " + key);
    }
    if (key.endsWith(".")) {
      throw new IllegalArgumentException("Invalid key (ends with '.'): " + key);
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("Invalid key (control character): " + key.replaceAll("\\p{Cntrl}", "?"));
      }
    }
    checkSegments(key, key.split("/", -1), false);
    return key;
  }

  /**
   * {@return {@code prefix} if it is a valid listing prefix: empty, or a key whose last segment may be empty
   * or partial ({@code wals/}, {@code wals/0000})}
   *
   * @param prefix a listing prefix
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("Invalid prefix: null");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    String[] segments = prefix.split("/", -1);
    checkSegments(prefix, segments, true);
    return prefix;
  }

  private static void checkSegments(String key, String[] segments, boolean lastMayBeEmpty) {
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.isEmpty() && !(last && lastMayBeEmpty && i > 0)) {
        throw new IllegalArgumentException("Invalid key (empty segment, leading or trailing '/'): " + key);
      }
      if ((s.equals(".") || s.equals("..")) && !(last && lastMayBeEmpty)) {
        throw new IllegalArgumentException("Invalid key ('.' or '..' segment): " + key);
      }
    }
  }

  /**
   * Joins non-empty parts with '/' and checks the result.
   *
   * @param parts key parts; empty ones are skipped
   * @return the key
   */
  public static String join(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return check(sb.toString());
  }

  private static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        // Surrogates stand for code points above U+FFFF: move them above U+E000–U+FFFF.
        return codePointRank(ca) - codePointRank(cb);
      }
    }
    return a.length() - b.length();
  }

  private static int codePointRank(char c) {
    if (c >= 0xE000) {
      return c - 0x800;
    }
    if (c >= 0xD800) {
      return c + 0x2000;
    }
    return c;
  }
}
