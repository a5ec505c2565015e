package org.barman4j.storage.gcs;

import java.util.Objects;
import org.barman4j.storage.Keys;
import org.barman4j.storage.StorageUri;

/**
 * A bucket and the object-name prefix that a {@code gs://BUCKET/PATH} URL names; keys live below the prefix.
 *
 * @param bucket the bucket name
 * @param prefix the path without leading or trailing '/', possibly empty
 */
record GcsLocation(String bucket, String prefix) {
  static final String CONSOLE_HOST = "console.cloud.google.com";
  static final String CONSOLE_PATH = "/storage/browser/";

  GcsLocation {
    Objects.requireNonNull(bucket, "bucket is null");
    Objects.requireNonNull(prefix, "prefix is null");
  }

  /** Whether {@code uri} is {@code gs://…} or the console form barman-cloud also accepts. */
  static boolean matches(StorageUri uri) {
    return uri.scheme().equals("gs")
        || (uri.scheme().equals("https") && uri.authority().equals(CONSOLE_HOST) && uri.path().startsWith(CONSOLE_PATH));
  }

  /**
   * Parses {@code gs://BUCKET[/PATH]} or {@code https://console.cloud.google.com/storage/browser/BUCKET[/PATH]}.
   *
   * @throws IllegalArgumentException naming the URL if it is malformed or the bucket name is invalid
   */
  static GcsLocation of(StorageUri uri) {
    String bucket;
    String path;
    if (uri.scheme().equals("gs")) {
      bucket = uri.authority();
      path = uri.trimmedPath();
    } else if (matches(uri)) {
      String rest = uri.path().substring(CONSOLE_PATH.length());
      int slash = rest.indexOf('/');
      bucket = slash < 0 ? rest : rest.substring(0, slash);
      path = new StorageUri("gs", bucket, slash < 0 ? "" : rest.substring(slash)).trimmedPath();
    } else {
      throw new IllegalArgumentException("Google Cloud Storage URL " + uri
          + " is malformed; expected gs://bucket-name/some/path");
    }
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("Google Cloud Storage URL " + uri + " is malformed: bucket name not found");
    }
    String problem = bucketNameProblem(bucket);
    if (problem != null) {
      throw new IllegalArgumentException("Google Cloud Storage URL " + uri + ": invalid bucket name '" + bucket
          + "' (" + problem + ")");
    }
    if (!path.isEmpty()) {
      try {
        Keys.check(path);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Google Cloud Storage URL " + uri + " has an invalid path: " + e.getMessage(), e);
      }
    }
    return new GcsLocation(bucket, path);
  }

  // https://cloud.google.com/storage/docs/buckets#naming
  private static String bucketNameProblem(String name) {
    if (name.length() < 3 || name.length() > 222 || (name.indexOf('.') < 0 && name.length() > 63)) {
      return "3 to 63 characters, or up to 222 with dots";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
        return "only lower-case letters, digits, '-', '_' and '.'";
      }
    }
    if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
      return "must start and end with a letter or digit";
    }
    return null;
  }

  /** The object name of {@code key}. */
  String objectName(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  /** The object-name prefix of a key prefix (which may be empty). */
  String namePrefix(String keyPrefix) {
    return prefix.isEmpty() ? keyPrefix : prefix + "/" + keyPrefix;
  }

  /** The key of {@code objectName}, which lies below the prefix. */
  String key(String objectName) {
    return prefix.isEmpty() ? objectName : objectName.substring(prefix.length() + 1);
  }

  /** {@code gs://bucket/object-name} of {@code key}, for messages. */
  String url(String key) {
    return "gs://" + bucket + "/" + objectName(key);
  }

  /** {@code gs://bucket[/prefix]}. */
  @Override
  public String toString() {
    return "gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }
}
