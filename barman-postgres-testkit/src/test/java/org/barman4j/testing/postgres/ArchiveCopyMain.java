package org.barman4j.testing.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An archive_command body run in a JVM launched by PostgreSQL: copies {@code args[0]} to {@code
 * args[1]}. Loading the JDBC driver proves the JVM could read its jar from the build's
 * repository, which is owned by the user running the tests.
 */
public final class ArchiveCopyMain {
  private ArchiveCopyMain() {}

  public static void main(String[] args) throws Exception {
    Class.forName("org.postgresql.Driver");
    Path target = Path.of(args[1]);
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    Files.copy(Path.of(args[0]), partial, StandardCopyOption.REPLACE_EXISTING);
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
  }
}
