package org.barman4j.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.testing.TestBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplittingTarWriterTest {
  @TempDir Path tmp;

  private final TestUploads uploads = new TestUploads();

  private List<TarArchiveEntry> entries(String key, List<byte[]> contents) throws IOException {
    List<TarArchiveEntry> list = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(uploads.committed.get(key)), "UTF-8")) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        list.add(e);
        contents.add(in.readAllBytes());
      }
    }
    return list;
  }

  @Test
  void membersKeepTheirNamesMetadataAndContent() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("base/1"));
    Path rel = Files.write(dir.resolve("1259"), TestBytes.compressible(100_000, 1));
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.GZIP, CompressionLevel.MEDIUM, 2, 65536, 4, 0)) {
      SplittingTarWriter tar = new SplittingTarWriter(1L << 30, n -> pipeline.open("t" + n, uploads.open("t" + n)));
      tar.add(FileEntry.stat(tmp, ".").orElseThrow());
      tar.add(FileEntry.stat(dir, "base/1").orElseThrow());
      tar.add(FileEntry.stat(rel, "base/1/1259").orElseThrow());
      tar.addBytes("backup_label", "START WAL LOCATION: 0/2000028\n".getBytes(), 0644, 0, 26, 27, "postgres", "postgres");
      assertThat(tar.bytesRead()).isEqualTo(100_000);
      tar.finish();
      pipeline.finish();
    }
    byte[] gz = uploads.committed.get("t0");
    uploads.committed.put("t0", Compression.GZIP.decompress(new ByteArrayInputStream(gz)).readAllBytes());
    List<byte[]> contents = new ArrayList<>();
    List<TarArchiveEntry> list = entries("t0", contents);
    assertThat(list).extracting(TarArchiveEntry::getName)
        .containsExactly("./", "base/1/", "base/1/1259", "backup_label");
    assertThat(list.get(0).isDirectory()).isTrue();
    assertThat(contents.get(2)).isEqualTo(Files.readAllBytes(rel));
    TarArchiveEntry label = list.get(3);
    assertThat(label.getMode()).isEqualTo(0644);
    assertThat(label.getModTime().getTime()).isZero();
    assertThat(label.getLongUserId()).isEqualTo(26);
    assertThat(label.getLongGroupId()).isEqualTo(27);
    assertThat(new String(contents.get(3))).isEqualTo("START WAL LOCATION: 0/2000028\n");
    assertThat(list.get(2).getModTime().getTime() / 1000)
        .isEqualTo(Files.getLastModifiedTime(rel).toMillis() / 1000);
  }

  @Test
  void aFileThatShrankIsPaddedWithZerosAndOneThatVanishedIsSkipped() throws Exception {
    Path shrunk = Files.write(tmp.resolve("shrunk"), new byte[] {1, 2, 3});
    FileEntry announced = new FileEntry(FileEntry.Type.FILE, shrunk, "shrunk", 0600, 10, 0, 0, 0, Optional.empty());
    FileEntry vanished = new FileEntry(FileEntry.Type.FILE, tmp.resolve("gone"), "gone", 0600, 10, 0, 0, 0, Optional.empty());
    Path grown = Files.write(tmp.resolve("grown"), new byte[] {9, 9, 9, 9, 9});
    FileEntry before = new FileEntry(FileEntry.Type.FILE, grown, "grown", 0600, 2, 0, 0, 0, Optional.empty());
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.NONE, CompressionLevel.MEDIUM, 1, 65536, 2, 0)) {
      SplittingTarWriter tar = new SplittingTarWriter(1L << 30, n -> pipeline.open("t", uploads.open("t")));
      assertThat(tar.add(vanished)).isFalse();
      assertThat(tar.add(announced)).isTrue();
      assertThat(tar.add(before)).isTrue();
      tar.finish();
      pipeline.finish();
    }
    List<byte[]> contents = new ArrayList<>();
    assertThat(entries("t", contents)).extracting(TarArchiveEntry::getName).containsExactly("shrunk", "grown");
    assertThat(contents.get(0)).containsExactly(1, 2, 3, 0, 0, 0, 0, 0, 0, 0);
    assertThat(contents.get(1)).containsExactly(9, 9);
  }

  @Test
  void aNewPartStartsBeforeTheFirstMemberOnceThePartExceedsTheLimit() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      files.add(Files.write(tmp.resolve("f" + i), TestBytes.random(30_000, i)));
    }
    long max = 70_000;
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.NONE, CompressionLevel.MEDIUM, 1, 65536, 2, 0)) {
      SplittingTarWriter tar = new SplittingTarWriter(max, n -> pipeline.open("p" + n, uploads.open("p" + n)));
      for (int i = 0; i < files.size(); i++) {
        tar.add(FileEntry.stat(files.get(i), "f" + i).orElseThrow());
      }
      assertThat(tar.parts()).isEqualTo(4);
      tar.finish();
      pipeline.finish();
    }
    assertThat(uploads.committedKeys()).containsExactly("p0", "p1", "p2", "p3");
    List<String> all = new ArrayList<>();
    for (String key : uploads.committedKeys()) {
      List<byte[]> contents = new ArrayList<>();
      List<TarArchiveEntry> list = entries(key, contents);
      for (int i = 0; i < list.size(); i++) {
        int n = Integer.parseInt(list.get(i).getName().substring(1));
        assertThat(contents.get(i)).isEqualTo(Files.readAllBytes(files.get(n)));
        all.add(list.get(i).getName());
      }
      // a part holds whole members only, and closes at the first member after it passed the limit
      assertThat(list.size()).isBetween(1, 3);
    }
    assertThat(all).containsExactly("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9");
  }

  @Test
  void aTarWithoutMembersStoresNothing() throws Exception {
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.NONE, CompressionLevel.MEDIUM, 1, 65536, 2, 0)) {
      SplittingTarWriter tar = new SplittingTarWriter(100, n -> pipeline.open("p", uploads.open("p")));
      assertThat(tar.parts()).isZero();
      tar.finish();
      assertThat(pipeline.finish()).isEmpty();
    }
    assertThat(uploads.committed).isEmpty();
  }

  @Test
  void longAndNonAsciiNamesUsePaxHeaders() throws Exception {
    String longName = "base/16384/" + "x".repeat(150);
    Path f = Files.write(tmp.resolve("f"), new byte[] {1});
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.NONE, CompressionLevel.MEDIUM, 1, 65536, 2, 0)) {
      SplittingTarWriter tar = new SplittingTarWriter(1L << 30, n -> pipeline.open("p", uploads.open("p")));
      tar.add(FileEntry.stat(f, longName).orElseThrow());
      tar.add(FileEntry.stat(f, "base/é").orElseThrow());
      tar.finish();
      pipeline.finish();
    }
    byte[] raw = uploads.committed.get("p");
    assertThat(raw[156]).as("type flag of the first header: PAX extended header").isEqualTo((byte) 'x');
    assertThat(entries("p", new ArrayList<>())).extracting(TarArchiveEntry::getName).containsExactly(longName, "base/é");
  }
}
