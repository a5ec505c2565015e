package org.barman4j.testing.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The directory holding the PostgreSQL 15 server binaries ({@code initdb}, {@code pg_ctl},
 * {@code postgres}, {@code pgbench}, {@code pg_basebackup}, ...).
 *
 * <p>Looked up in this order: system property {@value #BIN_PROPERTY}, environment variable
 * {@value #BIN_ENV}, then {@value #DEFAULT_BIN} (Debian package {@value #DEBIAN_PACKAGE}).
 *
 * @param bin the directory containing the executables
 */
public record PgBinaries(Path bin) {
  /** System property naming the binaries directory; wins over {@link #BIN_ENV}. */
  public static final String BIN_PROPERTY = "barman4j.pg.bin";

  /** Environment variable naming the binaries directory. */
  public static final String BIN_ENV = "BARMAN4J_PG_BIN";

  /** Where Debian and Ubuntu install PostgreSQL 15. */
  public static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";

  /** The Debian package providing {@link #DEFAULT_BIN}. */
  public static final String DEBIAN_PACKAGE = "postgresql-15";

  /** When {@code true}, tests skip instead of failing if the binaries are missing. */
  public static final String OPTIONAL_PROPERTY = "barman4j.pg.optional";

  /** The executables every cluster needs; client tools are checked when used. */
  private static final List<String> REQUIRED = List.of("initdb", "pg_ctl", "postgres");

  public PgBinaries {
    Objects.requireNonNull(bin, "bin is null");
  }

  /** The configured directory if it holds the server executables, empty otherwise. */
  public static Optional<PgBinaries> find() {
    return Source.current().find();
  }

  /**
   * The binaries, or an {@link IllegalStateException} saying which directory was searched, how it
   * was chosen and how to install the server.
   */
  public static PgBinaries require() {
    return find().orElseThrow(() -> new IllegalStateException(missingReason()));
  }

  /**
   * The binaries for a test that needs a cluster. When they are missing, the test fails unless
   * system property {@value #OPTIONAL_PROPERTY} is {@code true}; then {@code skip} is called with
   * the reason and is expected to throw, e.g. {@code PgBinaries.forTests(Assumptions::abort)}
   * with JUnit 5.
   */
  public static PgBinaries forTests(Consumer<String> skip) {
    return Source.current().forTests(skip, Boolean.getBoolean(OPTIONAL_PROPERTY));
  }

  /** Why {@link #find()} comes back empty, or a note that nothing is missing. */
  public static String missingReason() {
    return Source.current().missingReason();
  }

  /** The executable {@code name} in this directory, e.g. {@code tool("pgbench")}. */
  public Path tool(String name) {
    Objects.requireNonNull(name, "name is null");
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("Not a tool name: '" + name + "'");
    }
    return bin.resolve(name);
  }

  /**
   * Where the binaries are looked for.
   *
   * @param property the value of system property {@value #BIN_PROPERTY}, empty if unset
   * @param env the value of environment variable {@value #BIN_ENV}, empty if unset
   */
  record Source(String property, String env) {
    static Source current() {
      return new Source(
          System.getProperty(BIN_PROPERTY, ""), System.getenv().getOrDefault(BIN_ENV, ""));
    }

    Path bin() {
      if (!property.isBlank()) {
        return Path.of(property.strip());
      }
      return Path.of(env.isBlank() ? DEFAULT_BIN : env.strip());
    }

    Optional<PgBinaries> find() {
      return missingTools().isEmpty() ? Optional.of(new PgBinaries(bin())) : Optional.empty();
    }

    PgBinaries forTests(Consumer<String> skip, boolean optional) {
      Objects.requireNonNull(skip, "skip is null");
      Optional<PgBinaries> found = find();
      if (found.isPresent()) {
        return found.get();
      }
      String reason = missingReason();
      if (optional) {
        skip.accept(reason);
        throw new IllegalStateException(reason);
      }
      throw new IllegalStateException(
          reason + " To skip tests needing PostgreSQL instead, set -D" + OPTIONAL_PROPERTY
              + "=true.");
    }

    String missingReason() {
      List<String> missing = missingTools();
      if (missing.isEmpty()) {
        return "PostgreSQL binaries found in " + bin() + ".";
      }
      return "PostgreSQL 15 server binaries not found: " + bin() + " (" + describe()
          + ") lacks executable " + String.join(", ", missing) + ". Install Debian package "
          + DEBIAN_PACKAGE + " (apt-get install -y " + DEBIAN_PACKAGE + ") or point -D"
          + BIN_PROPERTY + " or " + BIN_ENV + " at a PostgreSQL 15 bin directory.";
    }

    private String describe() {
      if (!property.isBlank()) {
        return "from system property " + BIN_PROPERTY;
      }
      if (!env.isBlank()) {
        return "from environment variable " + BIN_ENV;
      }
      return "the default";
    }

    private List<String> missingTools() {
      Path dir = bin();
      return REQUIRED.stream().filter(name -> !Files.isExecutable(dir.resolve(name))).toList();
    }
  }
}
