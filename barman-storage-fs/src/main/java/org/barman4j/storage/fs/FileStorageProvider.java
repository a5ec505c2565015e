package org.barman4j.storage.fs;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProvider;
import org.barman4j.storage.StorageUri;

/**
 * Opens {@code file:///absolute/path} (or {@code file://localhost/absolute/path}) as a
 * {@link FileStorageBackend} rooted at that directory; provider id {@code file}. One property:
 * {@value #CREATE_ROOT} ({@code true} by default: a missing root is an empty store that the first write
 * creates; {@code false}: reads, listings and checks of a missing root fail with
 * {@link org.barman4j.storage.NoSuchStoreException}).
 *
 * <p>The path is taken literally, without percent-decoding, so {@code "file://" + path} round-trips any
 * absolute path. It claims every {@code file:} URL so that malformed ones, such as {@code file://relative}
 * (where {@code relative} would be a host name), fail with an explanation rather than "no provider".
 */
public final class FileStorageProvider implements StorageProvider {
  /** The provider id. */
  public static final String ID = "file";

  /** Whether a missing root directory is an empty store ({@code true}, the default) or an error. */
  public static final String CREATE_ROOT = "file.create-root";

  /** The URL scheme. */
  public static final String SCHEME = "file";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean supports(StorageUri uri) {
    return SCHEME.equals(uri.scheme());
  }

  /**
   * @throws IllegalArgumentException if the URL names a host, has no path, or has {@code .} or {@code ..}
   *     segments
   */
  @Override
  public StorageBackend open(StorageUri uri, StorageConfig config) {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(config, "config is null");
    boolean createRoot = config.bool(CREATE_ROOT, true);
    return new FileStorageBackend(root(uri),
        createRoot ? FileStorageBackend.MissingRoot.EMPTY : FileStorageBackend.MissingRoot.FAILS);
  }

  @Override
  public Set<String> propertyNames() {
    return Set.of(CREATE_ROOT);
  }

  /** The directory {@code uri} names. */
  static Path root(StorageUri uri) {
    String expected = "; expected file:///absolute/path";
    if (!SCHEME.equals(uri.scheme())) {
      throw new IllegalArgumentException("Invalid file URL '" + uri + "': not a file: URL" + expected);
    }
    if (!uri.authority().isEmpty() && !uri.authority().equals("localhost")) {
      throw new IllegalArgumentException("Invalid file URL '" + uri + "': '" + uri.authority()
          + "' stands where a host name goes, and only a local path is supported" + expected
          + " (three slashes)");
    }
    if (uri.path().isEmpty()) {
      throw new IllegalArgumentException("Invalid file URL '" + uri + "': no path" + expected);
    }
    for (String segment : uri.path().split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "Invalid file URL '" + uri + "': '.' and '..' segments are not allowed" + expected);
      }
    }
    Path root;
    try {
      root = Path.of(uri.path());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("Invalid file URL '" + uri + "': " + e.getReason(), e);
    }
    if (!root.isAbsolute()) {
      throw new IllegalArgumentException("Invalid file URL '" + uri + "': the path is not absolute" + expected);
    }
    return root.normalize();
  }
}
