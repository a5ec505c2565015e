package org.barman4j.gcs.testserver;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** HTTP messages as the fake handles them (whole bodies in memory), and the multipart formats it parses. */
final class Http {
  private Http() {}

  /** A request: header names are lower case; {@code rawPath} keeps its percent escapes. */
  record Request(String method, String rawPath, Map<String, List<String>> query, Map<String, String> headers,
      byte[] body) {
    Optional<String> param(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    static Request of(String method, String rawTarget, Map<String, String> headers, byte[] body) {
      int q = rawTarget.indexOf('?');
      String path = q < 0 ? rawTarget : rawTarget.substring(0, q);
      Map<String, List<String>> query = parseQuery(q < 0 ? "" : rawTarget.substring(q + 1));
      Map<String, String> lower = new TreeMap<>();
      headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
      return new Request(method, path, query, lower, body);
    }
  }

  /** A response. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    static Response json(int status, Object value) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json; charset=UTF-8");
      return new Response(status, headers, Json.write(value).getBytes(UTF_8));
    }

    static Response empty(int status) {
      return new Response(status, new LinkedHashMap<>(), new byte[0]);
    }

    /** A JSON API error, in the documented {@code {"error": {...}}} shape. */
    static Response error(int status, String reason, String message) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("message", message);
      detail.put("domain", "global");
      detail.put("reason", reason);
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("code", status);
      error.put("message", message);
      error.put("errors", List.of(detail));
      return json(status, Map.of("error", error));
    }

    Response with(String header, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Response(status, h, body);
    }
  }

  static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  /** Decodes percent escapes only: in a path, '+' is a plus sign. */
  static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        out.write(Integer.parseInt(new String(bytes, i + 1, 2, ISO_8859_1), 16));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(UTF_8);
  }

  /** The boundary parameter of a multipart content type. */
  static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring("boundary=".length());
        return b.startsWith("\"") ? b.substring(1, b.length() - 1) : b;
      }
    }
    throw new IllegalArgumentException("no boundary in " + contentType);
  }

  /** One part of a multipart body: lower-case headers and content. */
  record Part(Map<String, String> headers, byte[] content) {}

  /** Splits a multipart body (RFC 2046) into its parts. */
  static List<Part> multipart(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int start = indexOf(body, delimiter, 0);
    if (start < 0) {
      throw new IllegalArgumentException("no multipart delimiter");
    }
    while (true) {
      int afterDelimiter = start + delimiter.length;
      if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
        return parts; // close delimiter
      }
      int headersStart = skipLineEnd(body, afterDelimiter);
      int next = indexOf(body, delimiter, headersStart);
      if (next < 0) {
        throw new IllegalArgumentException("unterminated multipart body");
      }
      int contentEnd = next;
      if (contentEnd >= 2 && body[contentEnd - 2] == '\r' && body[contentEnd - 1] == '\n') {
        contentEnd -= 2;
      } else if (contentEnd >= 1 && body[contentEnd - 1] == '\n') {
        contentEnd -= 1;
      }
      parts.add(part(Arrays.copyOfRange(body, headersStart, contentEnd)));
      start = next;
    }
  }

  /** Headers up to the first blank line, then content. */
  static Part part(byte[] raw) {
    Map<String, String> headers = new TreeMap<>();
    int pos = 0;
    while (pos < raw.length) {
      int eol = indexOf(raw, new byte[] {'\n'}, pos);
      if (eol < 0) {
        eol = raw.length;
      }
      String line = new String(raw, pos, eol - pos, UTF_8);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      pos = Math.min(raw.length, eol + 1);
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
      }
    }
    return new Part(headers, Arrays.copyOfRange(raw, pos, raw.length));
  }

  private static int skipLineEnd(byte[] body, int pos) {
    while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
      pos++;
    }
    if (pos < body.length && body[pos] == '\r') {
      pos++;
    }
    if (pos < body.length && body[pos] == '\n') {
      pos++;
    }
    return pos;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
