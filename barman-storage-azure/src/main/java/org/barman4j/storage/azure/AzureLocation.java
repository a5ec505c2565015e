package org.barman4j.storage.azure;

import java.util.Locale;
import java.util.Objects;
import org.barman4j.storage.StorageUri;

/**
 * Where an Azure URL points, parsed as Barman parses it: {@code https://ACCOUNT.blob.core.windows.net/CONTAINER[/PATH]}
 * (the account is the host's first label, the container the first path segment) or the emulator form
 * {@code http://HOST:PORT/ACCOUNT/CONTAINER[/PATH]} (Azurite's path-style addressing).
 *
 * @param endpoint the account's blob endpoint, e.g. {@code https://acct.blob.core.windows.net} or
 *     {@code http://127.0.0.1:10000/devstoreaccount1}
 * @param account the storage account name
 * @param container the container name
 * @param root the key prefix under the container, without leading or trailing '/'; empty for the whole container
 * @param emulator whether the URL has the emulator form
 * @param url the URL as given, for messages
 */
record AzureLocation(String endpoint, String account, String container, String root, boolean emulator, String url) {
  /** The host suffix of Azure Blob Storage accounts (Barman's {@code AZURE_BLOB_STORAGE_DOMAIN}). */
  static final String DOMAIN = "blob.core.windows.net";

  private static final String EXPECTED =
      "; expected https://ACCOUNT." + DOMAIN + "/CONTAINER[/PATH] or http://HOST:PORT/ACCOUNT/CONTAINER[/PATH]";

  AzureLocation {
    Objects.requireNonNull(endpoint, "endpoint is null");
    Objects.requireNonNull(account, "account is null");
    Objects.requireNonNull(container, "container is null");
    Objects.requireNonNull(root, "root is null");
    Objects.requireNonNull(url, "url is null");
  }

  /**
   * Whether {@code uri} has one of the two Azure forms. The service form is recognised by its host name,
   * as Barman does; the emulator form, which any HTTP server could have, only with an explicit port and an
   * account and container segment that are valid Azure names, so that other http URLs are left alone.
   */
  static boolean matches(StorageUri uri) {
    if (!uri.scheme().equals("https") && !uri.scheme().equals("http")) {
      return false;
    }
    String host = host(uri.authority());
    if (isServiceHost(host)) {
      return true;
    }
    if (port(uri.authority()) < 0 || host.isEmpty()) {
      return false;
    }
    String[] segments = uri.path().split("/", -1);
    return segments.length >= 3 && isAccountName(segments[1]) && isContainerName(segments[2]);
  }

  /**
   * Parses {@code uri}.
   *
   * @throws IllegalArgumentException if it is not an Azure URL, or names an invalid account or container
   */
  static AzureLocation parse(StorageUri uri) {
    String shown = shown(uri);
    if (uri.path().contains("?") || uri.path().contains("#") || uri.authority().contains("@")) {
      // A SAS token in the URL would be a secret in every message that names the URL.
      throw new IllegalArgumentException("Invalid Azure URL '" + shown + "': query strings, fragments and user "
          + "information are not supported (pass a SAS token in AZURE_STORAGE_SAS_TOKEN)" + EXPECTED);
    }
    if (!matches(uri)) {
      throw new IllegalArgumentException("Invalid Azure URL '" + shown + "'" + EXPECTED);
    }
    String host = host(uri.authority());
    String[] segments = uri.path().split("/", -1);
    boolean emulator = !isServiceHost(host);
    String account;
    int containerIndex;
    String endpoint;
    if (emulator) {
      account = segments[1];
      containerIndex = 2;
      endpoint = uri.scheme() + "://" + uri.authority() + "/" + account;
    } else {
      account = host.substring(0, host.indexOf('.'));
      containerIndex = 1;
      // Barman talks https to the service whatever the URL's scheme: never send credentials in clear.
      endpoint = "https://" + uri.authority().toLowerCase(Locale.ROOT);
    }
    if (!isAccountName(account)) {
      throw new IllegalArgumentException("Invalid Azure URL '" + shown + "': '" + account
          + "' is not a storage account name (3-24 lower-case letters and digits)" + EXPECTED);
    }
    String container = segments.length > containerIndex ? segments[containerIndex] : "";
    if (!isContainerName(container)) {
      throw new IllegalArgumentException("Invalid Azure URL '" + shown + "': "
          + (container.isEmpty() ? "no container" : "'" + container + "' is not a container name")
          + " (3-63 lower-case letters, digits and single hyphens)" + EXPECTED);
    }
    StringBuilder root = new StringBuilder();
    for (int i = containerIndex + 1; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) {
        if (i == segments.length - 1) {
          continue; // a trailing '/'
        }
        throw new IllegalArgumentException("Invalid Azure URL '" + shown + "': empty path segment" + EXPECTED);
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("Invalid Azure URL '" + shown + "': '.' and '..' segments are not allowed");
      }
      if (root.length() > 0) {
        root.append('/');
      }
      root.append(segment);
    }
    return new AzureLocation(endpoint, account, container, root.toString(), emulator, shown);
  }

  /** The blob name of {@code key}. */
  String blobName(String key) {
    return root.isEmpty() ? key : root + "/" + key;
  }

  /** The blob-name prefix under which every key lives: empty or ending in '/'. */
  String keyPrefix() {
    return root.isEmpty() ? "" : root + "/";
  }

  private static String shown(StorageUri uri) {
    String text = uri.toString();
    int query = text.indexOf('?');
    return query < 0 ? text : text.substring(0, query) + "?…";
  }

  private static boolean isServiceHost(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    int dot = lower.indexOf('.');
    return dot > 0 && lower.endsWith("." + DOMAIN);
  }

  private static String host(String authority) {
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close < 0 ? authority : authority.substring(0, close + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /** The explicit port, or -1. */
  private static int port(String authority) {
    int close = authority.lastIndexOf(']');
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || colon < close || colon == authority.length() - 1) {
      return -1;
    }
    String digits = authority.substring(colon + 1);
    if (digits.length() > 5) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    int port = Integer.parseInt(digits);
    return port > 0 && port <= 65535 ? port : -1;
  }

  /** Azure's rule: 3-24 lower-case letters and digits. */
  static boolean isAccountName(String name) {
    if (name.length() < 3 || name.length() > 24) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  /** Azure's rule: 3-63 lower-case letters, digits and hyphens, starting and ending alphanumeric, no "--". */
  static boolean isContainerName(String name) {
    if (name.equals("$root")) {
      return true;
    }
    if (name.length() < 3 || name.length() > 63) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && !(c == '-' && i > 0 && i < name.length() - 1 && name.charAt(i - 1) != '-')) {
        return false;
      }
    }
    return true;
  }
}
