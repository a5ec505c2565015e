package org.barman4j.storage;

import java.util.Objects;

/**
 * A storage location {@code scheme://authority/path}, parsed without {@link java.net.URI} (whose
 * escaping rules fight object keys). {@link #toString()} gives the text as written.
 *
 * @param scheme lower-case scheme, e.g. {@code s3}, {@code file}
 * @param authority bucket, host or empty (as in {@code file:///var/lib/x})
 * @param path the rest, starting with '/' or empty
 */
public record StorageUri(String scheme, String authority, String path) {
  /**
   * Checks that no component is null and checks the values.
   *
   * @param scheme lower-case scheme, e.g. {@code s3}, {@code file}
   * @param authority bucket, host or empty (as in {@code file:///var/lib/x})
   * @param path the rest, starting with '/' or empty
   * @throws IllegalArgumentException if a component is invalid
   */
  public StorageUri {
    Objects.requireNonNull(scheme, "scheme is null");
    Objects.requireNonNull(authority, "authority is null");
    Objects.requireNonNull(path, "path is null");
    if (!isScheme(scheme)) {
      throw new IllegalArgumentException("Invalid URL scheme: '" + scheme + "'");
    }
    if (!path.isEmpty() && !path.startsWith("/")) {
      throw new IllegalArgumentException("URL path must start with '/': " + path);
    }
  }

  /**
   * Parses {@code text}.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException if it is not of the form {@code scheme://authority[/path]}
   * @return the URI
   */
  public static StorageUri parse(String text) {
    Objects.requireNonNull(text, "url is null");
    int sep = text.indexOf("://");
    if (sep <= 0) {
      throw new IllegalArgumentException("Invalid URL (expected scheme://location): '" + text + "'");
    }
    String scheme = text.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
    if (!isScheme(scheme)) {
      throw new IllegalArgumentException("Invalid URL scheme in '" + text + "'");
    }
    String rest = text.substring(sep + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    return new StorageUri(scheme, authority, path);
  }

  // RFC 3986 scheme, lower case; by hand because java.util.regex slows down every tool's start-up.
  private static boolean isScheme(String s) {
    if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@return the path without leading and trailing '/', e.g. {@code prefix/dir} for {@code s3://b/prefix/dir/}} */
  public String trimmedPath() {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }

  @Override
  public String toString() {
    return scheme + "://" + authority + path;
  }
}
