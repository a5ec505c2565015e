package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlogDbTest {

  @TempDir Path home;

  @Test
  void appendedEntriesAreReadBackInOrder() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    XlogDb db = new XlogDb(d);
    assertThat(db.read()).isEmpty();
    XlogDbEntry first = new XlogDbEntry("000000010000000000000002", 16463, 1796296067.413091, "gzip");
    XlogDbEntry second = new XlogDbEntry("00000002.history", 42, 1796296068.5, "");
    db.append(List.of(first));
    db.append(List.of(second));
    assertThat(db.read()).containsExactly(first, second);
    assertThat(Files.readString(d.xlogDb())).isEqualTo(first.toLine() + second.toLine());
    assertThat(Files.readString(d.xlogDbLock()).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
  }

  @Test
  void readsTheRelocatedCatalogueOfNewerBarman() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Files.createDirectories(d.wals());
    Files.writeString(d.wals().resolve("pg-xlog.db"), "000000010000000000000002\t100\t1796296067.5\tNone\tNone\n");
    assertThat(new XlogDb(d).read())
        .containsExactly(new XlogDbEntry("000000010000000000000002", 100, 1796296067.5, ""));
  }

  @Test
  void aBadLineIsNamedWithItsNumber() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Files.createDirectories(d.wals());
    Files.writeString(d.xlogDb(), "000000010000000000000002\t100\t1796296067.5\tNone\ngarbage\n");
    assertThatThrownBy(() -> new XlogDb(d).read()).hasMessageContaining("xlog.db line 2");
  }

  @Test
  void rebuildDetectsCompressionByContentAndSkipsWhatBarmanSkips() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    byte[] wal = "a WAL segment".getBytes(StandardCharsets.UTF_8);
    String[] names = {"000000010000000000000001", "000000010000000000000002", "000000010000000000000003",
        "000000010000000000000004", "000000010000000000000005", "000000010000000000000006"};
    Compression[] codecs = {Compression.GZIP, Compression.BZIP2, Compression.XZ, Compression.ZSTD,
        Compression.LZ4, Compression.SNAPPY};
    for (int i = 0; i < names.length; i++) {
      store(d, names[i], compress(codecs[i], wal));
    }
    store(d, "000000010000000000000007", wal);
    store(d, "000000010000000000000001.00000028.backup", compress(Compression.GZIP, wal));
    store(d, "00000002.history", wal);
    store(d, "000000020000000000000008.partial", wal);
    Files.writeString(d.wals().resolve("0000000100000000/000000010000000000000009.tmp"), "x");
    Files.writeString(d.wals().resolve("notes.txt"), "x");
    Files.writeString(d.xlogDb(), "stale\n");

    List<XlogDbEntry> rebuilt = new XlogDb(d).rebuild();

    assertThat(rebuilt).extracting(XlogDbEntry::name).containsExactly(
        "000000010000000000000001", "000000010000000000000001.00000028.backup", "000000010000000000000002",
        "000000010000000000000003", "000000010000000000000004", "000000010000000000000005",
        "000000010000000000000006", "000000010000000000000007", "00000002.history");
    assertThat(rebuilt).extracting(XlogDbEntry::compression)
        .containsExactly("gzip", "gzip", "bzip2", "xz", "zstd", "lz4", "snappy", "", "");
    assertThat(rebuilt.get(0).size()).isEqualTo(Files.size(d.walFile(WalFileName.parse(names[0]))));
    assertThat(rebuilt.get(0).time()).isEqualTo(1796296067.25);
    assertThat(new XlogDb(d).read()).isEqualTo(rebuilt);
    try (var files = Files.list(d.wals())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  static void store(ServerDirectories d, String name, byte[] content) throws Exception {
    Path file = d.walFile(WalFileName.parse(name));
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1796296067, 250_000_000)));
  }

  static byte[] compress(Compression codec, byte[] data) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = codec.compress(bytes, CompressionLevel.MEDIUM)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }
}
