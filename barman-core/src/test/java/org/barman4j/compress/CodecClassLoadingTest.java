package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each codec loads only its own library: the cloud tools start a JVM per WAL segment, and loading (or
 * extracting the native code of) unused libraries costs start-up time.
 */
class CodecClassLoadingTest {
  private static final List<String> LIBRARIES = List.of("org.apache.commons.compress.", "org.tukaani.xz.",
      "com.github.luben.zstd.", "net.jpountz.", "org.xerial.snappy.");

  @ParameterizedTest
  @CsvSource({"GZIP, ''", "BZIP2, org.apache.commons.compress.", "XZ, org.tukaani.xz.",
      "ZSTD, com.github.luben.zstd.", "LZ4, net.jpountz.", "SNAPPY, org.xerial.snappy."})
  void aCodecLoadsNoOtherCodecsLibrary(String codec, String ownLibrary) throws Exception {
    try (RecordingClassLoader loader = new RecordingClassLoader()) {
      Class<?> compression = loader.loadClass(Compression.class.getName());
      Class<?> level = loader.loadClass(CompressionLevel.class.getName());
      Object c = compression.getMethod("fromId", String.class).invoke(null, codec.toLowerCase());
      Object medium = level.getField("MEDIUM").get(null);
      Method compress = compression.getMethod("compress", OutputStream.class, level);
      Method decompress = compression.getMethod("decompress", InputStream.class);
      byte[] zstdMagic = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
      compression.getMethod("fromMagic", byte[].class).invoke(null, (Object) zstdMagic);
      compression.getMethod("fromSuffix", String.class).invoke(null, "x.lz4");

      byte[] data = TestData.mixed(50_000, 61);
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream out = (OutputStream) compress.invoke(c, sink, medium)) {
        out.write(data);
      }
      try (InputStream in = (InputStream) decompress.invoke(c, new ByteArrayInputStream(sink.toByteArray()))) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }

      for (String library : LIBRARIES) {
        boolean loaded = loader.loaded.stream().anyMatch(name -> name.startsWith(library));
        assertThat(loaded).as("%s loaded %s", codec, library).isEqualTo(library.equals(ownLibrary));
      }
    }
  }

  /** Loads the test class path itself, child first, recording every class requested from it. */
  private static final class RecordingClassLoader extends URLClassLoader {
    final Set<String> loaded = ConcurrentHashMap.newKeySet();

    RecordingClassLoader() throws MalformedURLException {
      super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      loaded.add(name);
      return super.loadClass(name, resolve);
    }

    private static URL[] classPath() throws MalformedURLException {
      String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
      URL[] urls = new URL[entries.length];
      for (int i = 0; i < entries.length; i++) {
        urls[i] = new File(entries[i]).toURI().toURL();
      }
      return urls;
    }
  }
}
