package org.barman4j.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster a server's backups belong to, as Barman keeps it in {@code identity.json}:
 * {@code {"systemid": "…", "version": "15"}}. Barman writes it before the first backup and never rewrites it.
 *
 * @param systemId PostgreSQL's system identifier, in decimal
 * @param version the server's major version, e.g. {@code 15}
 */
public record ServerIdentity(String systemId, String version) {

  private static final Pattern FIELD = Pattern.compile("\"(systemid|version)\"\\s*:\\s*(\"([^\"\\\\]*)\"|(\\d+))");

  /**
   * Validates the components.
   *
   * @param systemId the system identifier, decimal digits
   * @param version the major version
   */
  public ServerIdentity {
    Objects.requireNonNull(systemId, "systemId is null");
    Objects.requireNonNull(version, "version is null");
    if (!systemId.matches("\\d+") || !version.matches("[0-9.]+")) {
      throw new IllegalArgumentException("invalid system id '" + systemId + "' or version '" + version + "'");
    }
  }

  /** {@return the JSON Barman writes: sorted keys, four-space indent, trailing newline} */
  public String toJson() {
    return "{\n    \"systemid\": \"" + systemId + "\",\n    \"version\": \"" + version + "\"\n}\n";
  }

  /**
   * Parses {@code identity.json}. String and numeric values are both accepted.
   *
   * @param json the file text
   * @return the identity
   * @throws IllegalArgumentException if {@code systemid} or {@code version} is missing or invalid
   */
  public static ServerIdentity parse(String json) {
    String systemId = "";
    String version = "";
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      String value = m.group(3) != null ? m.group(3) : m.group(4);
      if (m.group(1).equals("systemid")) {
        systemId = value;
      } else {
        version = value;
      }
    }
    if (systemId.isEmpty() || version.isEmpty()) {
      throw new IllegalArgumentException("identity.json lacks \"systemid\" or \"version\"");
    }
    return new ServerIdentity(systemId, version);
  }

  /**
   * Reads a server's {@code identity.json}.
   *
   * @param directories the server's directories
   * @return the identity
   * @throws IOException if the file cannot be read (e.g. it does not exist yet)
   * @throws IllegalArgumentException if it is not a valid identity
   */
  public static ServerIdentity read(ServerDirectories directories) throws IOException {
    Path file = directories.identityJson();
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes this identity durably to a server's {@code identity.json}, creating the directory if needed.
   *
   * @param directories the server's directories
   * @throws IOException if the file cannot be written
   */
  public void write(ServerDirectories directories) throws IOException {
    Files.createDirectories(directories.backupDirectory());
    DurableFiles.write(directories.identityJson(), toJson().getBytes(StandardCharsets.UTF_8));
  }
}
