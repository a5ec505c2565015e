package org.barman4j.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds {@code pg_basebackup} as Barman does — each directory of {@code path_prefix}, then of {@code PATH},
 * keeping the first program that answers {@code --version} (Debian installs wrappers that fail when no
 * matching version is installed) — and then, beyond Barman, in the installed PostgreSQL versions
 * ({@code /usr/lib/postgresql/VERSION/bin}, newest first). The first program at least as new as the
 * server is chosen.
 */
public final class PgBaseBackupLocator {

  /** Where Debian and Ubuntu install each PostgreSQL version's programs, in {@code VERSION/bin}. */
  public static final Path INSTALLED_VERSIONS = Path.of("/usr/lib/postgresql");

  /** The program's name. */
  public static final String PROGRAM = "pg_basebackup";

  /**
   * A {@code pg_basebackup} that answered {@code --version}.
   *
   * @param path the executable
   * @param version what it reported
   */
  public record Program(Path path, PgClientVersion version) {
    /**
     * Checks the components.
     *
     * @param path the executable
     * @param version its version
     */
    public Program {
      Objects.requireNonNull(path, "path is null");
      Objects.requireNonNull(version, "version is null");
    }
  }

  /**
   * What the search found.
   *
   * @param chosen the first program at least as new as the server, if any
   * @param found every working program met, in search order (up to the chosen one)
   * @param searched the directories searched
   */
  public record Result(Optional<Program> chosen, List<Program> found, List<Path> searched) {
    /**
     * Copies the lists.
     *
     * @param chosen the chosen program
     * @param found the working programs met
     * @param searched the directories searched
     */
    public Result {
      Objects.requireNonNull(chosen, "chosen is null");
      found = List.copyOf(found);
      searched = List.copyOf(searched);
    }
  }

  private PgBaseBackupLocator() {}

  /**
   * {@return the directories to search, in order, without repeats}
   *
   * @param pathPrefix {@code path_prefix}
   * @param pathVariable the {@code PATH} environment variable (empty when unset)
   * @param installedVersions the directory holding one directory per installed PostgreSQL version
   */
  public static List<Path> searchDirectories(List<Path> pathPrefix, String pathVariable, Path installedVersions) {
    LinkedHashSet<Path> dirs = new LinkedHashSet<>(pathPrefix);
    for (String entry : pathVariable.split(":")) {
      if (!entry.isBlank()) {
        dirs.add(Path.of(entry));
      }
    }
    dirs.addAll(installedBinDirectories(installedVersions));
    return List.copyOf(dirs);
  }

  /**
   * {@return {@code root/VERSION/bin} for every installed version, newest first}
   *
   * @param root e.g. {@link #INSTALLED_VERSIONS}
   */
  static List<Path> installedBinDirectories(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> versions;
    try (Stream<Path> children = Files.list(root)) {
      versions = children.filter(p -> PgClientVersion.parse("v " + p.getFileName()).isPresent()).toList();
    } catch (IOException e) {
      return List.of();
    }
    List<Path> sorted = new ArrayList<>(versions);
    sorted.sort(Comparator.comparingInt((Path p) -> PgClientVersion.parse("v " + p.getFileName()).orElseThrow().major())
        .reversed());
    return sorted.stream().map(p -> p.resolve("bin")).toList();
  }

  /**
   * Searches {@code directories} in order for a {@code pg_basebackup} that can copy a server of version
   * {@code serverVersionNum}.
   *
   * @param directories where to look
   * @param serverVersionNum the server's {@code server_version_num}
   * @return the program chosen, if any, and what was met on the way
   */
  public static Result locate(List<Path> directories, int serverVersionNum) {
    List<Program> found = new ArrayList<>();
    for (Path dir : directories) {
      Optional<Program> program = probe(dir.resolve(PROGRAM));
      if (program.isPresent()) {
        found.add(program.get());
        if (program.get().version().canBackUp(serverVersionNum)) {
          return new Result(program, found, directories);
        }
      }
    }
    return new Result(Optional.empty(), found, directories);
  }

  /**
   * Runs {@code executable --version}.
   *
   * @param executable the candidate
   * @return the program, if it is an executable file that exits 0 and prints a version
   */
  public static Optional<Program> probe(Path executable) {
    if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
      return Optional.empty();
    }
    try {
      Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      byte[] out = process.getInputStream().readNBytes(4096);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      if (process.exitValue() != 0) {
        return Optional.empty();
      }
      return PgClientVersion.parse(new String(out, StandardCharsets.UTF_8)).map(v -> new Program(executable, v));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
