package org.barman4j.storage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing: objects and (delimited listings only) common prefixes, each ending in '/',
 * both in ascending UTF-8 byte order; {@code nextPageToken} is empty on the last page.
 *
 * @param objects the objects, in ascending UTF-8 byte order
 * @param commonPrefixes the folded prefixes, each ending in '/' (delimited listings only)
 * @param nextPageToken the token of the next page; empty on the last page
 */
public record ListPage(List<ObjectInfo> objects, List<String> commonPrefixes, Optional<String> nextPageToken) {
  /**
   * Checks that no component is null and copies the collections.
   *
   * @param objects the objects, in ascending UTF-8 byte order
   * @param commonPrefixes the folded prefixes, each ending in '/' (delimited listings only)
   * @param nextPageToken the token of the next page; empty on the last page
   */
  public ListPage {
    objects = List.copyOf(Objects.requireNonNull(objects, "objects is null"));
    commonPrefixes = List.copyOf(Objects.requireNonNull(commonPrefixes, "commonPrefixes is null"));
    Objects.requireNonNull(nextPageToken, "nextPageToken is null");
  }
}
