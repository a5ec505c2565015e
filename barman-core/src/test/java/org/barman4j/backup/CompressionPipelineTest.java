package org.barman4j.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.testing.TestBytes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompressionPipelineTest {
  private static final int CHUNK = 64 * 1024;

  @TempDir Path tmp;

  private static Map<String, byte[]> inputs() {
    Map<String, byte[]> in = new LinkedHashMap<>();
    in.put("empty", new byte[0]);
    in.put("one-byte", new byte[] {42});
    in.put("one-chunk", TestBytes.compressible(CHUNK, 1));
    in.put("many-chunks", TestBytes.compressible(1_000_003, 2));
    in.put("incompressible", TestBytes.random(300_001, 3));
    return in;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyObjectDecompressesToExactlyWhatWasWrittenWithChunksInOrder(Compression compression) throws Exception {
    TestUploads uploads = new TestUploads();
    Map<String, byte[]> in = inputs();
    List<CompressionPipeline.PartResult> results;
    try (CompressionPipeline pipeline = new CompressionPipeline(compression, CompressionLevel.MEDIUM, 3, CHUNK, 6, 0)) {
      for (Map.Entry<String, byte[]> e : in.entrySet()) {
        try (OutputStream out = pipeline.open(e.getKey(), uploads.open(e.getKey()))) {
          // odd-sized writes so that chunk boundaries fall anywhere
          byte[] b = e.getValue();
          for (int off = 0; off < b.length; off += 7777) {
            out.write(b, off, Math.min(7777, b.length - off));
          }
        }
      }
      results = pipeline.finish();
    }
    assertThat(uploads.committedKeys()).containsExactlyInAnyOrderElementsOf(in.keySet());
    assertThat(uploads.open.get()).isZero();
    for (Map.Entry<String, byte[]> e : in.entrySet()) {
      byte[] stored = uploads.committed.get(e.getKey());
      try (InputStream decoded = compression.decompress(new ByteArrayInputStream(stored))) {
        assertThat(decoded.readAllBytes()).as("%s with %s", e.getKey(), compression).isEqualTo(e.getValue());
      }
    }
    assertThat(results).extracting(CompressionPipeline.PartResult::name).containsExactlyElementsOf(in.keySet());
    for (CompressionPipeline.PartResult r : results) {
      assertThat(r.uncompressedBytes()).isEqualTo(in.get(r.name()).length);
      assertThat(r.storedBytes()).isEqualTo(uploads.committed.get(r.name()).length);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "ZSTD", "LZ4"})
  void theCommandLineToolsDecodeTheChunkedStreams(Compression compression) throws Exception {
    String tool = switch (compression) {
      case GZIP -> "gzip";
      case BZIP2 -> "bzip2";
      case ZSTD -> "zstd";
      default -> "lz4";
    };
    Assumptions.assumeTrue(onPath(tool), tool + " is not installed");
    byte[] data = TestBytes.compressible(700_000, 9);
    TestUploads uploads = new TestUploads();
    try (CompressionPipeline pipeline = new CompressionPipeline(compression, CompressionLevel.MEDIUM, 2, CHUNK, 4, 0)) {
      try (OutputStream out = pipeline.open("x", uploads.open("x"))) {
        out.write(data);
      }
      pipeline.finish();
    }
    Path file = tmp.resolve("x" + compression.suffix());
    Files.write(file, uploads.committed.get("x"));
    Process p = new ProcessBuilder(tool, "-d", "-c", file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] decoded = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThat(decoded).isEqualTo(data);
  }

  @Test
  void gzipOutputIsASingleMemberThatPythonsStreamingTarReaderAccepts() throws Exception {
    Assumptions.assumeTrue(onPath("python3"), "python3 is not installed");
    byte[] data = TestBytes.compressible(500_000, 5);
    TestUploads uploads = new TestUploads();
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.GZIP, CompressionLevel.MEDIUM, 2, CHUNK, 4, 0)) {
      try (OutputStream out = pipeline.open("x", uploads.open("x"))) {
        out.write(data);
      }
      pipeline.finish();
    }
    Path file = tmp.resolve("x.gz");
    Files.write(file, uploads.committed.get("x"));
    // Python's gzip module stops after one member when read as a raw zlib stream, like tarfile's r|gz.
    Process p = new ProcessBuilder("python3", "-c",
        "import sys,zlib\n"
            + "d=open(sys.argv[1],'rb').read()\n"
            + "z=zlib.decompressobj(16+zlib.MAX_WBITS)\n"
            + "out=z.decompress(d)\n"
            + "assert z.eof and z.unused_data==b'', 'more than one member'\n"
            + "sys.stdout.write(str(len(out)))\n",
        file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo(Integer.toString(data.length));
  }

  @Test
  void memoryStaysBoundedWhenStorageIsSlowerThanTheProducer() throws Exception {
    TestUploads uploads = new TestUploads();
    uploads.writeDelayMillis = 3;
    byte[] block = TestBytes.random(CHUNK, 11);
    long written = 0;
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.ZSTD, CompressionLevel.LOW, 2, CHUNK, 4, 0)) {
      for (int part = 0; part < 3; part++) {
        try (OutputStream out = pipeline.open("part" + part, uploads.open("part" + part))) {
          for (int i = 0; i < 100; i++) {
            out.write(block);
            written += block.length;
          }
        }
      }
      pipeline.finish();
      assertThat(pipeline.peakChunksInFlight()).isLessThanOrEqualTo(5);
      assertThat(pipeline.peakAllocatedBytes())
          .isLessThanOrEqualTo(pipeline.memoryBound())
          .isLessThan(written / 10);
    }
    assertThat(uploads.committed).hasSize(3);
  }

  @Test
  void aFailedWriteDiscardsEveryUploadNotCommittedAndReachesTheProducer() throws Exception {
    TestUploads uploads = new TestUploads();
    uploads.failWritesOf = "b";
    byte[] data = TestBytes.random(500_000, 4);
    CompressionPipeline pipeline = new CompressionPipeline(Compression.GZIP, CompressionLevel.LOW, 2, CHUNK, 4, 0);
    List<String> opened = new ArrayList<>();
    assertThatThrownBy(() -> {
      for (String name : new String[] {"a", "b", "c", "d"}) {
        opened.add(name);
        try (OutputStream out = pipeline.open(name, uploads.open(name))) {
          for (int i = 0; i < 10; i++) {
            out.write(data);
          }
        }
      }
      pipeline.finish();
    }).isInstanceOf(IOException.class).hasMessageContaining("injected write failure on b");
    pipeline.abort(new IOException("producer gave up"));
    pipeline.close();
    assertThat(uploads.committed.keySet()).doesNotContain("b", "c", "d");
    assertThat(uploads.open.get()).as("uploads left open").isZero();
    assertThat(opened).doesNotContain("d");
  }

  @Test
  void aFailedCommitIsReportedByFinishAndLeavesNothingVisible() {
    TestUploads uploads = new TestUploads();
    uploads.failCommitOf = "a";
    CompressionPipeline pipeline = new CompressionPipeline(Compression.NONE, CompressionLevel.MEDIUM, 1, CHUNK, 2, 0);
    assertThatThrownBy(() -> {
      try (OutputStream out = pipeline.open("a", uploads.open("a"))) {
        out.write(TestBytes.random(200_000, 1));
      }
      pipeline.finish();
    }).isInstanceOf(IOException.class).hasMessageContaining("injected commit failure on a");
    pipeline.close();
    assertThat(uploads.committed).isEmpty();
    assertThat(uploads.open.get()).isZero();
  }

  @Test
  void abortByTheProducerDiscardsUploadsInProgressAndKeepsThoseCommitted() throws Exception {
    TestUploads uploads = new TestUploads();
    CompressionPipeline pipeline = new CompressionPipeline(Compression.LZ4, CompressionLevel.MEDIUM, 2, CHUNK, 4, 0);
    try (OutputStream out = pipeline.open("done", uploads.open("done"))) {
      out.write(TestBytes.compressible(100_000, 1));
    }
    OutputStream unfinished = pipeline.open("unfinished", uploads.open("unfinished"));
    unfinished.write(TestBytes.compressible(1_000_000, 2));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!uploads.committed.containsKey("done") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    pipeline.abort(new IOException("file read failed"));
    pipeline.close();
    assertThat(uploads.committedKeys()).containsExactly("done");
    assertThat(uploads.open.get()).isZero();
    assertThatThrownBy(() -> unfinished.write(1)).isInstanceOf(IOException.class).hasMessageContaining("file read failed");
  }

  @Test
  void theSizeEstimateStaysExactWhileTheWriterStoresChunks() throws Exception {
    // The writer moves each chunk's bytes from pending to stored while the producer reads the estimate: a read
    // between the two steps counted a chunk twice (or not at all).
    TestUploads uploads = new TestUploads();
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.NONE, CompressionLevel.MEDIUM, 1, CHUNK, 8, 0)) {
      CompressionPipeline.PartStream out = pipeline.open("a", uploads.open("a"));
      byte[] piece = new byte[CHUNK / 4 + 1];
      long written = 0;
      for (int i = 0; i < 4000; i++) {
        out.write(piece);
        written += piece.length;
        for (int j = 0; j < 20; j++) {
          assertThat(out.estimatedSize()).isEqualTo(written);
        }
      }
      out.close();
      pipeline.finish();
    }
  }

  @Test
  void theSizeEstimateIsExactWithoutCompression() throws Exception {
    TestUploads uploads = new TestUploads();
    try (CompressionPipeline pipeline = new CompressionPipeline(Compression.NONE, CompressionLevel.MEDIUM, 1, CHUNK, 2, 0)) {
      CompressionPipeline.PartStream out = pipeline.open("a", uploads.open("a"));
      out.write(new byte[300_000]);
      assertThat(out.estimatedSize()).isEqualTo(300_000);
      out.close();
      pipeline.finish();
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
