package org.barman4j.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * How to list: whether keys with a '/' after the prefix are folded into common prefixes, the largest
 * page wanted, and the token of the page to fetch (empty: the first page).
 *
 * @param delimited whether keys with a '/' after the prefix are folded into common prefixes
 * @param pageSize the largest page wanted
 * @param pageToken the token of the page to fetch; empty for the first page
 */
public record ListOptions(boolean delimited, int pageSize, Optional<String> pageToken) {
  /** Flat listing, pages of up to 1000, first page. */
  public static final ListOptions DEFAULT = new ListOptions(false, 1000, Optional.empty());

  /**
   * Checks that no component is null and checks the values.
   *
   * @param delimited whether keys with a '/' after the prefix are folded into common prefixes
   * @param pageSize the largest page wanted
   * @param pageToken the token of the page to fetch; empty for the first page
   * @throws IllegalArgumentException if a component is invalid
   */
  public ListOptions {
    Objects.requireNonNull(pageToken, "pageToken is null");
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be >= 1: " + pageSize);
    }
  }

  /** {@return these options, folding keys at the next '/' after the prefix} */
  public ListOptions withDelimiter() {
    return new ListOptions(true, pageSize, pageToken);
  }

  /**
   * {@return these options with pages of at most {@code size} entries (a backend may return fewer)}
   *
   * @param size the most entries in one page
   */
  public ListOptions withPageSize(int size) {
    return new ListOptions(delimited, size, pageToken);
  }

  /**
   * {@return these options, asking for the page that {@code token} (from {@link ListPage#nextPageToken()}) names}
   *
   * @param token the token of the page to read
   */
  public ListOptions withPageToken(String token) {
    return new ListOptions(delimited, pageSize, Optional.of(Objects.requireNonNull(token, "token is null")));
  }
}
