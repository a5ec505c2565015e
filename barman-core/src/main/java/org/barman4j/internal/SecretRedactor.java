package org.barman4j.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text meant for a log or a terminal: the values of every credential-bearing HTTP
 * header, query parameter and form or JSON field the storage SDKs use (S3's session token, signature and
 * {@code Authorization}; Azure's SAS {@code sig}, SharedKey and account keys; Google's bearer and access
 * tokens, JWT assertions and private keys), plus the literal values of the secrets this process was given.
 * Each is replaced by {@value #MARK}. Not for public use.
 */
public final class SecretRedactor {
  /** What a redacted value becomes. */
  public static final String MARK = "****";

  /** Environment variables whose values are secrets, whole. */
  private static final List<String> SECRET_VARIABLES = List.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
      "AWS_SECURITY_TOKEN", "AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_CONNECTION_STRING",
      "AZURE_CLIENT_SECRET", "GOOGLE_OAUTH_ACCESS_TOKEN", "CLOUDSDK_AUTH_ACCESS_TOKEN");
  /** Secrets shorter than this are not matched literally: they would blank out ordinary words. */
  private static final int MIN_LITERAL = 8;

  // The value of a header, parameter or field: up to a separator of the formats the SDKs print
  // (headers one per line, query strings, "k=v, k=v" lists, maps, JSON).
  private static final String VALUE = "[^\\s&,;\"'\\]\\}>)]+";
  // Names whose whole value is a secret.
  private static final Pattern NAMED = Pattern.compile("(?i)(?<![A-Za-z0-9_-])("
      + "x-amz-security-token|x-amz-signature|x-amz-credential|x-goog-signature|x-goog-credential|"
      + "signature|sig|accountkey|sharedaccesssignature|access_token|refresh_token|id_token|client_secret|"
      + "assertion|private_key|private_key_id|sessiontoken|session_token|secretaccesskey|secret_access_key"
      + ")(\"?\\s*[:=]\\s*\\[?\"?)" + VALUE);
  // Authorization headers: the scheme stays, the rest of the value goes (SigV4's comma-separated fields
  // included).
  private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(?<![A-Za-z0-9_-])((?:proxy-)?authorization"
      + "\"?\\s*[:=]\\s*\\[?\"?)(?:(AWS4-HMAC-SHA256|AWS|Bearer|SharedKey|SharedKeyLite|Basic|GOOG4-RSA-SHA256)\\s+)?"
      + "(?:[^\\s,\"'\\]\\}]++(?:,\\s*+(?=[A-Za-z]+=))?+)++");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(Bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?(?:-----END \\1PRIVATE KEY-----|$)", Pattern.DOTALL);

  private final List<String> literals;

  private SecretRedactor(Set<String> literals) {
    // Longest first, so that a secret containing another is removed whole.
    this.literals = literals.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** A redactor for the names above and the secrets in {@code environment} (a process's environment). */
  public static SecretRedactor fromEnvironment(Map<String, String> environment) {
    Set<String> secrets = new LinkedHashSet<>();
    for (String variable : SECRET_VARIABLES) {
      String value = environment.get(variable);
      if (value == null || value.isBlank()) {
        continue;
      }
      String trimmed = value.strip();
      secrets.add(trimmed);
      if (trimmed.startsWith("?")) {
        secrets.add(trimmed.substring(1));
      }
      // A connection string's or SAS token's parts: an account key, a SAS token and its signature.
      for (String part : trimmed.split("[;&?]")) {
        int equals = part.indexOf('=');
        if (equals > 0) {
          String name = part.substring(0, equals).strip().toLowerCase(java.util.Locale.ROOT);
          String partValue = part.substring(equals + 1).strip();
          if (name.equals("accountkey") || name.equals("sharedaccesssignature") || name.equals("sig")) {
            secrets.add(partValue);
          }
        }
      }
    }
    return of(secrets);
  }

  /** A redactor for the names above and these literal secrets (also in URL-encoded and decoded form). */
  public static SecretRedactor of(Set<String> secrets) {
    Set<String> literals = new LinkedHashSet<>();
    for (String secret : secrets) {
      for (String form : List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8), decoded(secret))) {
        if (form.length() >= MIN_LITERAL) {
          // Matched against ISO-8859-1 text (see redact): a non-ASCII secret as its UTF-8 bytes.
          literals.add(new String(form.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
          literals.add(form);
        }
      }
    }
    return new SecretRedactor(literals);
  }

  /** {@code text} with every credential replaced by {@value #MARK}. */
  public String redact(String text) {
    if (text.isEmpty()) {
      return text;
    }
    String result = text;
    for (String literal : literals) {
      if (result.contains(literal)) {
        result = result.replace(literal, MARK);
      }
    }
    result = replace(PRIVATE_KEY, result, m -> MARK);
    result = replace(AUTHORIZATION, result, m -> m.group(1) + (m.group(2) == null ? "" : m.group(2) + " ") + MARK);
    result = replace(NAMED, result, m -> m.group(1) + m.group(2) + MARK);
    result = replace(BEARER, result, m -> m.group(1) + MARK);
    return result;
  }

  private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> by) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      matcher.appendReplacement(out, Matcher.quoteReplacement(by.apply(matcher)));
    } while (matcher.find());
    matcher.appendTail(out);
    return out.toString();
  }

  private static String decoded(String secret) {
    try {
      return URLDecoder.decode(secret, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return secret;
    }
  }
}
