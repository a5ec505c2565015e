import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;

/**
 * Stores the tars of {@code pg_basebackup -Ft} as a barman-cloud backup: {@code base.tar} becomes
 * {@code data.tar[.SUFFIX]}, {@code OID.tar} stays, each split like {@code barman-cloud-backup -S}
 * (a new part once the compressed bytes passed PART_BYTES, checked before each member; 0: no split),
 * plus a DONE backup.info. Run with the distribution's jars:
 *
 * <pre>java -cp 'barman4j/lib/*' bench/BenchBackup.java TAR_DIR STORE_ROOT SERVER BACKUP_ID none|gzip|zstd|... PART_BYTES VERSION</pre>
 */
public class BenchBackup {
  public static void main(String[] args) throws IOException {
    Path tars = Path.of(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1], args[2], "base", args[3]));
    Compression compression = Compression.fromId(args[4]);
    long partBytes = Long.parseLong(args[5]) <= 0 ? Long.MAX_VALUE : Long.parseLong(args[5]);
    int parts = 0;
    try (Stream<Path> list = Files.list(tars)) {
      for (Path tar : list.filter(p -> p.toString().endsWith(".tar")).toList()) {
        String name = tar.getFileName().toString().replace(".tar", "");
        parts += split(tar, dir, name.equals("base") ? "data" : name, compression, partBytes);
      }
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    BackupInfo info = BackupInfo.builder(BackupId.parse(args[3])).status(BackupStatus.DONE)
        .version(Integer.parseInt(args[6])).timeline(1).beginTime(now).endTime(now).tablespaces(List.of()).build();
    Files.writeString(dir.resolve("backup.info"), BackupInfoFormat.write(info));
    System.out.println(parts);
  }

  private static int split(Path tar, Path dir, String name, Compression compression, long partBytes) throws IOException {
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream tin = new TarArchiveInputStream(in)) {
      int part = 0;
      Counter counter = new Counter(Files.newOutputStream(dir.resolve(key(name, part, compression))));
      TarArchiveOutputStream out = open(counter, compression);
      TarArchiveEntry entry;
      while ((entry = tin.getNextEntry()) != null) {
        if (counter.count > partBytes) {
          out.close();
          counter = new Counter(Files.newOutputStream(dir.resolve(key(name, ++part, compression))));
          out = open(counter, compression);
        }
        out.putArchiveEntry(entry);
        tin.transferTo(out);
        out.closeArchiveEntry();
      }
      out.close();
      return part + 1;
    }
  }

  private static String key(String name, int part, Compression compression) {
    return name + (part == 0 ? "" : String.format("_%04d", part)) + ".tar" + compression.suffix();
  }

  private static TarArchiveOutputStream open(OutputStream out, Compression compression) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(compression.compress(out, CompressionLevel.MEDIUM));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  private static final class Counter extends FilterOutputStream {
    long count;

    Counter(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }
  }
}
