package org.barman4j.gcs.testserver;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.security.Signature;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.barman4j.gcs.testserver.Http.Part;
import org.barman4j.gcs.testserver.Http.Request;
import org.barman4j.gcs.testserver.Http.Response;

/**
 * An in-memory fake of the Google Cloud Storage JSON API over real HTTP on a loopback port, for tests that
 * must see what google-cloud-storage actually sends: simple, multipart and resumable uploads with
 * {@code ifGenerationMatch} preconditions (412), metadata and media downloads with {@code Range}, paginated
 * listings with prefix and delimiter, deletes, the batch endpoint ({@code /batch/storage/v1},
 * {@code multipart/mixed}, at most 100 calls) bucket gets (404 for a missing bucket) and
 * inserts ({@code POST /storage/v1/b?project=P}, 409 if it exists).
 *
 * <p>Authentication is off by default (emulator style: any or no token). {@link #requireAuthentication()}
 * turns it on: requests then need a bearer token issued by this server's OAuth token endpoint
 * ({@code /token}, JWT-bearer grant of a registered service account key, see
 * {@link #registerServiceAccount}) or added with {@link #allowToken}; otherwise 401, as GCS answers.
 *
 * <pre>{@code
 * try (FakeGcsServer gcs = FakeGcsServer.start()) {
 *   gcs.createBucket("backups");
 *   // StorageOptions.newBuilder().setHost(gcs.endpoint()) ... or STORAGE_EMULATOR_HOST=gcs.hostAndPort()
 * }
 * }</pre>
 *
 * <p>Standalone: {@code java -jar barman-gcs-testserver.jar [--port N] [BUCKET ...]} prints the endpoint on
 * stdout and serves until killed.
 */
public final class FakeGcsServer implements AutoCloseable {
  /** GCS's documented limit of calls in one batch request. */
  public static final int MAX_BATCH_CALLS = 100;

  private final HttpServer server;
  private final ExecutorService executor;
  private final GcsJsonApi api = new GcsJsonApi();
  private final Map<String, PublicKey> serviceAccounts = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger batchRequests = new AtomicInteger();
  private final List<String> requestLog = new ArrayList<>();
  private volatile boolean requireAuth;

  private FakeGcsServer(int port) throws IOException {
    // Without TCP_NODELAY, the JDK server's separate header and body writes meet the client's delayed ACK:
    // 40 ms a request. Read once, when the JDK's server configuration loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-gcs");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  /** Starts a server on a free loopback port. */
  public static FakeGcsServer start() throws IOException {
    return new FakeGcsServer(0);
  }

  /** Starts a server on {@code port} (0: any free port). */
  public static FakeGcsServer start(int port) throws IOException {
    return new FakeGcsServer(port);
  }

  /** Serves until killed: {@code [--port N] [BUCKET ...]}; prints the endpoint. */
  public static void main(String[] args) throws Exception {
    int port = 0;
    List<String> buckets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port")) {
        port = Integer.parseInt(args[++i]);
      } else {
        buckets.add(args[i]);
      }
    }
    FakeGcsServer gcs = start(port);
    buckets.forEach(gcs::createBucket);
    System.out.println(gcs.endpoint());
    System.out.flush();
    Thread.currentThread().join();
  }

  /** {@code http://127.0.0.1:PORT}, the JSON API's host for a client. */
  public String endpoint() {
    return "http://" + hostAndPort();
  }

  /** {@code 127.0.0.1:PORT}, the form of {@code STORAGE_EMULATOR_HOST}. */
  public String hostAndPort() {
    InetSocketAddress address = server.getAddress();
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** The OAuth token endpoint, for a service account key's {@code token_uri}. */
  public String tokenUri() {
    return endpoint() + "/token";
  }

  /** Creates {@code name} if missing. */
  public FakeGcsServer createBucket(String name) {
    api.createBucket(name);
    return this;
  }

  /** Whether {@code name} exists (made by {@link #createBucket} or a client's bucket insert). */
  public boolean bucketExists(String name) {
    return api.bucketExists(name);
  }

  /** Names of the objects in {@code bucket}, in listing order. */
  public List<String> objectNames(String bucket) {
    List<String> names = new ArrayList<>();
    api.objects(bucket).forEach(o -> names.add(o.name()));
    return names;
  }

  /** User metadata of {@code bucket/name}, or null if it does not exist. */
  public Map<String, String> metadata(String bucket, String name) {
    for (var o : api.objects(bucket)) {
      if (o.name().equals(name)) {
        return o.metadata();
      }
    }
    return null;
  }

  /** The KMS key the object was written with (empty if none), or null if it does not exist. */
  public String kmsKeyName(String bucket, String name) {
    for (var o : api.objects(bucket)) {
      if (o.name().equals(name)) {
        return o.kmsKeyName();
      }
    }
    return null;
  }

  /** Resumable upload sessions started and neither finished nor cancelled. */
  public int openUploadSessions() {
    return api.openSessions();
  }

  /** How many batch requests were served. */
  public int batchRequests() {
    return batchRequests.get();
  }

  /** "METHOD path?query" of every request so far, batch calls included. */
  public synchronized List<String> requestLog() {
    return List.copyOf(requestLog);
  }

  /** From now on, every request needs a valid bearer token. */
  public FakeGcsServer requireAuthentication() {
    requireAuth = true;
    return this;
  }

  /** Accepts {@code token} as a bearer token. */
  public FakeGcsServer allowToken(String token) {
    tokens.add(Objects.requireNonNull(token, "token is null"));
    return this;
  }

  /** Lets the service account {@code clientEmail} obtain tokens with JWTs signed by the matching private key. */
  public FakeGcsServer registerServiceAccount(String clientEmail, PublicKey key) {
    serviceAccounts.put(clientEmail, key);
    return this;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------------------------------------------

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.get(0)));
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes(); // GCS accepts gzip-encoded request bodies
        }
      }
      String target = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      Request request = Request.of(exchange.getRequestMethod(), target, headers, body);
      String host = request.header("host").orElse(hostAndPort());
      Response response = dispatch(request, "http://" + host, null);
      exchange.getResponseHeaders().clear();
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    } catch (RuntimeException e) {
      // A bug in the fake: answer 500 (the client may retry) rather than hang the connection.
      byte[] message = ("fake-gcs: " + e).getBytes(UTF_8);
      exchange.sendResponseHeaders(500, message.length);
      exchange.getResponseBody().write(message);
    }
  }

  private Response dispatch(Request request, String baseUrl, String outerAuthorization) {
    synchronized (this) {
      requestLog.add(request.method() + " " + request.rawPath()
          + (request.query().isEmpty() ? "" : "?" + request.query()));
    }
    String path = request.rawPath();
    if (path.equals("/token") && request.method().equals("POST")) {
      return token(request);
    }
    String authorization = request.header("authorization").orElse(outerAuthorization);
    if (requireAuth) {
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        return Response.error(401, "required",
            "Anonymous caller does not have storage.objects.list access to the Google Cloud Storage bucket.");
      }
      if (!tokens.contains(authorization.substring("Bearer ".length()))) {
        return Response.error(401, "authError", "Invalid Credentials");
      }
    }
    if (path.equals("/batch/storage/v1") || path.equals("/batch")) {
      return request.method().equals("POST") ? batch(request, baseUrl, authorization)
          : Response.error(405, "methodNotAllowed", "Method not allowed");
    }
    return api.handle(request, baseUrl);
  }

  /** The JSON API's batch endpoint: a multipart/mixed body of application/http parts. */
  private Response batch(Request request, String baseUrl, String authorization) {
    batchRequests.incrementAndGet();
    List<Part> parts = Http.multipart(request.body(), Http.boundary(request.header("content-type").orElse("")));
    if (parts.size() > MAX_BATCH_CALLS) {
      return Response.error(400, "invalid", "A batch request cannot contain more than " + MAX_BATCH_CALLS
          + " calls");
    }
    String boundary = "batch_" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part part : parts) {
      // Each part embeds one HTTP request: a request line, headers, a blank line and the body.
      byte[] embedded = part.content();
      int eol = Http.indexOf(embedded, new byte[] {'\n'}, 0);
      if (eol < 0) {
        return Response.error(400, "invalid", "A batch part holds no HTTP request");
      }
      String[] words = new String(embedded, 0, eol, UTF_8).strip().split(" ");
      Part httpPart = Http.part(Arrays.copyOfRange(embedded, eol + 1, embedded.length));
      Map<String, String> headers = new LinkedHashMap<>(httpPart.headers());
      String target = words[1];
      if (target.startsWith("http://") || target.startsWith("https://")) {
        target = target.substring(target.indexOf('/', target.indexOf("//") + 2));
      }
      Response response = dispatch(Request.of(words[0], target, headers, httpPart.content()), baseUrl, authorization);
      out.writeBytes(("--" + boundary + "\r\n").getBytes(ISO_8859_1));
      out.writeBytes("Content-Type: application/http\r\n".getBytes(ISO_8859_1));
      String id = part.headers().get("content-id");
      if (id != null) {
        String bare = id.startsWith("<") ? id.substring(1, id.length() - 1) : id;
        out.writeBytes(("Content-ID: <response-" + bare + ">\r\n").getBytes(ISO_8859_1));
      }
      out.writeBytes("\r\n".getBytes(ISO_8859_1));
      out.writeBytes(("HTTP/1.1 " + response.status() + " " + reason(response.status()) + "\r\n").getBytes(ISO_8859_1));
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        out.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(UTF_8));
      }
      out.writeBytes(("Content-Length: " + response.body().length + "\r\n\r\n").getBytes(ISO_8859_1));
      out.writeBytes(response.body());
      out.writeBytes("\r\n".getBytes(ISO_8859_1));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(ISO_8859_1));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "multipart/mixed; boundary=" + boundary);
    return new Response(200, headers, out.toByteArray());
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 412 -> "Precondition Failed";
      default -> "Status";
    };
  }

  /** OAuth 2.0 token endpoint for the JWT-bearer grant (RFC 7523) that service account keys use. */
  private Response token(Request request) {
    Map<String, List<String>> form = Http.parseQuery(new String(request.body(), UTF_8));
    String grant = form.getOrDefault("grant_type", List.of("")).get(0);
    if (!grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
      return oauthError("unsupported_grant_type", "Unsupported grant type: " + grant);
    }
    String assertion = form.getOrDefault("assertion", List.of("")).get(0);
    String[] jwt = assertion.split("\\.");
    if (jwt.length != 3) {
      return oauthError("invalid_grant", "Invalid JWT: malformed");
    }
    Map<String, Object> claims;
    try {
      claims = Json.parseObject(new String(Base64.getUrlDecoder().decode(jwt[1]), UTF_8));
    } catch (IllegalArgumentException e) {
      return oauthError("invalid_grant", "Invalid JWT: undecodable claims");
    }
    PublicKey key = serviceAccounts.get(String.valueOf(claims.get("iss")));
    if (key == null) {
      return oauthError("invalid_grant", "Invalid grant: account not found");
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((jwt[0] + "." + jwt[1]).getBytes(ISO_8859_1));
      if (!rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
        return oauthError("invalid_grant", "Invalid JWT Signature.");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return oauthError("invalid_grant", "Invalid JWT Signature.");
    }
    String token = "ya29.fake-" + UUID.randomUUID();
    tokens.add(token);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("access_token", token);
    r.put("expires_in", 3599);
    r.put("token_type", "Bearer");
    return Response.json(200, r);
  }

  private static Response oauthError(String error, String description) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("error", error);
    r.put("error_description", description);
    return Response.json(400, r);
  }
}
