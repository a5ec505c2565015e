package org.barman4j.storage.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.NoSuchStoreException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.Upload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileStorageBackendTest {
  private static final String SEGMENT = "srv/wals/0000000100000000/000000010000000000000001";

  @TempDir
  Path temp;

  private Path root() {
    return temp.resolve("store");
  }

  private FileStorageBackend backend() {
    return new FileStorageBackend(root());
  }

  @Test
  void objectsAreFilesAtTheKeysPath() throws IOException {
    backend().put(SEGMENT, bytes("wal"), PutOptions.ifAbsent());
    assertThat(root().resolve(SEGMENT)).isRegularFile().hasBinaryContent(bytes("wal"));
  }

  @Test
  void interruptedUploadIsInvisibleAndClosingRemovesItsTemporaryFile() throws IOException {
    FileStorageBackend backend = backend();
    Upload upload = backend.openUpload(SEGMENT, PutOptions.ifAbsent());
    upload.stream().write(new byte[200_000]);
    upload.stream().flush();
    assertThat(incomingFiles()).singleElement().satisfies(file -> {
      assertThat(file.getFileName().toString()).matches("[0-9a-f]+\\.tmp");
      assertThat(file).hasSize(200_000);
    });
    assertThat(backend.stat(SEGMENT)).isEmpty();
    assertThat(keys(backend, "")).isEmpty();
    upload.close();
    assertThat(incomingFiles()).isEmpty();
    assertThat(backend.stat(SEGMENT)).isEmpty();
    assertThat(root().resolve("srv")).doesNotExist();
  }

  @Test
  void uploadLeftByACrashIsNeverListedAndDoesNotBlockTheKey() throws IOException {
    FileStorageBackend backend = backend();
    backend.put("srv/backup.info", bytes("info"), PutOptions.DEFAULT);
    // What a process killed in the middle of an upload leaves behind.
    Files.write(root().resolve(FileStorageBackend.INCOMING).resolve("4242-crashed.tmp"), bytes("partial"));
    assertThat(keys(backend, "")).containsExactly("srv/backup.info");
    assertThat(keys(backend, ".")).isEmpty();
    assertThat(keys(backend, ".inc")).isEmpty();
    ListPage top = backend.list("", ListOptions.DEFAULT.withDelimiter());
    assertThat(top.commonPrefixes()).containsExactly("srv/");
    assertThat(top.objects()).isEmpty();
    backend.put(SEGMENT, bytes("wal"), PutOptions.ifAbsent());
    assertThat(keys(backend, "")).containsExactly("srv/backup.info", SEGMENT);
  }

  @Test
  void keysUnderTheIncomingDirectoryAreReserved() throws IOException {
    FileStorageBackend backend = backend();
    for (String key : List.of(".incoming", ".incoming/x", ".incoming/a/b")) {
      assertThatThrownBy(() -> backend.put(key, bytes("x"), PutOptions.DEFAULT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("reserved");
      assertThatThrownBy(() -> backend.stat(key)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(keys(backend, ".incoming/")).isEmpty();
    for (String key : List.of(".incomingx", "a/.incoming/b", ".hidden")) {
      backend.put(key, bytes(key), PutOptions.DEFAULT);
    }
    assertThat(keys(backend, "")).containsExactly(".hidden", ".incomingx", "a/.incoming/b");
  }

  @Test
  void keysCannotEscapeTheRoot() throws IOException {
    FileStorageBackend backend = backend();
    Path outside = temp.resolve("outside");
    for (String key : List.of("../outside", "a/../../outside", "/" + outside, "a/./../outside")) {
      assertThatThrownBy(() -> backend.put(key, bytes("x"), PutOptions.DEFAULT))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> backend.delete(key)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(outside).doesNotExist();
    assertThatThrownBy(() -> backend.list("../", ListOptions.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void symbolicLinksInsideTheRootAreFollowed() throws IOException {
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    Files.createDirectories(root());
    Files.createSymbolicLink(root().resolve("linked"), elsewhere);
    FileStorageBackend backend = backend();
    backend.put("linked/x", bytes("x"), PutOptions.ifAbsent());
    assertThat(elsewhere.resolve("x")).hasBinaryContent(bytes("x"));
    assertThat(keys(backend, "")).containsExactly("linked/x");
    backend.delete("linked/x");
    assertThat(root().resolve("linked")).as("an operator's link is kept").isSymbolicLink();
  }

  @Test
  @Timeout(10)
  void symbolicLinkCyclesDoNotTrapListings() throws IOException {
    FileStorageBackend backend = backend();
    backend.put("a/x", bytes("x"), PutOptions.DEFAULT);
    Files.createSymbolicLink(root().resolve("a/loop"), root().resolve("a"));
    Files.createSymbolicLink(root().resolve("a/self"), root().resolve("a/self"));
    assertThat(keys(backend, "")).containsExactly("a/x");
    assertThat(backend.list("", ListOptions.DEFAULT.withDelimiter()).commonPrefixes()).containsExactly("a/");
  }

  @Test
  void rootIsCreatedByTheFirstWriteNotByOpening() throws IOException {
    FileStorageBackend backend = backend();
    backend.check();
    assertThat(backend.stat(SEGMENT)).isEmpty();
    assertThat(keys(backend, "")).isEmpty();
    assertThat(backend.list("srv/", ListOptions.DEFAULT.withDelimiter()).commonPrefixes()).isEmpty();
    assertThatThrownBy(() -> backend.read(SEGMENT, ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
    backend.delete(SEGMENT);
    assertThat(root()).doesNotExist();
    backend.put(SEGMENT, bytes("wal"), PutOptions.ifAbsent());
    assertThat(root()).isDirectory();
  }

  @Test
  void checkPassesOnAMissingRootWhoseAncestorIsWritable() throws IOException {
    new FileStorageBackend(temp.resolve("a/b/c")).check();
  }

  @Test
  void checkFailsOnARootUnderAFile() throws IOException {
    Path file = Files.write(temp.resolve("file"), bytes("x"));
    Path root = file.resolve("sub/store");
    assertThatThrownBy(() -> new FileStorageBackend(root).check())
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining(root.toString())
        .hasMessageContaining(file.toString());
  }

  @Test
  void checkFailsWhenTheRootIsAFile() throws IOException {
    Path file = Files.write(temp.resolve("file"), bytes("x"));
    assertThatThrownBy(() -> new FileStorageBackend(file).check())
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void readsOfARootThatIsAFileFindNothing() throws IOException {
    Path file = Files.write(temp.resolve("file"), bytes("x"));
    FileStorageBackend backend = new FileStorageBackend(file);
    assertThat(backend.stat("a/b")).isEmpty();
    assertThat(keys(backend, "a/")).isEmpty();
    assertThatThrownBy(() -> backend.read("a/b", ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
  }

  @Test
  void fileUrlsOpenTheirDirectory() throws IOException {
    try (StorageBackend backend = StorageProviders.open("file://" + root(), Map.of());
        StorageBackend local = StorageProviders.open("file://localhost" + root() + "/", Map.of())) {
      backend.put("k", bytes("v"), PutOptions.DEFAULT);
      assertThat(local.stat("k")).isPresent();
      assertThat(root().resolve("k")).hasBinaryContent(bytes("v"));
    }
  }

  @Test
  void relativeAndRemoteFileUrlsAreRejected() {
    for (String url : List.of("file://relative", "file://relative/path", "file://host/var/lib", "file://",
        "file://localhost", "file:///var/../etc", "file:///var/./lib")) {
      assertThatThrownBy(() -> StorageProviders.open(url, Map.of()))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("file:///absolute/path");
    }
  }

  @Test
  void aKeyCannotBeStoredBelowAnotherKey() throws IOException {
    FileStorageBackend backend = backend();
    backend.put("a/b", bytes("object"), PutOptions.DEFAULT);
    for (PutOptions options : List.of(PutOptions.DEFAULT, PutOptions.ifAbsent())) {
      assertThatThrownBy(() -> backend.put("a/b/c", bytes("below"), options))
          .isInstanceOf(StorageException.class)
          .isNotInstanceOf(ObjectExistsException.class)
          .hasMessageContaining("a/b/c")
          .hasMessageContaining("a/b is an object");
    }
    assertThat(backend.stat("a/b/c")).isEmpty();
    assertThat(backend.read("a/b", ByteRange.ALL)).hasBinaryContent(bytes("object"));
    backend.delete("a/b/c");
    assertThat(keys(backend, "")).containsExactly("a/b");
  }

  @Test
  void aKeyCannotBeStoredWhereLongerKeysHaveTheirDirectory() throws IOException {
    FileStorageBackend backend = backend();
    backend.put("a/b/c", bytes("below"), PutOptions.DEFAULT);
    for (PutOptions options : List.of(PutOptions.DEFAULT, PutOptions.ifAbsent())) {
      assertThatThrownBy(() -> backend.put("a/b", bytes("object"), options))
          .isInstanceOf(StorageException.class)
          .isNotInstanceOf(ObjectExistsException.class)
          .hasMessageContaining("a/b");
    }
    assertThat(keys(backend, "")).containsExactly("a/b/c");
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void emptyDirectoriesAreNeitherObjectsNorPrefixes() throws IOException {
    Files.createDirectories(root().resolve("a/empty/deeper"));
    Files.createDirectories(root().resolve("b"));
    FileStorageBackend backend = backend();
    backend.put("b/x", bytes("x"), PutOptions.DEFAULT);
    assertThat(keys(backend, "")).containsExactly("b/x");
    ListPage top = backend.list("", ListOptions.DEFAULT.withDelimiter());
    assertThat(top.commonPrefixes()).containsExactly("b/");
    assertThat(top.objects()).isEmpty();
  }

  @Test
  void deletingTheLastObjectRemovesTheDirectoriesLeftEmpty() throws IOException {
    FileStorageBackend backend = backend();
    backend.put(SEGMENT, bytes("wal"), PutOptions.DEFAULT);
    backend.put("srv/backup.info", bytes("info"), PutOptions.DEFAULT);
    backend.delete(SEGMENT);
    assertThat(root().resolve("srv/wals")).doesNotExist();
    assertThat(root().resolve("srv/backup.info")).isRegularFile();
    backend.delete("srv/backup.info");
    assertThat(root().resolve("srv")).doesNotExist();
    assertThat(root()).isDirectory();
  }

  @Test
  void deleteOfADirectoryIsANoOp() throws IOException {
    FileStorageBackend backend = backend();
    backend.put("a/b/c", bytes("x"), PutOptions.DEFAULT);
    backend.delete("a/b");
    backend.delete("a/b/c/d"); // below a file
    assertThat(keys(backend, "")).containsExactly("a/b/c");
  }

  @Test
  void listingADeepPrefixReadsOnlyItsDirectory() throws IOException {
    FileStorageBackend backend = backend();
    for (int tli = 1; tli <= 3; tli++) {
      for (int log = 0; log < 3; log++) {
        for (int seg = 0; seg < 4; seg++) {
          String dir = String.format("%08X%08X", tli, log);
          backend.put(String.format("srv/wals/%s/%s%08X", dir, dir, seg), bytes("x"), PutOptions.DEFAULT);
        }
      }
    }
    backend.put("srv/base/20240101T000000/data.tar", bytes("x"), PutOptions.DEFAULT);
    long before = backend.directoryReads();
    assertThat(keys(backend, "srv/wals/0000000100000000/000000010000000000000003"))
        .containsExactly("srv/wals/0000000100000000/000000010000000000000003");
    assertThat(backend.directoryReads() - before).isEqualTo(1);
  }

  @Test
  void laterPagesSkipSubtreesAlreadyListed() throws IOException {
    FileStorageBackend backend = backend();
    int dirs = 20;
    for (int i = 0; i < dirs; i++) {
      backend.put(String.format("p/%02d/x", i), bytes("x"), PutOptions.DEFAULT);
    }
    long before = backend.directoryReads();
    List<String> seen = new ArrayList<>();
    ListOptions options = ListOptions.DEFAULT.withPageSize(5);
    int pages = 0;
    while (true) {
      ListPage page = backend.list("p/", options);
      pages++;
      page.objects().forEach(o -> seen.add(o.key()));
      if (page.nextPageToken().isEmpty()) {
        break;
      }
      options = options.withPageToken(page.nextPageToken().get());
    }
    assertThat(seen).hasSize(dirs);
    // Each page reads p/, the directory of its token again, those it returns and one ahead; a listing that
    // re-read everything for every page would take about pages * dirs.
    assertThat(backend.directoryReads() - before).isLessThanOrEqualTo(dirs + 3L * pages);
  }

  @Test
  @Timeout(60)
  void commitsSurviveConcurrentRemovalOfTheirDirectory() throws Exception {
    FileStorageBackend backend = backend();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 150; i++) {
            // Each delete may remove the shared directory that another thread's commit is about to use.
            String key = "shared/dir/" + thread + "-" + i;
            backend.put(key, bytes(key), PutOptions.ifAbsent());
            backend.delete(key);
          }
          return thread;
        }));
      }
      for (Future<Integer> result : results) {
        result.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(keys(backend, "")).isEmpty();
    assertThat(incomingFiles()).isEmpty();
  }

  @Test
  void rangedReadsSkipAndReadAcrossTheBuffer() throws IOException {
    FileStorageBackend backend = backend();
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    backend.put("big", content, PutOptions.DEFAULT);
    try (InputStream in = backend.read("big", ByteRange.of(1000, 200_000))) {
      assertThat(in.read()).isEqualTo(content[1000] & 0xff);
      assertThat(in.skip(99_999)).isEqualTo(99_999);
      byte[] chunk = new byte[70_000];
      assertThat(in.readNBytes(chunk, 0, chunk.length)).isEqualTo(chunk.length);
      assertThat(chunk).isEqualTo(java.util.Arrays.copyOfRange(content, 101_000, 171_000));
      assertThat(in.available()).isEqualTo(30_000);
      assertThat(in.skip(1_000_000)).isEqualTo(30_000);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void readStreamKeepsItsFileAfterDelete() throws IOException {
    FileStorageBackend backend = backend();
    backend.put("k", bytes("content"), PutOptions.DEFAULT);
    try (InputStream in = backend.read("k", ByteRange.ALL)) {
      backend.delete("k");
      assertThat(in.readAllBytes()).isEqualTo(bytes("content"));
    }
  }

  @Test
  void commitReportsTheStoredFile() throws IOException {
    FileStorageBackend backend = backend();
    ObjectInfo committed = backend.put(SEGMENT, bytes("wal"), PutOptions.ifAbsent());
    ObjectInfo stat = backend.stat(SEGMENT).orElseThrow();
    assertThat(committed).isEqualTo(stat);
    assertThat(committed.lastModified()).isEqualTo(Files.getLastModifiedTime(root().resolve(SEGMENT)).toInstant());
  }

  @Test
  void closedBackendRejectsUse() throws IOException {
    FileStorageBackend backend = backend();
    Upload upload = backend.openUpload("k", PutOptions.DEFAULT);
    backend.close();
    backend.close();
    assertThatThrownBy(() -> backend.stat("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);
    upload.close();
    assertThat(incomingFiles()).isEmpty();
  }

  private List<Path> incomingFiles() throws IOException {
    Path incoming = root().resolve(FileStorageBackend.INCOMING);
    if (!Files.isDirectory(incoming)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(incoming)) {
      return files.toList();
    }
  }

  private static List<String> keys(StorageBackend backend, String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    StorageBackends.listAll(backend, prefix).forEach(o -> keys.add(o.key()));
    return keys;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void aMissingRootIsAnEmptyStoreByDefaultAndAnErrorNamingItWithoutCreateRoot() throws IOException {
    Path missing = temp.resolve("no-such-root");
    String url = "file://" + missing;
    try (StorageBackend lenient = StorageProviders.open(url, Map.of())) {
      assertThat(lenient.list("srv/wals/", ListOptions.DEFAULT).objects()).isEmpty();
      assertThat(lenient.stat("srv/wals/x")).isEmpty();
      lenient.check();
    }
    try (StorageBackend strict = StorageProviders.open(url, Map.of(FileStorageProvider.CREATE_ROOT, "false"))) {
      for (ThrowingCall call : List.<ThrowingCall>of(() -> strict.list("srv/wals/", ListOptions.DEFAULT),
          () -> strict.stat("srv/wals/x"), () -> strict.read("srv/wals/x", ByteRange.ALL), strict::check)) {
        assertThatThrownBy(call::run).isInstanceOf(NoSuchStoreException.class)
            .hasMessageContaining("Directory " + missing + " does not exist").hasMessageContaining(url);
      }
      Files.createDirectories(missing);
      assertThat(strict.list("srv/wals/", ListOptions.DEFAULT).objects()).isEmpty();
      assertThat(strict.stat("srv/wals/x")).isEmpty();
      assertThatThrownBy(() -> strict.read("srv/wals/x", ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
      strict.check();
    }
    assertThatThrownBy(() -> StorageProviders.open(url, Map.of(FileStorageProvider.CREATE_ROOT, "no")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(FileStorageProvider.CREATE_ROOT);
  }

  @Test
  void createRootIsABooleanOfTheOneGrammar() throws IOException {
    String url = "file://" + temp.resolve("absent");
    try (StorageBackend lenient = StorageProviders.open(url, Map.of(FileStorageProvider.CREATE_ROOT, "TRUE"))) {
      assertThat(lenient.list("", ListOptions.DEFAULT).objects()).isEmpty();
    }
    try (StorageBackend strict = StorageProviders.open(url, Map.of(FileStorageProvider.CREATE_ROOT, " False "))) {
      assertThatThrownBy(strict::check).isInstanceOf(NoSuchStoreException.class);
    }
    assertThatThrownBy(() -> StorageProviders.open(url, Map.of(FileStorageProvider.CREATE_ROOT, "no")))
        .hasMessage("Invalid file.create-root 'no': expected true or false");
  }

  @Test
  void failuresGiveTheOperatingSystemsReasonNotOnlyThePath() throws IOException {
    Path root = Files.createDirectories(temp.resolve("archive"));
    // A file where the uploads' directory goes: the upload cannot start, and the line says why, not only where.
    Files.writeString(root.resolve(FileStorageBackend.INCOMING), "not a directory");
    try (StorageBackend backend = new FileStorageBackend(root)) {
      assertThatThrownBy(() -> backend.openUpload("srv/wals/x", PutOptions.DEFAULT).close())
          .isInstanceOf(StorageException.class)
          .hasMessageStartingWith("Cannot start upload of srv/wals/x in file://" + root + ": File exists ("
              + root.resolve(FileStorageBackend.INCOMING) + ")");
    }
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }
}
