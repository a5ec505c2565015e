package org.barman4j.storage.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Connections for an {@code http://} endpoint (S3Proxy, MinIO on a private network): the URL-connection
 * client's own factory builds a TLS context in its constructor (the JSSE provider and the trust store, 100 to
 * 200 ms of a tool's start-up) that a plain-HTTP endpoint never uses. Proxy (the SDK's
 * {@link ProxyConfiguration} defaults: system properties and environment variables, with their non-proxy
 * hosts and basic proxy authorisation) and timeouts are applied as that factory does.
 */
final class PlainHttpConnections implements UrlConnectionFactory {
  private final int connectMillis;
  private final int readMillis;
  private final ProxyConfiguration proxy;

  private PlainHttpConnections(Duration connectTimeout, Duration readTimeout) {
    this.connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.readMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
    this.proxy = ProxyConfiguration.builder().build();
  }

  /** A client for {@code http://} URLs only. */
  static SdkHttpClient client(Duration connectTimeout, Duration readTimeout) {
    return UrlConnectionHttpClient.create(new PlainHttpConnections(connectTimeout, readTimeout));
  }

  @Override
  public HttpURLConnection createConnection(URI uri) {
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("Not an http:// URL: " + uri); // the backend picks this client for http only
    }
    try {
      boolean proxied = proxied(uri);
      HttpURLConnection connection = (HttpURLConnection) (proxied
          ? uri.toURL().openConnection(new Proxy(Proxy.Type.HTTP,
              InetSocketAddress.createUnresolved(proxy.host(), proxy.port())))
          : uri.toURL().openConnection());
      if (proxied && proxy.username() != null && proxy.password() != null) {
        String token = proxy.username() + ":" + proxy.password();
        connection.addRequestProperty("proxy-authorization",
            "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
      }
      connection.setConnectTimeout(connectMillis);
      connection.setReadTimeout(readMillis);
      return connection;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean proxied(URI uri) {
    if (proxy.host() == null) {
      return false;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    for (String pattern : proxy.nonProxyHosts()) {
      if (host.matches(pattern)) {
        return false;
      }
    }
    return true;
  }
}
