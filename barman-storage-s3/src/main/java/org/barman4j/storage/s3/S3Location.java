package org.barman4j.storage.s3;

import java.util.Objects;
import org.barman4j.storage.Keys;
import org.barman4j.storage.StorageUri;

/**
 * A bucket and the key prefix under it that a backend is rooted at ({@code s3://bucket/a/b} → bucket
 * {@code bucket}, root {@code a/b/}; {@code s3://bucket} → root empty).
 *
 * @param bucket the bucket name
 * @param root the S3 key prefix every backend key is appended to: empty, or ending in '/'
 */
record S3Location(String bucket, String root) {
  S3Location {
    Objects.requireNonNull(bucket, "bucket is null");
    Objects.requireNonNull(root, "root is null");
  }

  /**
   * The location {@code uri} names.
   *
   * @throws IllegalArgumentException if the bucket is missing or malformed or the path is not a valid prefix
   */
  static S3Location of(StorageUri uri) {
    String bucket = uri.authority();
    if (!isBucketName(bucket)) {
      throw new IllegalArgumentException("Invalid S3 URL '" + uri
          + "': expected s3://BUCKET/PATH with a bucket name of 3 to 63 characters a-z, 0-9, '.', '-'");
    }
    String path = uri.trimmedPath();
    if (!path.isEmpty()) {
      try {
        Keys.check(path);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid S3 URL '" + uri + "': " + e.getMessage(), e);
      }
    }
    return new S3Location(bucket, path.isEmpty() ? "" : path + "/");
  }

  // S3's rules for new buckets, loosened to allow the upper case and '_' of legacy us-east-1 buckets.
  private static boolean isBucketName(String name) {
    if (name.length() < 3 || name.length() > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
          || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The S3 key of backend key {@code key}. */
  String s3Key(String key) {
    return root + key;
  }

  /** The backend key of S3 key {@code s3Key}, which must lie under the root. */
  String key(String s3Key) {
    return s3Key.substring(root.length());
  }

  /** {@code s3://bucket/root/key}, for messages. */
  String url(String key) {
    return "s3://" + bucket + "/" + root + key;
  }

  /** {@code s3://bucket/root}, for messages. */
  String url() {
    return "s3://" + bucket + (root.isEmpty() ? "" : "/" + root.substring(0, root.length() - 1));
  }
}
