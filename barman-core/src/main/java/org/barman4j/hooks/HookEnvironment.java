package org.barman4j.hooks;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The environment in which Barman runs a hook script: which hook ({@code BARMAN_HOOK}), in which phase
 * ({@code BARMAN_PHASE}), and the variables of its kind ({@code BARMAN_SERVER}, {@code BARMAN_BACKUP_ID},
 * {@code BARMAN_FILE} …, as Barman's hook-script documentation lists them). A command called as a hook reads
 * it with {@link #from(Map)}; a server that runs hooks gives {@link #toEnvironment()} to the script.
 *
 * <p>Barman sets a variable to the empty string when it has no value (no next backup, no compression, no
 * error); here such a variable is absent.
 *
 * @param hook the hook's name without its phase, such as {@code archive_script} or {@code backup_retry_script}
 * @param phase whether the hook runs before or after the operation
 * @param variables the other non-empty {@code BARMAN_*} variables by name; never {@code BARMAN_HOOK},
 *     {@code BARMAN_PHASE} or {@code BARMAN_RETRY}, which follow from {@code hook} and {@code phase}
 */
public record HookEnvironment(String hook, Phase phase, Map<String, String> variables) {
  private static final String HOOK = "BARMAN_HOOK";
  private static final String PHASE = "BARMAN_PHASE";
  private static final String RETRY = "BARMAN_RETRY";

  /** When a hook runs. */
  public enum Phase {
    /** Before the operation ({@code pre}). */
    PRE,
    /** After the operation, whether it succeeded or not ({@code post}). */
    POST;

    /** {@return the value of {@code BARMAN_PHASE}: {@code pre} or {@code post}} */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Checks the components and copies {@code variables}.
   *
   * @param hook the hook's name without its phase, such as {@code archive_script}
   * @param phase whether the hook runs before or after the operation
   * @param variables the other non-empty {@code BARMAN_*} variables by name
   * @throws IllegalArgumentException if {@code hook} is blank, or {@code variables} holds a name that does not
   *     start with {@code BARMAN_}, one of the three that follow from {@code hook} and {@code phase}, or an
   *     empty value
   */
  public HookEnvironment {
    requireNonNull(hook, "hook is null");
    requireNonNull(phase, "phase is null");
    if (hook.isBlank()) {
      throw new IllegalArgumentException("hook is blank");
    }
    variables = new TreeMap<>(requireNonNull(variables, "variables is null"));
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith("BARMAN_") || name.equals(HOOK) || name.equals(PHASE) || name.equals(RETRY)) {
        throw new IllegalArgumentException("not a hook variable of its own: " + name);
      }
      if (variable.getValue().isEmpty()) {
        throw new IllegalArgumentException("empty hook variable: " + name);
      }
    }
    variables = Map.copyOf(variables);
  }

  /**
   * The hook environment in {@code environment} (a process's, as {@link System#getenv()} gives it), or empty
   * when the process does not run as a hook: {@code BARMAN_HOOK} is unset or empty, or {@code BARMAN_PHASE}
   * is neither {@code pre} nor {@code post}. Variables set to the empty string are left out.
   *
   * @param environment environment variables by name
   * @return the hook environment, if any
   */
  public static Optional<HookEnvironment> from(Map<String, String> environment) {
    String hook = environment.getOrDefault(HOOK, "");
    String phaseValue = environment.getOrDefault(PHASE, "");
    Optional<Phase> phase = Optional.empty();
    for (Phase candidate : Phase.values()) {
      if (candidate.value().equals(phaseValue)) {
        phase = Optional.of(candidate);
      }
    }
    if (hook.isEmpty() || phase.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> variables = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith("BARMAN_") && !name.equals(HOOK) && !name.equals(PHASE) && !name.equals(RETRY)
          && !value.isEmpty()) {
        variables.put(name, value);
      }
    });
    return Optional.of(new HookEnvironment(hook, phase.get(), variables));
  }

  /**
   * The variables to run the hook script with: {@code BARMAN_HOOK}, {@code BARMAN_PHASE}, {@code BARMAN_RETRY}
   * ({@code 1} for a retry script, else {@code 0}) and {@link #variables()}, sorted by name.
   *
   * @return environment variables by name
   */
  public Map<String, String> toEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(HOOK, hook);
    environment.put(PHASE, phase.value());
    environment.put(RETRY, retry() ? "1" : "0");
    environment.putAll(new TreeMap<>(variables));
    return environment;
  }

  /** {@return whether the hook is a retry script ({@code *_retry_script}), which Barman runs until it succeeds} */
  public boolean retry() {
    return hook.endsWith("_retry_script");
  }

  /**
   * The WAL file a {@code barman-cloud-wal-archive} run as a hook archives: {@code BARMAN_FILE} (the segment in
   * Barman's {@code incoming/} directory) for an {@code archive_script} or {@code archive_retry_script} in the
   * {@code pre} phase; empty for every other hook and phase.
   *
   * @return the WAL file to archive, if this is a pre-archive hook that names one
   */
  public Optional<Path> walToArchive() {
    if ((hook.equals("archive_script") || hook.equals("archive_retry_script")) && phase == Phase.PRE) {
      return file();
    }
    return Optional.empty();
  }

  /**
   * The non-empty value of the variable {@code name}.
   *
   * @param name the variable's name, such as {@code BARMAN_BACKUP_ID}
   * @return its value, if set and not empty
   */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  /** {@return the server's name in Barman's configuration ({@code BARMAN_SERVER})} */
  public Optional<String> server() {
    return variable("BARMAN_SERVER");
  }

  /** {@return Barman's main configuration file ({@code BARMAN_CONFIGURATION})} */
  public Optional<Path> configuration() {
    return variable("BARMAN_CONFIGURATION").map(Path::of);
  }

  /** {@return the error of the operation, in the {@code post} phase ({@code BARMAN_ERROR})} */
  public Optional<String> error() {
    return variable("BARMAN_ERROR");
  }

  /** {@return the backup's directory on the Barman server (backup, delete and recovery hooks: {@code BARMAN_BACKUP_DIR})} */
  public Optional<Path> backupDirectory() {
    return variable("BARMAN_BACKUP_DIR").map(Path::of);
  }

  /** {@return the backup's {@code backup.info} file (Barman 3.13.3 and later: {@code BARMAN_BACKUP_INFO_PATH})} */
  public Optional<Path> backupInfoPath() {
    return variable("BARMAN_BACKUP_INFO_PATH").map(Path::of);
  }

  /** {@return the backup's identifier ({@code BARMAN_BACKUP_ID})} */
  public Optional<String> backupId() {
    return variable("BARMAN_BACKUP_ID");
  }

  /** {@return the identifier of the backup before it, if there is one ({@code BARMAN_PREVIOUS_ID})} */
  public Optional<String> previousId() {
    return variable("BARMAN_PREVIOUS_ID");
  }

  /** {@return the identifier of the backup after it, if there is one ({@code BARMAN_NEXT_ID})} */
  public Optional<String> nextId() {
    return variable("BARMAN_NEXT_ID");
  }

  /** {@return the backup's status, such as {@code DONE} or {@code WAITING_FOR_WALS} ({@code BARMAN_STATUS})} */
  public Optional<String> status() {
    return variable("BARMAN_STATUS");
  }

  /** {@return the WAL file's name (archive and WAL-delete hooks: {@code BARMAN_SEGMENT})} */
  public Optional<String> segment() {
    return variable("BARMAN_SEGMENT");
  }

  /** {@return the WAL file's path: in {@code incoming/} before archiving, in {@code wals/} after ({@code BARMAN_FILE})} */
  public Optional<Path> file() {
    return variable("BARMAN_FILE").map(Path::of);
  }

  /** {@return the WAL file's compression, if it is compressed ({@code BARMAN_COMPRESSION})} */
  public Optional<String> compression() {
    return variable("BARMAN_COMPRESSION");
  }

  /** {@return the directory a recovery writes to (recovery hooks: {@code BARMAN_DESTINATION_DIRECTORY})} */
  public Optional<Path> destinationDirectory() {
    return variable("BARMAN_DESTINATION_DIRECTORY").map(Path::of);
  }
}
