package org.barman4j.cloud.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A minimal in-memory S3 endpoint on a loopback port, used only to train the class-data archive: it
 * answers the requests the WAL tools make (bucket HEAD/PUT, object PUT with {@code If-None-Match: *},
 * GET, HEAD, DELETE, ListObjectsV2) in path style, with S3's status codes and XML error bodies, so that
 * the SDK runs the same code paths as against a real store. Signatures are not checked; {@code aws-chunked}
 * bodies are decoded. It is not a test double for correctness: the backend's tests run against S3Proxy.
 */
public final class TrainingS3Server implements AutoCloseable {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final HttpServer server;
  private final Set<String> buckets = new TreeSet<>(); // guarded by this
  private final NavigableMap<String, StoredObject> objects = new TreeMap<>(); // "bucket/key"; guarded by this

  private record StoredObject(byte[] content, String etag, Instant modified) {}

  private TrainingS3Server(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on a free loopback port. */
  public static TrainingS3Server start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    TrainingS3Server s3 = new TrainingS3Server(http);
    http.createContext("/", s3::handle);
    http.start();
    return s3;
  }

  /** The endpoint URL, for {@code --endpoint-url}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How many objects the server holds. */
  public synchronized int objectCount() {
    return objects.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      int slash = path.indexOf('/', 1);
      String bucket = decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
      String key = slash < 0 ? "" : decode(path.substring(slash + 1));
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String method = exchange.getRequestMethod();
      if (bucket.isEmpty()) {
        error(exchange, 501, "NotImplemented", "");
      } else if (key.isEmpty()) {
        bucketRequest(exchange, method, bucket, query);
      } else {
        objectRequest(exchange, method, bucket, key, query);
      }
    } catch (RuntimeException e) {
      error(exchange, 500, "InternalError", e.toString());
    }
  }

  private void bucketRequest(HttpExchange exchange, String method, String bucket, Map<String, String> query)
      throws IOException {
    drain(exchange.getRequestBody());
    boolean exists;
    synchronized (this) {
      exists = buckets.contains(bucket);
    }
    switch (method) {
      case "PUT":
        synchronized (this) {
          buckets.add(bucket);
        }
        empty(exchange, 200);
        return;
      case "HEAD":
        empty(exchange, exists ? 200 : 404);
        return;
      case "GET":
        if (!exists) {
          error(exchange, 404, "NoSuchBucket", bucket);
        } else if ("2".equals(query.get("list-type"))) {
          list(exchange, bucket, query);
        } else {
          error(exchange, 501, "NotImplemented", bucket);
        }
        return;
      default:
        error(exchange, 501, "NotImplemented", bucket);
    }
  }

  private void objectRequest(HttpExchange exchange, String method, String bucket, String key,
      Map<String, String> query) throws IOException {
    String id = bucket + "/" + key;
    if (!query.isEmpty() && !query.containsKey("x-id")) {
      drain(exchange.getRequestBody());
      error(exchange, 501, "NotImplemented", id); // multipart and sub-resources: not used by the training
      return;
    }
    byte[] body = "PUT".equals(method) ? body(exchange) : null;
    StoredObject stored;
    synchronized (this) {
      if (!buckets.contains(bucket)) {
        stored = null;
      } else if (body != null) {
        if ("*".equals(exchange.getRequestHeaders().getFirst("If-None-Match")) && objects.containsKey(id)) {
          stored = objects.get(id);
        } else {
          StoredObject object = new StoredObject(body, "\"" + md5(body) + "\"", Instant.now());
          objects.put(id, object);
          exchange.getResponseHeaders().set("ETag", object.etag());
          empty(exchange, 200);
          return;
        }
      } else {
        stored = objects.get(id);
      }
    }
    if (body == null) {
      drain(exchange.getRequestBody());
    }
    boolean bucketMissing;
    synchronized (this) {
      bucketMissing = !buckets.contains(bucket);
    }
    if (bucketMissing) {
      error(exchange, 404, "NoSuchBucket", bucket);
      return;
    }
    switch (method) {
      case "PUT":
        error(exchange, 412, "PreconditionFailed", id);
        return;
      case "GET":
      case "HEAD":
        if (stored == null) {
          if (method.equals("HEAD")) {
            empty(exchange, 404);
          } else {
            error(exchange, 404, "NoSuchKey", id);
          }
          return;
        }
        exchange.getResponseHeaders().set("ETag", stored.etag());
        exchange.getResponseHeaders().set("Last-Modified", HTTP_DATE.format(stored.modified()));
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        if (method.equals("HEAD")) {
          exchange.getResponseHeaders().set("Content-Length", Integer.toString(stored.content().length));
          exchange.sendResponseHeaders(200, -1);
        } else {
          exchange.sendResponseHeaders(200, stored.content().length == 0 ? -1 : stored.content().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(stored.content());
          }
        }
        return;
      case "DELETE":
        synchronized (this) {
          objects.remove(id);
        }
        empty(exchange, 204);
        return;
      default:
        error(exchange, 501, "NotImplemented", id);
    }
  }

  private void list(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.getOrDefault("delimiter", "");
    int maxKeys = Integer.parseInt(query.getOrDefault("max-keys", "1000"));
    String after = query.getOrDefault("continuation-token", query.getOrDefault("start-after", ""));
    boolean url = "url".equals(query.get("encoding-type"));
    StringBuilder contents = new StringBuilder();
    Set<String> prefixes = new TreeSet<>();
    int count = 0;
    String last = null;
    boolean truncated = false;
    synchronized (this) {
      String from = bucket + "/" + prefix;
      for (Map.Entry<String, StoredObject> e : objects.tailMap(from, true).entrySet()) {
        if (!e.getKey().startsWith(from)) {
          break;
        }
        String key = e.getKey().substring(bucket.length() + 1);
        if (key.compareTo(after) <= 0) {
          continue;
        }
        if (count == maxKeys) {
          truncated = true;
          break;
        }
        int cut = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
        if (cut >= 0) {
          String common = key.substring(0, cut + delimiter.length());
          if (prefixes.add(common)) {
            count++;
            last = key;
          }
          continue;
        }
        StoredObject object = e.getValue();
        contents.append("<Contents><Key>").append(xml(url ? encode(key) : key)).append("</Key><LastModified>")
            .append(ISO_DATE.format(object.modified())).append("</LastModified><ETag>").append(xml(object.etag()))
            .append("</ETag><Size>").append(object.content().length)
            .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        count++;
        last = key;
      }
    }
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>").append(xml(bucket))
        .append("</Name><Prefix>").append(xml(url ? encode(prefix) : prefix)).append("</Prefix><KeyCount>")
        .append(count).append("</KeyCount><MaxKeys>").append(maxKeys).append("</MaxKeys>");
    if (!delimiter.isEmpty()) {
      xml.append("<Delimiter>").append(xml(url ? encode(delimiter) : delimiter)).append("</Delimiter>");
    }
    if (url) {
      xml.append("<EncodingType>url</EncodingType>");
    }
    xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
    if (truncated && last != null) {
      xml.append("<NextContinuationToken>").append(xml(last)).append("</NextContinuationToken>");
    }
    xml.append(contents);
    for (String common : prefixes) {
      xml.append("<CommonPrefixes><Prefix>").append(xml(url ? encode(common) : common)).append("</Prefix></CommonPrefixes>");
    }
    xml.append("</ListBucketResult>");
    send(exchange, 200, xml.toString());
  }

  // The body, with aws-chunked framing ("SIZE;chunk-signature=...\r\nDATA\r\n" ... "0\r\n" trailers "\r\n") removed.
  private static byte[] body(HttpExchange exchange) throws IOException {
    String sha = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    boolean chunked = (sha != null && sha.startsWith("STREAMING-"))
        || (encoding != null && encoding.contains("aws-chunked"));
    try (InputStream in = exchange.getRequestBody()) {
      if (!chunked) {
        return in.readAllBytes();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        String header = line(in);
        int semicolon = header.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          drain(in); // trailers
          return out.toByteArray();
        }
        out.write(in.readNBytes(size));
        line(in);
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("aws-chunked body ends early");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }

  private static void empty(HttpExchange exchange, int status) throws IOException {
    exchange.getResponseHeaders().set("x-amz-request-id", "training");
    exchange.sendResponseHeaders(status, -1);
  }

  private static void error(HttpExchange exchange, int status, String code, String resource) throws IOException {
    send(exchange, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
        + code + "</Message><Resource>" + xml(resource) + "</Resource><RequestId>training</RequestId></Error>");
  }

  private static void send(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    exchange.getResponseHeaders().set("x-amz-request-id", "training");
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return query;
  }

  // Percent-decoding of a path or query component ('+' is a literal plus in S3's signed URLs).
  private static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.~/".indexOf(c) >= 0) {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String md5(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
