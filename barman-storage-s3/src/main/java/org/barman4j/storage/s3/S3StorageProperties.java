package org.barman4j.storage.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.barman4j.storage.StorageConfig;

/**
 * The parsed {@code s3.*} properties of an {@code s3://BUCKET/PATH} backend. Plain Java, no SDK types, so
 * that parsing (and rejecting) properties costs nothing at discovery time.
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>name</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code s3.endpoint}</td><td>AWS</td><td>endpoint URL of an S3-compatible store
 *     ({@code --endpoint-url})</td></tr>
 * <tr><td>{@code s3.region}</td><td>{@code AWS_REGION}, {@code aws.region}, the profile's region, else
 *     {@code us-east-1} (as boto3)</td><td>signing region; the instance metadata service is never asked</td></tr>
 * <tr><td>{@code s3.profile}</td><td>the SDK's default chain</td><td>profile of the shared config and
 *     credentials files ({@code -P/--aws-profile/--profile})</td></tr>
 * <tr><td>{@code s3.read-timeout}</td><td>60</td><td>seconds to wait for data on a connection, Barman's
 *     {@code --read-timeout}</td></tr>
 * <tr><td>{@code s3.path-style}</td><td>{@code true} with an endpoint, {@code false} without</td><td>path-style
 *     addressing ({@code http://host/bucket/key}), which most S3-compatible stores (MinIO, Ceph) need;
 *     AWS itself prefers virtual-hosted addressing</td></tr>
 * <tr><td>{@code s3.sse}</td><td>none</td><td>{@code AES256} or {@code aws:kms} ({@code -e/--encryption})</td></tr>
 * <tr><td>{@code s3.sse-kms-key-id}</td><td>none</td><td>KMS key for {@code aws:kms}
 *     ({@code --sse-kms-key-id})</td></tr>
 * <tr><td>{@code s3.part-size}</td><td>16 MiB</td><td>bytes per multipart part (5MB to 5GB: 5 MiB to 5 GiB); objects up
 *     to one part are a single PutObject, so one WAL segment is one request</td></tr>
 * <tr><td>{@code s3.upload-concurrency}</td><td>4</td><td>parts of one upload sent in parallel; an upload
 *     holds at most part size × (concurrency + 1) bytes</td></tr>
 * <tr><td>{@code s3.if-none-match}</td><td>{@code true}</td><td>enforce {@code IF_ABSENT} with
 *     {@code If-None-Match: *} on PutObject and CompleteMultipartUpload. {@code false} is for stores that
 *     ignore the header: a HeadObject before the write, which is <em>not atomic</em> (two concurrent writers
 *     may both succeed, the last one winning)</td></tr>
 * <tr><td>{@code s3.checksums}</td><td>{@code when_supported}</td><td>{@code when_required} turns off the
 *     SDK's default request checksums (aws-chunked CRC trailers), which S3-compatible servers released
 *     before 2025 may reject</td></tr>
 * <tr><td>{@code s3.create-bucket}</td><td>{@code true}</td><td>a missing bucket reads as empty and the first
 *     write creates it (private, in the signing region), as Barman's {@code barman-cloud-wal-archive} and
 *     {@code barman-cloud-backup} do; {@code false}: every request on a missing bucket fails, saying so</td></tr>
 * <tr><td>{@code s3.access-key-id}, {@code s3.secret-access-key}</td><td>the default chain</td><td>explicit
 *     static credentials, for embedding and tests (sensitive)</td></tr>
 * </table>
 *
 * <p>Sizes and booleans follow the grammar of {@link StorageConfig} ({@code 16MB}, {@code 16MiB} and
 * {@code 16777216} are all 16 MiB; booleans are {@code true} or {@code false}).
 *
 * <p>Without explicit keys or a profile, credentials come from the SDK's default chain: the
 * {@code aws.accessKeyId} system properties, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 * (/{@code AWS_SESSION_TOKEN}), web identity ({@code AWS_WEB_IDENTITY_TOKEN_FILE}), the shared profile files,
 * container and instance roles.
 */
public record S3StorageProperties(
    Optional<URI> endpoint,
    Optional<String> region,
    Optional<String> profile,
    Duration readTimeout,
    boolean pathStyle,
    Optional<String> sse,
    Optional<String> sseKmsKeyId,
    int partSize,
    int uploadConcurrency,
    boolean ifNoneMatch,
    boolean checksumsWhenRequired,
    boolean createBucket,
    Optional<String> accessKeyId,
    Optional<String> secretAccessKey) {

  public static final String ENDPOINT = "s3.endpoint";
  public static final String REGION = "s3.region";
  public static final String PROFILE = "s3.profile";
  public static final String READ_TIMEOUT = "s3.read-timeout";
  public static final String PATH_STYLE = "s3.path-style";
  public static final String SSE = "s3.sse";
  public static final String SSE_KMS_KEY_ID = "s3.sse-kms-key-id";
  public static final String PART_SIZE = "s3.part-size";
  public static final String UPLOAD_CONCURRENCY = "s3.upload-concurrency";
  public static final String IF_NONE_MATCH = "s3.if-none-match";
  public static final String CHECKSUMS = "s3.checksums";
  public static final String CREATE_BUCKET = "s3.create-bucket";
  public static final String ACCESS_KEY_ID = "s3.access-key-id";
  public static final String SECRET_ACCESS_KEY = "s3.secret-access-key";

  /** Every property name. */
  public static final Set<String> NAMES = Set.of(ENDPOINT, REGION, PROFILE, READ_TIMEOUT, PATH_STYLE, SSE,
      SSE_KMS_KEY_ID, PART_SIZE, UPLOAD_CONCURRENCY, IF_NONE_MATCH, CHECKSUMS, CREATE_BUCKET, ACCESS_KEY_ID,
      SECRET_ACCESS_KEY);

  /** The secret ones. */
  public static final Set<String> SENSITIVE = Set.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY);

  /** S3's smallest part (but the last). */
  public static final int MIN_PART_SIZE = 5 << 20;

  /** S3's largest part. */
  public static final long MAX_PART_SIZE = 5L << 30;

  /** The default part size: a 16 MiB WAL segment fits one PutObject. */
  public static final int DEFAULT_PART_SIZE = 16 << 20;

  public S3StorageProperties {
    Objects.requireNonNull(endpoint, "endpoint is null");
    Objects.requireNonNull(region, "region is null");
    Objects.requireNonNull(profile, "profile is null");
    Objects.requireNonNull(readTimeout, "readTimeout is null");
    Objects.requireNonNull(sse, "sse is null");
    Objects.requireNonNull(sseKmsKeyId, "sseKmsKeyId is null");
    Objects.requireNonNull(accessKeyId, "accessKeyId is null");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey is null");
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(PART_SIZE + " must be at least " + MIN_PART_SIZE + ": " + partSize);
    }
    if (uploadConcurrency < 1) {
      throw new IllegalArgumentException(UPLOAD_CONCURRENCY + " must be at least 1: " + uploadConcurrency);
    }
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new IllegalArgumentException(ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + " go together");
    }
    if (sseKmsKeyId.isPresent() && !sse.equals(Optional.of("aws:kms"))) {
      throw new IllegalArgumentException(SSE_KMS_KEY_ID + " needs " + SSE + "=aws:kms");
    }
  }

  /**
   * Parses the {@code s3.*} entries of {@code config}; other names are ignored (the caller rejects unknown
   * {@code s3.*} names).
   *
   * @throws IllegalArgumentException naming the property whose value is malformed (never printing a secret)
   */
  public static S3StorageProperties parse(StorageConfig config) {
    Optional<URI> endpoint = config.get(ENDPOINT).map(S3StorageProperties::endpoint);
    Optional<String> sse = config.get(SSE);
    if (sse.isPresent() && !sse.get().equals("AES256") && !sse.get().equals("aws:kms")) {
      throw new IllegalArgumentException(SSE + " must be AES256 or aws:kms: " + sse.get());
    }
    String checksums = config.get(CHECKSUMS).orElse("when_supported").toLowerCase(Locale.ROOT);
    if (!checksums.equals("when_supported") && !checksums.equals("when_required")) {
      throw new IllegalArgumentException(CHECKSUMS + " must be when_supported or when_required: " + checksums);
    }
    return new S3StorageProperties(
        endpoint,
        nonBlank(config, REGION),
        nonBlank(config, PROFILE),
        Duration.ofMillis(Math.round(1000 * positiveNumber(config, READ_TIMEOUT, 60))),
        config.bool(PATH_STYLE, endpoint.isPresent()),
        sse,
        nonBlank(config, SSE_KMS_KEY_ID),
        partSize(config),
        (int) positiveNumber(config, UPLOAD_CONCURRENCY, 4),
        config.bool(IF_NONE_MATCH, true),
        checksums.equals("when_required"),
        config.bool(CREATE_BUCKET, true),
        nonBlank(config, ACCESS_KEY_ID),
        config.get(SECRET_ACCESS_KEY));
  }

  private static URI endpoint(String value) {
    try {
      URI uri = new URI(value);
      if (uri.getRawUserInfo() != null) {
        // Not echoed: the user-info part may hold a password.
        throw new IllegalArgumentException(ENDPOINT + " must not hold credentials (user:password@)");
      }
      if (uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException(ENDPOINT + " must be an http(s)://host[:port] URL: " + value);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(ENDPOINT + " is not a URL: " + value, e);
    }
  }

  private static Optional<String> nonBlank(StorageConfig config, String name) {
    Optional<String> value = config.get(name);
    if (value.isPresent() && value.get().isBlank()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    return value;
  }

  private static double positiveNumber(StorageConfig config, String name, double fallback) {
    Optional<String> value = config.get(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      double number = Double.parseDouble(value.get().strip());
      if (!(number > 0) || Double.isInfinite(number)) {
        throw new IllegalArgumentException(name + " must be a positive number: " + value.get());
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive number: " + value.get(), e);
    }
  }

  private static int partSize(StorageConfig config) {
    long size = config.size(PART_SIZE, DEFAULT_PART_SIZE);
    if (size < MIN_PART_SIZE || size > MAX_PART_SIZE) {
      throw config.invalid(PART_SIZE, "a size from 5MB to 5GB");
    }
    return (int) Math.min(Integer.MAX_VALUE - 8, size);
  }

  @Override
  public String toString() {
    // Never print the secret, nor the key id (it identifies the account).
    return "S3StorageProperties[endpoint=" + endpoint.map(URI::toString).orElse("AWS") + ", region="
        + region.orElse("default") + ", profile=" + profile.orElse("default") + ", readTimeout=" + readTimeout
        + ", pathStyle=" + pathStyle + ", sse=" + sse.orElse("none") + ", partSize=" + partSize
        + ", uploadConcurrency=" + uploadConcurrency + ", ifNoneMatch=" + ifNoneMatch
        + ", checksumsWhenRequired=" + checksumsWhenRequired + ", createBucket=" + createBucket
        + ", credentials=" + (accessKeyId.isPresent() ? "explicit" : "default chain") + "]";
  }
}
