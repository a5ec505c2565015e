package org.barman4j.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.BulkDeleteException;
import org.barman4j.storage.Keys;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Precondition;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.Upload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A {@link StorageBackend} on one S3 bucket and key prefix, through the AWS SDK for Java v2 and its
 * URL-connection HTTP client (the quickest to start, which matters for one JVM per WAL segment).
 *
 * <ul>
 *   <li>Uploads buffer up to one part ({@code s3.part-size}): an object that fits is one PutObject at
 *       commit; a larger one becomes a multipart upload whose parts go up in parallel
 *       ({@code s3.upload-concurrency}), holding at most part size × (concurrency + 1) bytes, completed at
 *       commit and aborted by a close without commit, so nothing is ever visible before the commit.
 *   <li>{@link Precondition#IF_ABSENT} is {@code If-None-Match: *} on PutObject and on
 *       CompleteMultipartUpload, enforced by the server (412 → {@link ObjectExistsException}); with
 *       {@code s3.if-none-match=false} it is a HeadObject before the write, which is not atomic.
 *   <li>Tags go in {@code x-amz-tagging}, metadata in {@code x-amz-meta-*}, server-side encryption
 *       ({@code s3.sse}, {@code s3.sse-kms-key-id}) on every write.
 *   <li>When {@code s3.create-bucket} is true (the default) a missing bucket is an empty store, and the first
 *       write creates it, as Barman's wal-archive and backup tools do; when false, every request on a missing
 *       bucket fails with a message saying so (Barman's other tools).
 *   <li>Errors are mapped as {@link S3Errors} describes. The SDK retries three times in all ("standard"
 *       mode) and connecting times out after {@value #CONNECT_TIMEOUT_SECONDS} s, so an unreachable endpoint
 *       fails within seconds.
 * </ul>
 *
 * <p>Opening does no network I/O: the first request resolves credentials and connects.
 */
public final class S3StorageBackend implements StorageBackend {
  private static final Logger LOG = LoggerFactory.getLogger(S3StorageBackend.class);

  /** Seconds to wait for a TCP connection; generous for any real link, short for a dead endpoint. */
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** S3's limits: parts per upload, keys per DeleteObjects, bytes per object. */
  private static final int MAX_PARTS = 10_000;
  private static final int MAX_DELETE_BATCH = 1000;
  private static final long MAX_OBJECT_SIZE = 5L << 40;

  private final S3Location location;
  private final S3StorageProperties properties;
  private final String region;
  private final String endpoint;
  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final S3Client client;
  private final Capabilities capabilities;
  private final AttemptCounter attemptCounter = new AttemptCounter();
  private final Object lock = new Object();
  private ExecutorService partExecutor; // guarded by lock; created on the first multipart upload
  private boolean bucketChecked; // guarded by lock: a create-bucket attempt was made
  private boolean closed; // guarded by lock

  /** A backend on {@code location}; builds the client, but sends nothing. */
  public S3StorageBackend(S3Location location, S3StorageProperties properties) {
    this.location = Objects.requireNonNull(location, "location is null");
    this.properties = Objects.requireNonNull(properties, "properties is null");
    this.region = region(properties);
    this.endpoint = properties.endpoint().map(Object::toString).orElse("https://s3." + region + ".amazonaws.com");
    boolean plainHttp = properties.endpoint().map(uri -> "http".equalsIgnoreCase(uri.getScheme())).orElse(false);
    this.http = plainHttp
        ? PlainHttpConnections.client(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS), properties.readTimeout())
        : UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS))
            .socketTimeout(properties.readTimeout())
            .build();
    this.credentials = credentials(properties);
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(http)
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .forcePathStyle(properties.pathStyle())
        // Every body is a byte array in memory, so its hash and checksum can be computed in one pass before
        // sending. The SDK's aws-chunked encoding instead signs (over http) and checksums each 128 KiB chunk
        // a buffer at a time, which cost ten times the CPU of the upload itself.
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).addExecutionInterceptor(attemptCounter));
    if (properties.checksumsWhenRequired()) {
      builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    properties.endpoint().ifPresent(builder::endpointOverride);
    this.client = builder.build();
    long maxObject = Math.min(MAX_OBJECT_SIZE, (long) properties.partSize() * MAX_PARTS);
    this.capabilities = new Capabilities(properties.ifNoneMatch(), true, MAX_DELETE_BATCH, maxObject);
  }

  // Explicit, then AWS_REGION / aws.region, then the profile's; never the instance metadata service, whose
  // probe costs seconds off EC2. us-east-1 last, as boto3 (and so Barman) does.
  private static String region(S3StorageProperties properties) {
    if (properties.region().isPresent()) {
      return properties.region().get();
    }
    try {
      return new SystemSettingsRegionProvider().getRegion().id();
    } catch (SdkClientException e) {
      // not set: next source
    }
    try {
      AwsProfileRegionProvider provider = properties.profile().isPresent()
          ? new AwsProfileRegionProvider(ProfileFile::defaultProfileFile, properties.profile().get())
          : new AwsProfileRegionProvider();
      Region fromProfile = provider.getRegion();
      if (fromProfile != null) {
        return fromProfile.id();
      }
    } catch (SdkClientException | IllegalStateException e) {
      // no profile file or no region in it
    }
    return "us-east-1";
  }

  private static AwsCredentialsProvider credentials(S3StorageProperties properties) {
    if (properties.accessKeyId().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(properties.accessKeyId().get(), properties.secretAccessKey().orElseThrow()));
    }
    if (properties.profile().isPresent()) {
      return ProfileCredentialsProvider.builder().profileName(properties.profile().get()).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** Where this backend is rooted, e.g. {@code s3://bucket/prefix}. */
  public String url() {
    return location.url();
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    Keys.check(key);
    try {
      HeadObjectResponse head =
          client.headObject(HeadObjectRequest.builder().bucket(location.bucket()).key(location.s3Key(key)).build());
      if (head.lastModified() == null || head.contentLength() == null) {
        // Every S3 server sends both; a proxy or fake that does not is named rather than failing with an NPE.
        throw new StorageException("Cannot stat " + key + " at " + location.url()
            + ": the server's answer has no Last-Modified or Content-Length header");
      }
      return Optional.of(new ObjectInfo(key, head.contentLength(), head.lastModified(),
          Optional.ofNullable(head.eTag()), head.metadata()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      if (e instanceof AwsServiceException && ((AwsServiceException) e).statusCode() == 404) {
        return Optional.empty();
      }
      throw error(e, "stat", key);
    }
  }

  @Override
  public InputStream read(String key, ByteRange range) throws IOException {
    Keys.check(key);
    if (!range.toEnd() && range.length() == 0) {
      if (stat(key).isEmpty()) {
        throw new NoSuchObjectException(key);
      }
      return InputStream.nullInputStream();
    }
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(location.bucket()).key(location.s3Key(key));
    // A range running past Long.MAX_VALUE is a range to the end.
    boolean toEnd = range.toEnd() || range.length() > Long.MAX_VALUE - range.offset();
    if (range.offset() > 0 || !toEnd) {
      request.range("bytes=" + range.offset() + "-" + (toEnd ? "" : range.offset() + range.length() - 1));
    }
    try {
      return new S3ObjectInputStream(client.getObject(request.build()), this, key);
    } catch (NoSuchKeyException e) {
      throw new NoSuchObjectException(key);
    } catch (SdkException e) {
      if (missingBucketIsEmpty(e)) {
        throw new NoSuchObjectException(key);
      }
      if (e instanceof AwsServiceException && ((AwsServiceException) e).statusCode() == 416) {
        return InputStream.nullInputStream(); // the object exists; the range starts at or past its end
      }
      throw error(e, "read", key);
    }
  }

  @Override
  public ListPage list(String prefix, ListOptions options) throws IOException {
    Keys.checkPrefix(prefix);
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
        .bucket(location.bucket())
        .prefix(location.s3Key(prefix))
        .maxKeys(Math.min(options.pageSize(), 1000))
        .encodingType(EncodingType.URL);
    if (options.delimited()) {
      request.delimiter("/");
    }
    options.pageToken().ifPresent(request::continuationToken);
    ListObjectsV2Response response;
    try {
      response = client.listObjectsV2(request.build());
    } catch (SdkException e) {
      if (missingBucketIsEmpty(e)) {
        return new ListPage(List.of(), List.of(), Optional.empty());
      }
      throw error(e, "list", prefix);
    }
    List<ObjectInfo> objects = new ArrayList<>(response.contents().size());
    for (S3Object object : response.contents()) {
      String key = location.key(object.key());
      // Folder markers ("dir/") that consoles create are not objects of this store, nor valid keys.
      if (key.isEmpty() || key.endsWith("/")) {
        continue;
      }
      objects.add(new ObjectInfo(key, object.size(), object.lastModified(), Optional.ofNullable(object.eTag()),
          Map.of()));
    }
    List<String> prefixes = new ArrayList<>(response.commonPrefixes().size());
    for (CommonPrefix common : response.commonPrefixes()) {
      prefixes.add(location.key(common.prefix()));
    }
    boolean more = Boolean.TRUE.equals(response.isTruncated()) && response.nextContinuationToken() != null;
    return new ListPage(objects, prefixes, more ? Optional.of(response.nextContinuationToken()) : Optional.empty());
  }

  @Override
  public Upload openUpload(String key, PutOptions options) throws IOException {
    Keys.check(key);
    Objects.requireNonNull(options, "options is null");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("Backend " + url() + " is closed");
      }
    }
    return new S3Upload(this, key, options, properties.partSize(), properties.uploadConcurrency());
  }

  @Override
  public ObjectInfo put(String key, byte[] content, PutOptions options) throws IOException {
    Keys.check(key);
    if (content.length > properties.partSize()) {
      return StorageBackend.super.put(key, content, options);
    }
    return putObject(key, options, content.clone(), content.length);
  }

  @Override
  public void delete(String key) throws IOException {
    Keys.check(key);
    try {
      client.deleteObject(DeleteObjectRequest.builder().bucket(location.bucket()).key(location.s3Key(key)).build());
    } catch (NoSuchKeyException e) {
      // already gone
    } catch (SdkException e) {
      if (!missingBucketIsEmpty(e)) {
        throw error(e, "delete", key);
      }
    }
  }

  @Override
  public void deleteBatch(Collection<String> keys) throws IOException {
    if (keys.size() > MAX_DELETE_BATCH) {
      throw new IllegalArgumentException("Too many keys for one batch: " + keys.size() + " > " + MAX_DELETE_BATCH);
    }
    List<ObjectIdentifier> objects = new ArrayList<>(keys.size());
    for (String key : keys) {
      objects.add(ObjectIdentifier.builder().key(location.s3Key(Keys.check(key))).build());
    }
    if (objects.isEmpty()) {
      return;
    }
    DeleteObjectsResponse response;
    try {
      response = client.deleteObjects(DeleteObjectsRequest.builder()
          .bucket(location.bucket())
          .delete(Delete.builder().objects(objects).quiet(true).build())
          .build());
    } catch (SdkException e) {
      if (missingBucketIsEmpty(e)) {
        return;
      }
      throw error(e, "delete " + keys.size() + " objects under", "");
    }
    Map<String, IOException> failed = new LinkedHashMap<>();
    for (S3Error s3Error : response.errors()) {
      String key = location.key(s3Error.key());
      String code = s3Error.code() == null ? "unknown error" : s3Error.code();
      if (code.equals("NoSuchKey") || (code.equals("NoSuchBucket") && properties.createBucket())) {
        continue; // missing keys are ignored, and a missing bucket is empty
      }
      String message = "Cannot delete " + location.url(key) + ": " + code
          + (s3Error.message() == null ? "" : ": " + S3Errors.oneLine(s3Error.message()));
      failed.put(key, code.equals("AccessDenied") ? new StorageAccessDeniedException(message)
          : new StorageException(message));
    }
    if (!failed.isEmpty()) {
      throw new BulkDeleteException(failed);
    }
  }

  /**
   * Aborts the multipart uploads under {@code prefix} started more than {@code olderThan} ago
   * (ListMultipartUploads, then AbortMultipartUpload for each): their parts are billed until then. An
   * upload whose start S3 does not report is aborted only when {@code olderThan} is zero. A bucket lifecycle
   * rule with AbortIncompleteMultipartUpload does the same on the server side.
   */
  @Override
  public int cleanUpAbandonedUploads(String prefix, Duration olderThan) throws IOException {
    Keys.checkPrefix(prefix);
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("Negative age: " + olderThan);
    }
    Instant cutoff = Instant.now().minus(olderThan);
    int aborted = 0;
    Optional<String> keyMarker = Optional.empty();
    Optional<String> uploadIdMarker = Optional.empty();
    while (true) {
      ListMultipartUploadsRequest.Builder request = ListMultipartUploadsRequest.builder()
          .bucket(location.bucket())
          .prefix(location.s3Key(prefix));
      keyMarker.ifPresent(request::keyMarker);
      uploadIdMarker.ifPresent(request::uploadIdMarker);
      ListMultipartUploadsResponse response;
      try {
        response = client.listMultipartUploads(request.build());
      } catch (SdkException e) {
        if (missingBucketIsEmpty(e)) {
          return aborted;
        }
        throw error(e, "list the multipart uploads under", prefix);
      }
      for (MultipartUpload upload : response.uploads()) {
        boolean old = upload.initiated() == null ? olderThan.isZero() : !upload.initiated().isAfter(cutoff);
        if (!old) {
          continue;
        }
        try {
          client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
              .bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId()).build());
          aborted++;
          LOG.info("Aborted the multipart upload of {} started at {}", upload.key(), upload.initiated());
        } catch (NoSuchUploadException e) {
          // completed or aborted meanwhile
        } catch (SdkException e) {
          throw error(e, "abort the multipart upload of", location.key(upload.key()));
        }
      }
      if (!Boolean.TRUE.equals(response.isTruncated()) || response.nextKeyMarker() == null) {
        return aborted;
      }
      keyMarker = Optional.of(response.nextKeyMarker());
      uploadIdMarker = Optional.ofNullable(response.nextUploadIdMarker());
    }
  }

  /**
   * Sends a HeadBucket. A missing bucket passes when {@code s3.create-bucket} is on (the first write creates
   * it); otherwise it is a plain {@link StorageException} saying the bucket does not exist.
   *
   * @throws StorageUnavailableException if S3 cannot be reached
   * @throws StorageAccessDeniedException if the credentials are refused
   */
  @Override
  public void check() throws IOException {
    try {
      client.headBucket(HeadBucketRequest.builder().bucket(location.bucket()).build());
    } catch (SdkException e) {
      StorageException mapped = error(e, "check", "");
      if (mapped instanceof S3Errors.NoSuchBucketException && properties.createBucket()) {
        LOG.info("Bucket '{}' does not exist at {}; the first write creates it", location.bucket(), endpoint);
        return;
      }
      throw mapped;
    }
  }

  @Override
  public void close() {
    ExecutorService executor;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      executor = partExecutor;
    }
    if (executor != null) {
      executor.shutdown();
    }
    client.close();
    http.close();
    if (credentials instanceof AutoCloseable) {
      try {
        ((AutoCloseable) credentials).close();
      } catch (Exception e) {
        LOG.debug("Closing the credentials provider failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "S3StorageBackend[" + url() + ", " + properties + "]";
  }

  // ---------------------------------------------------------------------------------------------------
  // Requests used by S3Upload

  /** One PutObject of {@code length} bytes of {@code content}, honouring the options' precondition. */
  ObjectInfo putObject(String key, PutOptions options, byte[] content, int length) throws IOException {
    boolean ifAbsent = options.precondition() == Precondition.IF_ABSENT;
    if (ifAbsent && !properties.ifNoneMatch()) {
      requireAbsent(key); // documented, non-atomic fallback
    }
    PutObjectRequest.Builder request = PutObjectRequest.builder()
        .bucket(location.bucket())
        .key(location.s3Key(key))
        .contentLength((long) length)
        .metadata(options.metadata());
    if (!options.tags().isEmpty()) {
      request.tagging(tagging(options.tags()));
    }
    properties.sse().ifPresent(sse -> request.serverSideEncryption(ServerSideEncryption.fromValue(sse)));
    properties.sseKmsKeyId().ifPresent(request::ssekmsKeyId);
    if (ifAbsent && properties.ifNoneMatch()) {
      request.ifNoneMatch("*");
    }
    PutObjectRequest built = request.build();
    PutObjectResponse response;
    int[] attempts = attemptCounter.start();
    try {
      response = withBucket(key, () -> client.putObject(built,
          RequestBody.fromContentProvider(new BytesProvider(content, length), length, "application/octet-stream")));
    } catch (SdkException e) {
      StorageException mapped = writeError(e, key);
      // A retried conditional PUT whose first attempt landed (the connection broke after the server stored
      // it) meets its own object: 412. If what is stored is byte for byte ours, the write succeeded.
      if (mapped instanceof ObjectExistsException && attempts[0] > 1) {
        Optional<ObjectInfo> stored = storedCopyOf(key, content, length);
        if (stored.isPresent()) {
          return stored.get();
        }
      }
      throw mapped;
    } finally {
      attemptCounter.stop();
    }
    return new ObjectInfo(key, length, Instant.now(), Optional.ofNullable(response.eTag()), options.metadata());
  }

  // The stored object if its ETag is the MD5 of content (true of single-part uploads without SSE-KMS).
  private Optional<ObjectInfo> storedCopyOf(String key, byte[] content, int length) throws IOException {
    Optional<ObjectInfo> stored = stat(key);
    if (stored.isEmpty() || stored.get().size() != length || stored.get().etag().isEmpty()) {
      return Optional.empty();
    }
    String etag = stored.get().etag().get().replace("\"", "");
    try {
      java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
      md5.update(content, 0, length);
      String hex = java.util.HexFormat.of().formatHex(md5.digest());
      return hex.equalsIgnoreCase(etag) ? stored : Optional.empty();
    } catch (java.security.NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }

  /** Starts a multipart upload and returns its id. */
  String createMultipartUpload(String key, PutOptions options) throws IOException {
    CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
        .bucket(location.bucket())
        .key(location.s3Key(key))
        .metadata(options.metadata());
    if (!options.tags().isEmpty()) {
      request.tagging(tagging(options.tags()));
    }
    properties.sse().ifPresent(sse -> request.serverSideEncryption(ServerSideEncryption.fromValue(sse)));
    properties.sseKmsKeyId().ifPresent(request::ssekmsKeyId);
    if (!properties.checksumsWhenRequired()) {
      request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    CreateMultipartUploadRequest built = request.build();
    try {
      return withBucket(key, () -> client.createMultipartUpload(built)).uploadId();
    } catch (SdkException e) {
      throw error(e, "write", key);
    }
  }

  /** Uploads part {@code number} and returns what CompleteMultipartUpload needs of it. */
  CompletedPart uploadPart(String key, String uploadId, int number, byte[] content, int length) throws IOException {
    UploadPartRequest.Builder request = UploadPartRequest.builder()
        .bucket(location.bucket())
        .key(location.s3Key(key))
        .uploadId(uploadId)
        .partNumber(number)
        .contentLength((long) length);
    if (!properties.checksumsWhenRequired()) {
      request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    try {
      UploadPartResponse response = client.uploadPart(request.build(),
          RequestBody.fromContentProvider(new BytesProvider(content, length), length, "application/octet-stream"));
      return CompletedPart.builder().partNumber(number).eTag(response.eTag())
          .checksumCRC32(response.checksumCRC32()).build();
    } catch (SdkException e) {
      throw error(e, "write part " + number + " of", key);
    }
  }

  /** Completes a multipart upload; {@link ObjectExistsException} if the precondition fails. */
  ObjectInfo completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts, long size,
      PutOptions options) throws IOException {
    boolean ifAbsent = options.precondition() == Precondition.IF_ABSENT;
    if (ifAbsent && !properties.ifNoneMatch()) {
      requireAbsent(key);
    }
    CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder()
        .bucket(location.bucket())
        .key(location.s3Key(key))
        .uploadId(uploadId)
        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
    if (ifAbsent && properties.ifNoneMatch()) {
      request.ifNoneMatch("*");
    }
    CompleteMultipartUploadRequest built = request.build();
    try {
      CompleteMultipartUploadResponse response = retryOnConflict(() -> client.completeMultipartUpload(built));
      return new ObjectInfo(key, size, Instant.now(), Optional.ofNullable(response.eTag()), options.metadata());
    } catch (SdkException e) {
      throw writeError(e, key);
    }
  }

  /** Aborts a multipart upload, so that its parts are not kept (nor billed). */
  void abortMultipartUpload(String key, String uploadId) throws IOException {
    try {
      client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
          .bucket(location.bucket()).key(location.s3Key(key)).uploadId(uploadId).build());
    } catch (SdkException e) {
      if (e instanceof AwsServiceException && ((AwsServiceException) e).statusCode() == 404) {
        return; // NoSuchUpload: already gone
      }
      throw error(e, "abort the upload of", key);
    }
  }

  /** The pool that part uploads run on; bounded per upload by {@link S3Upload}. */
  ExecutorService partExecutor() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("Backend " + url() + " is closed");
      }
      if (partExecutor == null) {
        partExecutor = Executors.newCachedThreadPool(new PartThreads());
      }
      return partExecutor;
    }
  }

  /** The SPI exception for an SDK failure on {@code key}. */
  StorageException error(SdkException e, String action, String key) {
    return S3Errors.map(e, action, location.url(key), endpoint, location.bucket());
  }

  StorageException bodyError(IOException e, String key) {
    return S3Errors.bodyFailure(e, location.url(key), endpoint);
  }

  private StorageException writeError(SdkException e, String key) {
    if (e instanceof AwsServiceException && ((AwsServiceException) e).statusCode() == 412) {
      return new ObjectExistsException(key);
    }
    return error(e, "write", key);
  }

  private void requireAbsent(String key) throws IOException {
    if (stat(key).isPresent()) {
      throw new ObjectExistsException(key);
    }
  }

  /** A request that may find the bucket missing. */
  @FunctionalInterface
  private interface BucketRequest<T> {
    T send();
  }

  // Runs a write; if the bucket is missing and may be created, creates it once and tries again. A server
  // may answer a large PUT to a missing bucket with 404 before reading the body and close the connection,
  // which the client sees as an I/O error: then a HeadBucket tells.
  private <T> T withBucket(String key, BucketRequest<T> request) throws IOException {
    try {
      return retryOnConflict(request);
    } catch (SdkException e) {
      if (!properties.createBucket()
          || !(isNoSuchBucket(e) || (e instanceof SdkClientException && bucketIsMissing()))) {
        throw e;
      }
    }
    createBucket(key);
    return retryOnConflict(request);
  }

  private boolean bucketIsMissing() {
    try {
      client.headBucket(HeadBucketRequest.builder().bucket(location.bucket()).build());
      return false;
    } catch (AwsServiceException e) {
      return e.statusCode() == 404;
    } catch (SdkException e) {
      return false;
    }
  }

  // A conditional write racing another one on AWS may get 409 ConditionalRequestConflict: retry, and the
  // loser then gets its 412.
  private static <T> T retryOnConflict(BucketRequest<T> request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return request.send();
      } catch (AwsServiceException e) {
        if (e.statusCode() != 409 || !S3Errors.errorCode(e).equals("ConditionalRequestConflict") || attempt >= 5) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  // With s3.create-bucket, a missing bucket is an empty store, as a missing directory is to the local backend.
  private boolean missingBucketIsEmpty(SdkException e) {
    return properties.createBucket() && isNoSuchBucket(e);
  }

  private static boolean isNoSuchBucket(SdkException e) {
    return e instanceof AwsServiceException && S3Errors.errorCode((AwsServiceException) e).equals("NoSuchBucket");
  }

  private void createBucket(String key) throws IOException {
    synchronized (lock) {
      if (bucketChecked) {
        return;
      }
      bucketChecked = true;
    }
    LOG.info("Bucket '{}' does not exist at {}, creating it in region {}", location.bucket(), endpoint, region);
    CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(location.bucket());
    if (!region.equals("us-east-1")) {
      request.createBucketConfiguration(CreateBucketConfiguration.builder().locationConstraint(region).build());
    }
    try {
      client.createBucket(request.build());
    } catch (BucketAlreadyOwnedByYouException e) {
      // created by a concurrent writer
    } catch (SdkException e) {
      throw error(e, "create the bucket for", key);
    }
  }

  // x-amz-tagging is a URL query string.
  static String tagging(Map<String, String> tags) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(encode(tag.getKey())).append('=').append(encode(tag.getValue()));
    }
    return sb.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Replays a byte array for each attempt of a request, without copying it. */
  private static final class BytesProvider implements ContentStreamProvider {
    private final byte[] content;
    private final int length;

    BytesProvider(byte[] content, int length) {
      this.content = content;
      this.length = length;
    }

    @Override
    public InputStream newStream() {
      return new ByteArrayInputStream(content, 0, length);
    }
  }

  /**
   * Counts the HTTP attempts of the request running on the current thread (the synchronous client makes
   * every attempt on the caller's thread), so that a 412 after a retry can be told from a real conflict.
   */
  private static final class AttemptCounter implements ExecutionInterceptor {
    private final ThreadLocal<int[]> attempts = new ThreadLocal<>();

    int[] start() {
      int[] counter = new int[1];
      attempts.set(counter);
      return counter;
    }

    void stop() {
      attempts.remove();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
      int[] counter = attempts.get();
      if (counter != null) {
        counter[0]++;
      }
    }
  }

  private static final class PartThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread thread = new Thread(r, "s3-part-upload-" + count.incrementAndGet());
      thread.setDaemon(true); // a tool's exit must not wait for an idle pool
      return thread;
    }
  }
}
