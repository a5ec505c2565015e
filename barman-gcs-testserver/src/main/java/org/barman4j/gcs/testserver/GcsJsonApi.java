package org.barman4j.gcs.testserver;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.barman4j.gcs.testserver.Http.Part;
import org.barman4j.gcs.testserver.Http.Request;
import org.barman4j.gcs.testserver.Http.Response;

/**
 * The object and bucket operations of the GCS JSON API v1 (https://cloud.google.com/storage/docs/json_api/v1),
 * in memory: buckets get and insert; objects get, media download with Range, list with prefix, delimiter, startOffset,
 * maxResults and pageToken, insert (media, multipart, resumable sessions with status query and cancel),
 * delete; the generation preconditions. One lock guards the store, so every precondition is atomic.
 */
final class GcsJsonApi {
  /** GCS's documented page size limit for objects.list. */
  static final int MAX_RESULTS = 1000;

  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Object names in UTF-8 byte order, which equals code point order: GCS lists in this order. */
  static final Comparator<String> NAME_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  record StoredObject(String bucket, String name, long generation, long metageneration, byte[] content,
      String contentType, Map<String, String> metadata, Instant created, String kmsKeyName) {}

  private static final class Session {
    final String bucket;
    final Map<String, Object> resource;
    final Request initiation;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    StoredObject result;

    Session(String bucket, Map<String, Object> resource, Request initiation) {
      this.bucket = bucket;
      this.resource = resource;
      this.initiation = initiation;
    }
  }

  private final Map<String, NavigableMap<String, StoredObject>> buckets = new HashMap<>();
  private final Map<String, Session> sessions = new HashMap<>();
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
  private final AtomicLong sessionIds = new AtomicLong();

  synchronized void createBucket(String name) {
    buckets.putIfAbsent(name, new TreeMap<>(NAME_ORDER));
  }

  synchronized boolean bucketExists(String name) {
    return buckets.containsKey(name);
  }

  synchronized List<StoredObject> objects(String bucket) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    return objects == null ? List.of() : List.copyOf(objects.values());
  }

  synchronized int openSessions() {
    int open = 0;
    for (Session s : sessions.values()) {
      if (s.result == null) {
        open++;
      }
    }
    return open;
  }

  // ---------------------------------------------------------------------------------------------------
  // Routing: /storage/v1/b/{bucket}[/o[/{object}]] and /upload/storage/v1/b/{bucket}/o

  Response handle(Request request, String baseUrl) {
    String path = request.rawPath();
    if (path.startsWith("/download/storage/v1/b/")) {
      path = path.substring("/download".length()); // the media download host path: same resource
    }
    try {
      if (path.startsWith("/upload/storage/v1/b/")) {
        String[] seg = path.substring("/upload/storage/v1/b/".length()).split("/", -1);
        if (seg.length == 2 && seg[1].equals("o")) {
          return upload(Http.percentDecode(seg[0]), request, baseUrl);
        }
      } else if (path.equals("/storage/v1/b")) {
        return request.method().equals("POST") ? insertBucket(request) : notAllowed();
      } else if (path.startsWith("/storage/v1/b/")) {
        String rest = path.substring("/storage/v1/b/".length());
        int slash = rest.indexOf('/');
        String bucket = Http.percentDecode(slash < 0 ? rest : rest.substring(0, slash));
        if (slash < 0) {
          return request.method().equals("GET") ? getBucket(bucket) : notAllowed();
        }
        String sub = rest.substring(slash + 1);
        if (sub.equals("o")) {
          return switch (request.method()) {
            case "GET" -> list(bucket, request);
            default -> notAllowed();
          };
        }
        if (sub.startsWith("o/")) {
          String name = Http.percentDecode(sub.substring(2));
          return switch (request.method()) {
            case "GET" -> request.param("alt").orElse("json").equals("media")
                ? media(bucket, name, request) : getObject(bucket, name, request);
            case "DELETE" -> delete(bucket, name, request);
            default -> notAllowed();
          };
        }
      }
      return Response.error(404, "notFound", "Not Found: " + request.method() + " " + path);
    } catch (IllegalArgumentException e) {
      return Response.error(400, "invalid", e.getMessage());
    }
  }

  private static Response notAllowed() {
    return Response.error(405, "methodNotAllowed", "Method not allowed");
  }

  // buckets.insert: POST /storage/v1/b?project=P with {"name": …}; 409 if it exists, as GCS.
  private synchronized Response insertBucket(Request request) {
    if (request.param("project").orElse("").isEmpty()) {
      return Response.error(400, "required", "Required parameter: project");
    }
    Object name = Json.parseObject(new String(request.body(), UTF_8)).get("name");
    if (!(name instanceof String bucket) || bucket.isEmpty()) {
      return Response.error(400, "required", "Required: name");
    }
    if (buckets.containsKey(bucket)) {
      return Response.error(409, "conflict", "Your previous request to create the named bucket succeeded and you already own it.");
    }
    buckets.put(bucket, new TreeMap<>(NAME_ORDER));
    return bucketResource(bucket);
  }

  private synchronized Response getBucket(String bucket) {
    if (!buckets.containsKey(bucket)) {
      return noBucket();
    }
    return bucketResource(bucket);
  }

  private static Response bucketResource(String bucket) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#bucket");
    r.put("id", bucket);
    r.put("name", bucket);
    r.put("projectNumber", "0");
    r.put("metageneration", "1");
    r.put("location", "US");
    r.put("storageClass", "STANDARD");
    r.put("etag", "CAE=");
    r.put("timeCreated", RFC3339.format(Instant.EPOCH));
    r.put("updated", RFC3339.format(Instant.EPOCH));
    return Response.json(200, r);
  }

  private static Response noBucket() {
    return Response.error(404, "notFound", "The specified bucket does not exist.");
  }

  private static Response noObject(String bucket, String name) {
    return Response.error(404, "notFound", "No such object: " + bucket + "/" + name);
  }

  private synchronized Optional<StoredObject> find(String bucket, String name, Request request) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    StoredObject o = objects == null ? null : objects.get(name);
    if (o == null) {
      return Optional.empty();
    }
    Optional<String> generation = request.param("generation");
    if (generation.isPresent() && Long.parseLong(generation.get()) != o.generation()) {
      return Optional.empty(); // no versioning: older generations are gone
    }
    return Optional.of(o);
  }

  private synchronized Response getObject(String bucket, String name, Request request) {
    if (!buckets.containsKey(bucket)) {
      return noBucket();
    }
    Optional<StoredObject> o = find(bucket, name, request);
    if (o.isEmpty()) {
      return noObject(bucket, name);
    }
    Optional<Response> failed = preconditions(o.get(), request);
    return failed.orElseGet(() -> Response.json(200, resource(o.get())));
  }

  private Response media(String bucket, String name, Request request) {
    StoredObject o;
    synchronized (this) {
      if (!buckets.containsKey(bucket)) {
        return noBucket();
      }
      Optional<StoredObject> found = find(bucket, name, request);
      if (found.isEmpty()) {
        return noObject(bucket, name);
      }
      Optional<Response> failed = preconditions(found.get(), request);
      if (failed.isPresent()) {
        return failed.get();
      }
      o = found.get();
    }
    byte[] content = o.content();
    long size = content.length;
    Response response;
    Optional<String> range = request.header("range");
    if (range.isEmpty()) {
      response = new Response(200, new LinkedHashMap<>(), content);
    } else {
      long[] r = parseRange(range.get(), size);
      if (r == null) {
        return Response.error(416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.")
            .with("Content-Range", "bytes */" + size);
      }
      response = new Response(206, new LinkedHashMap<>(), Arrays.copyOfRange(content, (int) r[0], (int) r[1] + 1))
          .with("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
    }
    return response.with("Content-Type", o.contentType())
        .with("ETag", etag(o))
        .with("x-goog-generation", Long.toString(o.generation()))
        .with("x-goog-metageneration", Long.toString(o.metageneration()))
        .with("x-goog-stored-content-length", Long.toString(size))
        .with("x-goog-stored-content-encoding", "identity")
        .with("x-goog-hash", "crc32c=" + crc32c(content) + ",md5=" + md5(content))
        .with("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(o.created().atZone(ZoneOffset.UTC)));
  }

  /** The inclusive range {first, last} of {@code header} within {@code size} bytes, or null if unsatisfiable. */
  static long[] parseRange(String header, long size) {
    String spec = header.strip();
    if (!spec.startsWith("bytes=") || spec.contains(",")) {
      throw new IllegalArgumentException("Unsupported Range: " + header);
    }
    String r = spec.substring("bytes=".length());
    int dash = r.indexOf('-');
    String a = r.substring(0, dash);
    String b = r.substring(dash + 1);
    long first;
    long last;
    if (a.isEmpty()) {
      long suffix = Long.parseLong(b);
      if (suffix == 0 || size == 0) {
        return null;
      }
      first = Math.max(0, size - suffix);
      last = size - 1;
    } else {
      first = Long.parseLong(a);
      last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (first >= size || last < first) {
        return null;
      }
    }
    return new long[] {first, last};
  }

  private Response list(String bucket, Request request) {
    String prefix = request.param("prefix").orElse("");
    Optional<String> delimiter = request.param("delimiter").filter(d -> !d.isEmpty());
    int maxResults = Math.min(MAX_RESULTS, Integer.parseInt(request.param("maxResults").orElse("1000")));
    if (maxResults < 1) {
      throw new IllegalArgumentException("Invalid maxResults: " + maxResults);
    }
    Optional<String> after = request.param("pageToken").filter(t -> !t.isEmpty())
        .map(t -> new String(Base64.getUrlDecoder().decode(t), UTF_8));
    Optional<String> startOffset = request.param("startOffset").filter(s -> !s.isEmpty());
    boolean trailing = Boolean.parseBoolean(request.param("includeTrailingDelimiter").orElse("false"));
    List<StoredObject> all;
    synchronized (this) {
      NavigableMap<String, StoredObject> objects = buckets.get(bucket);
      if (objects == null) {
        return noBucket();
      }
      all = new ArrayList<>(objects.tailMap(prefix, true).values());
    }
    List<Object> items = new ArrayList<>();
    List<Object> prefixes = new ArrayList<>();
    String last = null;
    String lastPrefix = null;
    boolean more = false;
    for (StoredObject o : all) {
      String name = o.name();
      if (!name.startsWith(prefix)) {
        break;
      }
      if (startOffset.isPresent() && NAME_ORDER.compare(name, startOffset.get()) < 0) {
        continue;
      }
      String entry = name;
      boolean folded = false;
      if (delimiter.isPresent()) {
        int d = name.indexOf(delimiter.get(), prefix.length());
        if (d >= 0) {
          entry = name.substring(0, d + delimiter.get().length());
          folded = true;
        }
      }
      // A page token names the last entry returned; everything up to it, and below it if it is a prefix, is done.
      if (after.isPresent() && (NAME_ORDER.compare(entry, after.get()) <= 0)) {
        continue;
      }
      if (folded && entry.equals(lastPrefix)) {
        continue;
      }
      if (items.size() + prefixes.size() == maxResults) {
        more = true;
        break;
      }
      if (folded) {
        prefixes.add(entry);
        lastPrefix = entry;
        if (trailing && name.equals(entry)) {
          items.add(resource(o));
        }
      } else {
        items.add(resource(o));
      }
      last = entry;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#objects");
    if (more) {
      r.put("nextPageToken", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(UTF_8)));
    }
    if (!prefixes.isEmpty()) {
      r.put("prefixes", prefixes);
    }
    if (!items.isEmpty()) {
      r.put("items", items);
    }
    return Response.json(200, r);
  }

  private synchronized Response delete(String bucket, String name, Request request) {
    if (!buckets.containsKey(bucket)) {
      return noBucket();
    }
    Optional<StoredObject> o = find(bucket, name, request);
    if (o.isEmpty()) {
      return noObject(bucket, name);
    }
    Optional<Response> failed = preconditions(o.get(), request);
    if (failed.isPresent()) {
      return failed.get();
    }
    buckets.get(bucket).remove(name);
    return Response.empty(204);
  }

  // ---------------------------------------------------------------------------------------------------
  // Uploads

  private Response upload(String bucket, Request request, String baseUrl) {
    synchronized (this) {
      if (!buckets.containsKey(bucket)) {
        return noBucket();
      }
    }
    Optional<String> uploadId = request.param("upload_id");
    if (uploadId.isPresent()) {
      return switch (request.method()) {
        case "PUT", "POST" -> resumableChunk(uploadId.get(), request);
        case "DELETE" -> cancel(uploadId.get());
        default -> notAllowed();
      };
    }
    if (!request.method().equals("POST")) {
      return notAllowed();
    }
    String type = request.param("uploadType").orElse("media");
    switch (type) {
      case "media": {
        String name = request.param("name").orElseThrow(() -> new IllegalArgumentException("Required parameter: name"));
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("name", name);
        request.header("content-type").ifPresent(ct -> resource.put("contentType", ct));
        return store(bucket, resource, request, request.body());
      }
      case "multipart": {
        String contentType = request.header("content-type").orElse("");
        List<Part> parts = Http.multipart(request.body(), Http.boundary(contentType));
        if (parts.size() != 2) {
          throw new IllegalArgumentException("A multipart upload has exactly two parts, got " + parts.size());
        }
        Map<String, Object> resource = Json.parseObject(new String(parts.get(0).content(), UTF_8));
        if (!resource.containsKey("contentType") && parts.get(1).headers().containsKey("content-type")) {
          resource.put("contentType", parts.get(1).headers().get("content-type"));
        }
        request.param("name").ifPresent(n -> resource.putIfAbsent("name", n));
        return store(bucket, resource, request, parts.get(1).content());
      }
      case "resumable": {
        Map<String, Object> resource = Json.parseObject(new String(request.body(), UTF_8));
        request.param("name").ifPresent(n -> resource.putIfAbsent("name", n));
        String name = (String) resource.get("name");
        if (name == null || name.isEmpty()) {
          throw new IllegalArgumentException("Required: object name");
        }
        request.header("x-upload-content-type").ifPresent(ct -> resource.putIfAbsent("contentType", ct));
        synchronized (this) {
          Optional<Response> failed = preconditions(bucket, name, request);
          if (failed.isPresent()) {
            return failed.get();
          }
          String id = "session-" + sessionIds.incrementAndGet();
          sessions.put(id, new Session(bucket, resource, request));
          String location = baseUrl + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id;
          return Response.empty(200).with("Location", location).with("X-GUploader-UploadID", id);
        }
      }
      default:
        throw new IllegalArgumentException("Unsupported uploadType: " + type);
    }
  }

  private Response resumableChunk(String id, Request request) {
    synchronized (this) {
      Session session = sessions.get(id);
      if (session == null) {
        return Response.error(404, "notFound", "No such upload session: " + id);
      }
      if (session.result != null) {
        return Response.json(200, resource(session.result));
      }
      String range = request.header("content-range").orElse(null);
      byte[] body = request.body();
      long have = session.data.size();
      long total;
      if (range == null) {
        // The whole remaining content in one request.
        session.data.write(body, 0, body.length);
        total = session.data.size();
      } else {
        if (!range.startsWith("bytes ")) {
          throw new IllegalArgumentException("Invalid Content-Range: " + range);
        }
        String spec = range.substring("bytes ".length());
        int slash = spec.indexOf('/');
        String span = spec.substring(0, slash);
        String size = spec.substring(slash + 1);
        if (!span.equals("*")) {
          int dash = span.indexOf('-');
          long first = Long.parseLong(span.substring(0, dash));
          long last = Long.parseLong(span.substring(dash + 1));
          if (last - first + 1 != body.length) {
            throw new IllegalArgumentException("Content-Range " + range + " does not match a body of " + body.length);
          }
          if (first > have) {
            throw new IllegalArgumentException("Content-Range " + range + " leaves a gap after byte " + have);
          }
          int skip = (int) (have - first); // a retransmitted overlap is ignored
          if (skip < body.length) {
            session.data.write(body, skip, body.length - skip);
          }
        } else if (body.length > 0) {
          throw new IllegalArgumentException("Content-Range " + range + " with a body");
        }
        if (size.equals("*")) {
          return incomplete(session);
        }
        total = Long.parseLong(size);
      }
      if (session.data.size() != total) {
        if (session.data.size() > total) {
          throw new IllegalArgumentException("Upload of " + session.data.size() + " bytes exceeds declared " + total);
        }
        return incomplete(session);
      }
      Response response = store(session.bucket, session.resource, session.initiation, session.data.toByteArray());
      if (response.status() == 200) {
        sessions.get(id).result = latest(session.bucket, (String) session.resource.get("name"));
      } else {
        sessions.remove(id);
      }
      return response;
    }
  }

  private StoredObject latest(String bucket, String name) {
    return buckets.get(bucket).get(name);
  }

  private static Response incomplete(Session session) {
    Response r = Response.empty(308);
    long size = session.data.size();
    return size == 0 ? r : r.with("Range", "bytes=0-" + (size - 1));
  }

  private synchronized Response cancel(String id) {
    Session session = sessions.remove(id);
    if (session == null) {
      return Response.error(404, "notFound", "No such upload session: " + id);
    }
    return Response.error(499, "clientClosedRequest", "Upload cancelled");
  }

  /** Creates or replaces the object if the request's preconditions hold, validating any sent hashes. */
  private synchronized Response store(String bucket, Map<String, Object> resource, Request request, byte[] content) {
    String name = (String) resource.get("name");
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Required: object name");
    }
    Object crc = resource.get("crc32c");
    if (crc != null && !crc.equals(crc32c(content))) {
      return Response.error(400, "invalid", "Provided CRC32C \"" + crc + "\" doesn't match calculated CRC32C \""
          + crc32c(content) + "\".");
    }
    Object md5 = resource.get("md5Hash");
    if (md5 != null && !md5.equals(md5(content))) {
      return Response.error(400, "invalid", "Provided MD5 hash \"" + md5 + "\" doesn't match calculated MD5 hash \""
          + md5(content) + "\".");
    }
    Optional<Response> failed = preconditions(bucket, name, request);
    if (failed.isPresent()) {
      return failed.get();
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    if (resource.get("metadata") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> metadata.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    }
    String kms = request.param("kmsKeyName").orElse(String.valueOf(resource.getOrDefault("kmsKeyName", "")));
    String contentType = String.valueOf(resource.getOrDefault("contentType", "application/octet-stream"));
    StoredObject o = new StoredObject(bucket, name, generations.incrementAndGet(), 1, content.clone(), contentType,
        Map.copyOf(metadata), Instant.now(), kms);
    buckets.get(bucket).put(name, o);
    return Response.json(200, resource(o));
  }

  private synchronized Optional<Response> preconditions(String bucket, String name, Request request) {
    StoredObject existing = buckets.get(bucket).get(name);
    if (existing == null) {
      Optional<String> match = request.param("ifGenerationMatch");
      if (match.isPresent() && !match.get().equals("0")) {
        return Optional.of(conditionNotMet());
      }
      if (request.param("ifMetagenerationMatch").isPresent()) {
        return Optional.of(conditionNotMet());
      }
      return Optional.empty();
    }
    return preconditions(existing, request);
  }

  private static Optional<Response> preconditions(StoredObject o, Request request) {
    Optional<String> match = request.param("ifGenerationMatch");
    if (match.isPresent() && Long.parseLong(match.get()) != o.generation()) {
      return Optional.of(conditionNotMet());
    }
    Optional<String> notMatch = request.param("ifGenerationNotMatch");
    if (notMatch.isPresent() && Long.parseLong(notMatch.get()) == o.generation()) {
      return Optional.of(Response.empty(304));
    }
    Optional<String> metaMatch = request.param("ifMetagenerationMatch");
    if (metaMatch.isPresent() && Long.parseLong(metaMatch.get()) != o.metageneration()) {
      return Optional.of(conditionNotMet());
    }
    return Optional.empty();
  }

  private static Response conditionNotMet() {
    return Response.error(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
  }

  static Map<String, Object> resource(StoredObject o) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#object");
    r.put("id", o.bucket() + "/" + o.name() + "/" + o.generation());
    r.put("name", o.name());
    r.put("bucket", o.bucket());
    r.put("generation", Long.toString(o.generation()));
    r.put("metageneration", Long.toString(o.metageneration()));
    r.put("contentType", o.contentType());
    r.put("storageClass", "STANDARD");
    r.put("size", Long.toString(o.content().length));
    r.put("md5Hash", md5(o.content()));
    r.put("crc32c", crc32c(o.content()));
    r.put("etag", etag(o));
    r.put("timeCreated", RFC3339.format(o.created()));
    r.put("updated", RFC3339.format(o.created()));
    r.put("timeStorageClassUpdated", RFC3339.format(o.created()));
    if (!o.metadata().isEmpty()) {
      r.put("metadata", new TreeMap<>(o.metadata()));
    }
    if (!o.kmsKeyName().isEmpty()) {
      r.put("kmsKeyName", o.kmsKeyName());
    }
    return r;
  }

  private static String etag(StoredObject o) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(o.generation()).array());
  }

  static String crc32c(byte[] content) {
    CRC32C crc = new CRC32C();
    crc.update(content);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static String md5(byte[] content) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has MD5", e);
    }
  }
}
