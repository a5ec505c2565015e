package org.barman4j.server.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.barman4j.postgres.ConnectionSettings;

/**
 * The {@code pg_basebackup} command line Barman 3.4 runs for {@code backup_method = postgres}:
 * {@code --dbname=CONNINFO -v --no-password --pgdata=DEST [--no-slot --wal-method=none]
 * [--tablespace-mapping=OLD=NEW]… [--max-rate=KBPS] [--checkpoint=fast] [--format=… --compress=…]}.
 *
 * <p>The connection string is {@code streaming_conninfo} rewritten as Barman's streaming connection does
 * ({@code dbname=replication}, {@code replication=true}, {@code options=-cdatestyle=iso}, keys sorted) with
 * {@code application_name} appended unless given. Unlike Barman, a password is not put on the command line,
 * where every local user could read it: it goes to {@code PGPASSWORD} in the program's environment.
 *
 * @param arguments the full command line, program first
 * @param environment variables to add to the program's environment
 */
public record PgBaseBackupCommand(List<String> arguments, Map<String, String> environment) {

  /**
   * Copies the collections.
   *
   * @param arguments the command line
   * @param environment extra environment variables
   */
  public PgBaseBackupCommand {
    arguments = List.copyOf(arguments);
    environment = Map.copyOf(environment);
  }

  /**
   * The options of one run.
   *
   * @param program the {@code pg_basebackup} to run
   * @param streamingConninfo {@code streaming_conninfo}
   * @param applicationName {@code streaming_backup_name}
   * @param destination {@code base/ID/data}
   * @param tablespaceMapping tablespace location on the server to its directory in the backup, in order
   * @param bandwidthLimit {@code bandwidth_limit} in kB/s, 0 for none
   * @param fastCheckpoint whether to ask for an immediate checkpoint
   * @param compression {@code backup_compression} and its options, if set
   */
  public record Options(PgBaseBackupLocator.Program program, String streamingConninfo, String applicationName,
      Path destination, Map<String, Path> tablespaceMapping, long bandwidthLimit, boolean fastCheckpoint,
      Optional<BaseBackupCompression> compression) {
    /**
     * Checks and copies the components.
     *
     * @param program the program
     * @param streamingConninfo the connection string
     * @param applicationName the application name
     * @param destination the data destination
     * @param tablespaceMapping the tablespace mapping
     * @param bandwidthLimit the bandwidth limit
     * @param fastCheckpoint the checkpoint mode
     * @param compression the compression
     */
    public Options {
      Objects.requireNonNull(program, "program is null");
      Objects.requireNonNull(streamingConninfo, "streamingConninfo is null");
      Objects.requireNonNull(applicationName, "applicationName is null");
      Objects.requireNonNull(destination, "destination is null");
      tablespaceMapping = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tablespaceMapping));
      Objects.requireNonNull(compression, "compression is null");
    }
  }

  /**
   * Builds the command line.
   *
   * @param options what to run
   * @return the command
   * @throws IllegalArgumentException if {@code streaming_conninfo} cannot be parsed
   */
  public static PgBaseBackupCommand of(Options options) {
    Map<String, String> keywords = new TreeMap<>(ConnectionSettings.parseKeywords(options.streamingConninfo()));
    Map<String, String> env = new TreeMap<>();
    String password = keywords.remove("password");
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    keywords.put("replication", "true");
    keywords.put("options", "-cdatestyle=iso");
    keywords.put("dbname", "replication");
    StringBuilder conninfo = new StringBuilder(encode(keywords));
    if (!keywords.containsKey("application_name") && !options.applicationName().isEmpty()) {
      conninfo.append(" application_name=").append(quote(options.applicationName()));
    }
    PgClientVersion version = options.program().version();
    List<String> args = new ArrayList<>();
    args.add(options.program().path().toString());
    args.add("--dbname=" + conninfo);
    args.add("-v");
    args.add("--no-password");
    args.add("--pgdata=" + options.destination());
    if (version.major() >= 100000) {
      // Barman keeps every WAL file itself: neither a temporary slot nor WAL in the copy.
      args.add("--no-slot");
      args.add("--wal-method=none");
    }
    options.tablespaceMapping().forEach((from, to) -> args.add("--tablespace-mapping=" + escapeMapping(from) + "="
        + escapeMapping(to.toString())));
    if (options.bandwidthLimit() > 0) {
      args.add("--max-rate=" + options.bandwidthLimit());
    }
    if (options.fastCheckpoint()) {
      args.add("--checkpoint=fast");
    }
    options.compression().ifPresent(c -> args.addAll(c.arguments(version)));
    return new PgBaseBackupCommand(args, env);
  }

  /** {@return the command line as one string, for messages and logs (it never holds the password)} */
  public String display() {
    return String.join(" ", arguments);
  }

  private static String encode(Map<String, String> keywords) {
    StringBuilder out = new StringBuilder();
    keywords.forEach((k, v) -> {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(k).append('=').append(quote(v));
    });
    return out.toString();
  }

  /** libpq quoting: single quotes around a value that is empty or holds a space, quote or backslash. */
  static String quote(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\')) {
      return value;
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** pg_basebackup reads {@code \=} as a literal {@code =} in a mapping's directories. */
  private static String escapeMapping(String dir) {
    return dir.replace("=", "\\=");
  }
}
