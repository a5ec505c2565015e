package org.barman4j.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * The plain-HTTP client for {@code http://} endpoints, over real sockets: it reaches the server directly,
 * or through the proxy the SDK's own client would use (here from the {@code http.proxy*} system properties).
 */
class PlainHttpConnectionsTest {
  private HttpServer server;
  private final List<String> requests = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      synchronized (requests) {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      }
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String get(SdkHttpClient client, URI uri) throws IOException {
    HttpExecuteResponse response = client.prepareRequest(HttpExecuteRequest.builder()
        .request(SdkHttpFullRequest.builder().uri(uri).method(SdkHttpMethod.GET).build())
        .build()).call();
    assertThat(response.httpResponse().statusCode()).isEqualTo(200);
    try (InputStream in = response.responseBody().orElseThrow()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anHttpEndpointIsReachedDirectly() throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/key");
    try (SdkHttpClient client = PlainHttpConnections.client(Duration.ofSeconds(5), Duration.ofSeconds(5))) {
      assertThat(get(client, uri)).isEqualTo("hello");
    }
    assertThat(requests).containsExactly("GET /bucket/key");
  }

  @Test
  void theProxyOfTheSystemPropertiesIsUsedAsTheSdkClientWouldUseIt() throws IOException {
    String host = System.getProperty("http.proxyHost");
    String port = System.getProperty("http.proxyPort");
    System.setProperty("http.proxyHost", "127.0.0.1");
    System.setProperty("http.proxyPort", Integer.toString(server.getAddress().getPort()));
    try (SdkHttpClient client = PlainHttpConnections.client(Duration.ofSeconds(5), Duration.ofSeconds(5))) {
      // The name does not resolve: only the proxy can answer.
      assertThat(get(client, URI.create("http://s3.example.invalid:9000/bucket/key"))).isEqualTo("hello");
    } finally {
      restore("http.proxyHost", host);
      restore("http.proxyPort", port);
    }
    assertThat(requests).containsExactly("GET http://s3.example.invalid:9000/bucket/key");
  }

  @Test
  void httpsUrlsAreNotForThisClient() {
    try (SdkHttpClient client = PlainHttpConnections.client(Duration.ofSeconds(5), Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> get(client, URI.create("https://s3.example.invalid/bucket/key")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Not an http:// URL");
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
