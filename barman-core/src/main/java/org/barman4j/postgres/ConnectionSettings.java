package org.barman4j.postgres;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.barman4j.internal.FileNameEncoding;
import org.barman4j.internal.UnixSocketFactory;

/**
 * Where and how to connect to PostgreSQL, resolved the way libpq does it for Barman's tools: command-line
 * values first, then a connection string given as the database name, then the {@code PG*} environment
 * variables, then libpq's defaults (Unix socket in {@code /var/run/postgresql} or {@code /tmp} when it exists,
 * port 5432, the OS user, database {@code postgres}).
 *
 * @param host a host name or address, or an absolute directory holding the server's Unix socket
 * @param port the TCP port, also the number in the socket's name
 * @param user the role to log in as
 * @param dbname the database
 * @param password the password, if any (else the driver's {@code .pgpass} lookup applies); never printed
 * @param applicationName {@code application_name}
 * @param options other libpq keywords given in the connection string ({@code sslmode}, {@code connect_timeout} …)
 */
public record ConnectionSettings(
    String host, int port, String user, String dbname, Optional<String> password, String applicationName,
    Map<String, String> options) {
  /** libpq's compiled-in socket directories, in the order they are tried (Debian's first). */
  private static final String[] SOCKET_DIRECTORIES = {"/var/run/postgresql", "/tmp"};

  /**
   * Checks that no component is null, copies the collections and checks the values.
   *
   * @param host a host name or address, or an absolute directory holding the server's Unix socket
   * @param port the TCP port, also the number in the socket's name
   * @param user the role to log in as
   * @param dbname the database
   * @param password the password, if any (else the driver's {@code .pgpass} lookup applies); never printed
   * @param applicationName {@code application_name}
   * @param options other libpq keywords given in the connection string ({@code sslmode}, {@code connect_timeout} …)
   * @throws IllegalArgumentException if a component is invalid
   */
  public ConnectionSettings {
    Objects.requireNonNull(host, "host is null");
    Objects.requireNonNull(user, "user is null");
    Objects.requireNonNull(dbname, "dbname is null");
    Objects.requireNonNull(password, "password is null");
    Objects.requireNonNull(applicationName, "applicationName is null");
    options = Map.copyOf(Objects.requireNonNull(options, "options is null"));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Invalid PostgreSQL port " + port);
    }
  }

  /**
   * {@return a builder resolving settings the way libpq does for Barman's tools}
   *
   * <pre>{@code
   * ConnectionSettings settings = ConnectionSettings.builder().host("/var/run/postgresql").user("postgres").build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects barman-cloud-backup's {@code -h}, {@code -p}, {@code -U} and {@code -d} values, each optional;
   * {@link #build()} fills in the rest from the environment and libpq's defaults. A database name containing
   * {@code =} (or starting with {@code postgresql://}) is a connection string whose keywords apply unless the
   * other values say otherwise. An empty value counts as not given.
   */
  public static final class Builder {
    private String host = "";
    private String port = "";
    private String user = "";
    private String dbname = "";
    private String applicationName = "barman4j";
    private Map<String, String> env = System.getenv();

    private Builder() {}

    /**
     * Sets {@code -h}: a host name or a Unix socket directory.
     *
     * @param host the host
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host is null");
      return this;
    }

    /**
     * Sets {@code -p}.
     *
     * @param port the port, as text (checked by {@link #build()})
     * @return this builder
     */
    public Builder port(String port) {
      this.port = Objects.requireNonNull(port, "port is null");
      return this;
    }

    /**
     * Sets {@code -p}.
     *
     * @param port the port
     * @return this builder
     */
    public Builder port(int port) {
      return port(Integer.toString(port));
    }

    /**
     * Sets {@code -U}.
     *
     * @param user the role
     * @return this builder
     */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user is null");
      return this;
    }

    /**
     * Sets {@code -d}: a database name or a connection string.
     *
     * @param dbname the database or connection string
     * @return this builder
     */
    public Builder dbname(String dbname) {
      this.dbname = Objects.requireNonNull(dbname, "dbname is null");
      return this;
    }

    /**
     * Sets the {@code application_name} reported unless the connection string sets one (default {@code barman4j}).
     *
     * @param applicationName the name
     * @return this builder
     */
    public Builder applicationName(String applicationName) {
      this.applicationName = Objects.requireNonNull(applicationName, "applicationName is null");
      return this;
    }

    /**
     * Sets the environment read for {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGDATABASE},
     * {@code PGPASSWORD}, {@code PGSSLMODE} and {@code PGCONNECT_TIMEOUT} (default: this process's).
     *
     * @param env the environment
     * @return this builder
     */
    public Builder environment(Map<String, String> env) {
      this.env = Map.copyOf(Objects.requireNonNull(env, "env is null"));
      return this;
    }

    /**
     * {@return the resolved settings}
     *
     * @throws IllegalArgumentException if the connection string or the port is malformed
     */
    public ConnectionSettings build() {
      return resolve(host, port, user, dbname, applicationName, env);
    }
  }

  private static ConnectionSettings resolve(String host, String port, String user, String dbname,
      String applicationName, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    String db = dbname;
    if (db.contains("=") || db.startsWith("postgresql://") || db.startsWith("postgres://")) {
      values.putAll(db.contains("://") ? parseUri(db) : parseConninfo(db));
    } else if (!db.isEmpty()) {
      values.put("dbname", db);
    }
    putIfGiven(values, "host", host);
    putIfGiven(values, "port", port);
    putIfGiven(values, "user", user);
    fromEnv(values, "host", env, "PGHOST");
    fromEnv(values, "port", env, "PGPORT");
    fromEnv(values, "user", env, "PGUSER");
    fromEnv(values, "dbname", env, "PGDATABASE");
    fromEnv(values, "password", env, "PGPASSWORD");
    fromEnv(values, "sslmode", env, "PGSSLMODE");
    fromEnv(values, "connect_timeout", env, "PGCONNECT_TIMEOUT");
    if (!values.containsKey("host") && values.containsKey("hostaddr")) {
      values.put("host", values.get("hostaddr"));
    }
    values.remove("hostaddr");
    int portNumber;
    String portText = values.getOrDefault("port", "5432");
    try {
      portNumber = Integer.parseInt(portText.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid PostgreSQL port '" + portText + "'", e);
    }
    String resolvedUser = values.getOrDefault("user", System.getProperty("user.name", "postgres"));
    String resolvedHost = values.containsKey("host") ? values.get("host") : defaultHost(portNumber);
    String resolvedDb = values.getOrDefault("dbname", "postgres");
    Optional<String> password = Optional.ofNullable(values.get("password"));
    String app = values.getOrDefault("application_name", applicationName);
    Map<String, String> options = new LinkedHashMap<>(values);
    for (String k : new String[] {"host", "port", "user", "dbname", "password", "application_name"}) {
      options.remove(k);
    }
    return new ConnectionSettings(resolvedHost, portNumber, resolvedUser, resolvedDb, password, app, options);
  }

  private static void putIfGiven(Map<String, String> values, String key, String value) {
    if (!value.isEmpty()) {
      values.put(key, value);
    }
  }

  private static void fromEnv(Map<String, String> values, String key, Map<String, String> env, String variable) {
    String v = env.get(variable);
    if (!values.containsKey(key) && v != null && !v.isEmpty()) {
      values.put(key, v);
    }
  }

  private static String defaultHost(int port) {
    for (String dir : SOCKET_DIRECTORIES) {
      if (Files.exists(Path.of(dir, ".s.PGSQL." + port))) {
        return dir;
      }
    }
    return "localhost";
  }

  /** {@return whether {@link #host()} names a Unix socket directory} */
  public boolean isUnixSocket() {
    return host.startsWith("/");
  }

  /** {@return the Unix socket file, for a socket directory host} */
  public Path socketPath() {
    try {
      return Path.of(host, ".s.PGSQL." + port);
    } catch (InvalidPathException e) {
      throw FileNameEncoding.explain(e);
    }
  }

  /** {@return the JDBC URL (without credentials)} */
  public String jdbcUrl() {
    String h = isUnixSocket() ? "localhost" : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + URLEncoder.encode(dbname, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** {@return the driver properties: credentials, application name, TLS and time-out options, socket factory} */
  public Properties driverProperties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    password.ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("ApplicationName", applicationName);
    String sslmode = options.get("sslmode");
    if (isUnixSocket()) {
      p.setProperty("socketFactory", UnixSocketFactory.class.getName());
      p.setProperty("socketFactoryArg", socketPath().toString());
      p.setProperty("sslmode", "disable"); // libpq never uses TLS on a Unix socket
    } else if (sslmode != null) {
      p.setProperty("sslmode", sslmode);
    }
    copyOption(p, "sslrootcert", "sslrootcert");
    copyOption(p, "sslcert", "sslcert");
    copyOption(p, "sslkey", "sslkey");
    copyOption(p, "sslpassword", "sslpassword");
    copyOption(p, "connect_timeout", "connectTimeout");
    copyOption(p, "options", "options");
    return p;
  }

  private void copyOption(Properties p, String option, String property) {
    String v = options.get(option);
    if (v != null) {
      p.setProperty(property, v);
    }
  }

  /** For messages: every setting but the password. */
  @Override
  public String toString() {
    return "host=" + host + " port=" + port + " user=" + user + " dbname=" + dbname;
  }

  /**
   * Parses a libpq connection string, either {@code key=value} pairs (values may be single-quoted, with
   * {@code \'} and {@code \\} escapes) or a {@code postgresql://} URI, into its keywords, in order; a
   * repeated keyword keeps its last value, as libpq does.
   *
   * @param conninfo the connection string, e.g. Barman's {@code conninfo} or {@code streaming_conninfo}
   * @return keyword to value
   * @throws IllegalArgumentException if it is malformed
   */
  public static Map<String, String> parseKeywords(String conninfo) {
    Objects.requireNonNull(conninfo, "conninfo is null");
    String text = conninfo.strip();
    return java.util.Collections.unmodifiableMap(text.startsWith("postgresql://") || text.startsWith("postgres://")
        ? parseUri(text) : parseConninfo(text));
  }

  /**
   * Parses a libpq {@code key=value} connection string: values may be single-quoted, with {@code \'}
   * and {@code \\} escapes.
   *
   * @throws IllegalArgumentException if it is malformed
   */
  static Map<String, String> parseConninfo(String conninfo) {
    Map<String, String> values = new LinkedHashMap<>();
    int i = 0;
    int n = conninfo.length();
    while (true) {
      while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return values;
      }
      int keyStart = i;
      while (i < n && conninfo.charAt(i) != '=' && !Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      String key = conninfo.substring(keyStart, i);
      while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      if (i >= n || conninfo.charAt(i) != '=' || key.isEmpty()) {
        throw new IllegalArgumentException("Invalid connection string: missing \"=\" after \"" + key + "\"");
      }
      i++;
      while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
        i++;
      }
      StringBuilder value = new StringBuilder();
      if (i < n && conninfo.charAt(i) == '\'') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = conninfo.charAt(i++);
          if (c == '\\' && i < n) {
            value.append(conninfo.charAt(i++));
          } else if (c == '\'') {
            closed = true;
            break;
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("Invalid connection string: unterminated quoted value for \"" + key + "\"");
        }
      } else {
        while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
          char c = conninfo.charAt(i++);
          if (c == '\\' && i < n) {
            value.append(conninfo.charAt(i++));
          } else {
            value.append(c);
          }
        }
      }
      values.put(key, value.toString());
    }
  }

  /** Parses {@code postgresql://[user[:password]@][host][:port][/dbname][?key=value&…]}. */
  static Map<String, String> parseUri(String uri) {
    Map<String, String> values = new LinkedHashMap<>();
    String rest = uri.substring(uri.indexOf("://") + 3);
    int q = rest.indexOf('?');
    String query = q < 0 ? "" : rest.substring(q + 1);
    rest = q < 0 ? rest : rest.substring(0, q);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    if (slash >= 0 && slash + 1 < rest.length()) {
      values.put("dbname", decode(rest.substring(slash + 1)));
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      values.put("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        values.put("password", decode(userInfo.substring(colon + 1)));
      }
    }
    String hostPart = authority;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("Invalid connection URI: unterminated IPv6 address");
      }
      hostPart = authority.substring(1, close);
      if (close + 1 < authority.length() && authority.charAt(close + 1) == ':') {
        values.put("port", authority.substring(close + 2));
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        values.put("port", authority.substring(colon + 1));
        hostPart = authority.substring(0, colon);
      }
    }
    if (!hostPart.isEmpty()) {
      values.put("host", decode(hostPart));
    }
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("Invalid connection URI parameter '" + pair + "'");
        }
        values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    return values;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
