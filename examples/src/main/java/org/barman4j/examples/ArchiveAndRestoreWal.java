package org.barman4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.barman4j.Barman;
import org.barman4j.BarmanException;
import org.barman4j.compress.Compression;
import org.barman4j.recovery.RecoveryConfig;
import org.barman4j.wal.WalArchive;
import org.barman4j.wal.WalArchive.ArchiveOptions;
import org.barman4j.wal.WalNotFoundException;

/**
 * Recipe: archive a WAL segment and restore it. The {@code main} is also an application's own
 * {@code archive_command} and {@code restore_command}, with no {@code barman-cloud-*} tools installed:
 *
 * <pre>
 * archive_command = 'java @CLASSPATH_FILE org.barman4j.examples.ArchiveAndRestoreWal archive URL SERVER %f %p'
 * restore_command = 'java @CLASSPATH_FILE org.barman4j.examples.ArchiveAndRestoreWal restore URL SERVER %f %p'
 * </pre>
 *
 * {@link #archiveCommand} and {@link #restoreCommand} write these lines for the running application, whose
 * class path {@link #writeClassPathFile} puts in {@code CLASSPATH_FILE}. Archiving reads {@code %p} ({@code %f}
 * is its file name). Exit codes: 0 done; 1 the WAL file is not archived (PostgreSQL then ends recovery);
 * 2 anything else, with one line on stderr.
 */
public final class ArchiveAndRestoreWal {
  private ArchiveAndRestoreWal() {}

  /**
   * Archives one WAL file, compressed with zstd. Archiving a file already stored with the same content
   * succeeds again, as PostgreSQL expects when it retries.
   *
   * @param barman the server's archive
   * @param walFile the file PostgreSQL completed ({@code %p})
   * @return what was stored
   */
  public static WalArchive.ArchiveResult archive(Barman barman, Path walFile) {
    return barman.wal().archive(walFile, ArchiveOptions.DEFAULT.withCompression(Compression.ZSTD));
  }

  /**
   * Restores one WAL file, checked and written atomically.
   *
   * @param barman the server's archive
   * @param walName the name PostgreSQL asks for ({@code %f})
   * @param destination where PostgreSQL wants it ({@code %p})
   * @return what was restored
   * @throws WalNotFoundException if it is not archived
   */
  public static WalArchive.RestoreResult restore(Barman barman, String walName, Path destination) {
    return barman.wal().restore(walName, destination, WalArchive.PartialSegments.REFUSED);
  }

  /**
   * Writes this JVM's class path into a java {@code @}-file, for {@link #archiveCommand} and
   * {@link #restoreCommand}: PostgreSQL 15 cuts an {@code archive_command} at 1023 bytes, and an application's
   * class path is usually longer.
   *
   * @param file the file to write, outside the data directory
   * @return {@code file}
   * @throws IOException if it cannot be written
   */
  public static Path writeClassPathFile(Path file) throws IOException {
    String classPath = System.getProperty("java.class.path").replace("\\", "\\\\").replace("\"", "\\\"");
    return Files.writeString(file, "-cp \"" + classPath + "\"\n");
  }

  /**
   * {@return an {@code archive_command} running this class with this JVM}
   *
   * @param classPathFile the class path, written by {@link #writeClassPathFile}
   * @param url the storage location
   * @param serverName the server's name in it
   */
  public static String archiveCommand(Path classPathFile, String url, String serverName) {
    return command(classPathFile, "archive", url, serverName);
  }

  /**
   * {@return a {@code restore_command} running this class with this JVM}
   *
   * @param classPathFile the class path, written by {@link #writeClassPathFile}
   * @param url the storage location
   * @param serverName the server's name in it
   */
  public static String restoreCommand(Path classPathFile, String url, String serverName) {
    return command(classPathFile, "restore", url, serverName);
  }

  private static String command(Path classPathFile, String action, String url, String serverName) {
    // RecoveryConfig quotes each argument for the shell and ends the line with "%f %p".
    return RecoveryConfig.restoreCommand(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + classPathFile.toAbsolutePath(), ArchiveAndRestoreWal.class.getName(), action, url, serverName));
  }

  /**
   * Runs {@code archive URL SERVER NAME PATH} or {@code restore URL SERVER NAME PATH}.
   *
   * @param args the command line
   * @param err where a failure is reported
   * @return the exit code
   */
  public static int run(String[] args, PrintStream err) {
    if (args.length != 5 || !List.of("archive", "restore").contains(args[0])) {
      err.println("usage: ArchiveAndRestoreWal archive|restore URL SERVER %f %p");
      return 2;
    }
    try (Barman barman = Barman.builder().url(args[1]).serverName(args[2]).build()) {
      if (args[0].equals("archive")) {
        archive(barman, Path.of(args[4]));
      } else {
        restore(barman, args[3], Path.of(args[4]));
      }
      return 0;
    } catch (WalNotFoundException e) {
      return 1;
    } catch (BarmanException | IllegalArgumentException | UncheckedIOException e) {
      err.println("ERROR: " + e.getMessage());
      return 2;
    }
  }

  /**
   * Runs as {@link #run} does and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }
}
