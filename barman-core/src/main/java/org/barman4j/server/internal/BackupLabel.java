package org.barman4j.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.barman4j.compress.Compression;
import org.barman4j.wal.Lsn;

/**
 * What Barman reads from the {@code backup_label} a {@code pg_basebackup} copy holds.
 *
 * @param text the file's content
 * @param startLocation {@code START WAL LOCATION}
 * @param startWal the segment named after it ({@code (file …)})
 * @param startTime {@code START TIME}, as written
 */
public record BackupLabel(String text, Lsn startLocation, String startWal, String startTime) {

  private static final Pattern WAL = Pattern.compile("^START WAL LOCATION: (.*) \\(file (.*)\\)", Pattern.MULTILINE);
  private static final Pattern TIME = Pattern.compile("^START TIME: (.*)", Pattern.MULTILINE);

  /**
   * Checks the components.
   *
   * @param text the content
   * @param startLocation the start location
   * @param startWal the start segment
   * @param startTime the start time text
   */
  public BackupLabel {
    Objects.requireNonNull(text, "text is null");
    Objects.requireNonNull(startLocation, "startLocation is null");
    Objects.requireNonNull(startWal, "startWal is null");
    Objects.requireNonNull(startTime, "startTime is null");
  }

  /**
   * Parses a {@code backup_label}.
   *
   * @param text the content
   * @param backupId the backup, for the message
   * @return the label
   * @throws IllegalArgumentException {@code Failure parsing backup_label for backup ID}, as Barman says it
   */
  public static BackupLabel parse(String text, String backupId) {
    Matcher wal = WAL.matcher(text);
    Matcher time = TIME.matcher(text);
    if (!wal.find() || !time.find()) {
      throw new IllegalArgumentException("Failure parsing backup_label for backup " + backupId);
    }
    try {
      return new BackupLabel(text, Lsn.parse(wal.group(1).strip()), wal.group(2).strip(), time.group(1).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Failure parsing backup_label for backup " + backupId, e);
    }
  }

  /**
   * Reads {@code backup_label} out of {@code base.tar.*}, the main tar of a compressed copy.
   *
   * @param tar the tar file
   * @param compression how it is compressed
   * @return the file's content
   * @throws IOException if the tar cannot be read or holds no {@code backup_label}
   */
  public static String readFromTar(Path tar, Compression compression) throws IOException {
    try (InputStream raw = Files.newInputStream(tar);
        InputStream in = compression.decompress(raw);
        TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = entries.getNextTarEntry()) != null) {
        String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        if (name.equals("backup_label") && entry.isFile()) {
          return new String(entries.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new IOException("Could not find backup_label in " + tar);
  }
}
