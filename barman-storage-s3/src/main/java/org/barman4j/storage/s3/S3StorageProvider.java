package org.barman4j.storage.s3;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProvider;
import org.barman4j.storage.StorageUri;

/**
 * Opens {@code s3://BUCKET[/PATH]} as an {@link S3StorageBackend}; provider id {@code aws-s3}, as
 * barman-cloud's {@code --cloud-provider}. Properties are described in {@link S3StorageProperties}.
 *
 * <p>This class touches no AWS SDK class: discovery and property checks stay cheap, and the SDK loads
 * only when a backend is opened.
 */
public final class S3StorageProvider implements StorageProvider {
  /** The provider id. */
  public static final String ID = "aws-s3";

  /** The URL scheme. */
  public static final String SCHEME = "s3";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean supports(StorageUri uri) {
    return SCHEME.equals(uri.scheme());
  }

  /**
   * @throws IllegalArgumentException if the URL has no bucket, a malformed bucket name, a path that is not a
   *     valid key prefix, or a malformed property
   */
  @Override
  public StorageBackend open(StorageUri uri, StorageConfig config) throws IOException {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(config, "config is null");
    S3Location location = S3Location.of(uri);
    S3StorageProperties properties = S3StorageProperties.parse(config);
    return new S3StorageBackend(location, properties);
  }

  @Override
  public Set<String> propertyNames() {
    return S3StorageProperties.NAMES;
  }

  @Override
  public Set<String> sensitivePropertyNames() {
    return S3StorageProperties.SENSITIVE;
  }
}
