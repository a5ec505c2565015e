package org.barman4j.storage.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.Upload;
import org.junit.jupiter.api.Test;

class InMemoryStorageBackendTest {
  private final InMemoryStorageBackend backend = new InMemoryStorageBackend();

  @Test
  void eachOpenOfAMemUrlIsAFreshEmptyStore() throws IOException {
    try (StorageBackend first = StorageProviders.open("mem://shared", Map.of());
        StorageBackend second = StorageProviders.open("mem://shared", Map.of())) {
      first.put("k", bytes("x"), PutOptions.DEFAULT);
      assertThat(first.stat("k")).isPresent();
      assertThat(second.stat("k")).isEmpty();
    }
  }

  @Test
  void failNextFailsOnlyTheNextCallOfThatOperation() throws IOException {
    backend.put("k", bytes("x"), PutOptions.DEFAULT);
    IOException failure = new IOException("injected");
    backend.failNext("read", failure);
    assertThatThrownBy(() -> backend.read("k", ByteRange.ALL)).isSameAs(failure);
    assertThat(backend.stat("k")).isPresent();
    try (InputStream in = backend.read("k", ByteRange.ALL)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes("x"));
    }
  }

  @Test
  void failuresOfOneOperationQueueUp() throws IOException {
    backend.failNext("stat", new IOException("one"));
    backend.failNext("stat", new IOException("two"));
    assertThatThrownBy(() -> backend.stat("k")).hasMessage("one");
    assertThatThrownBy(() -> backend.stat("k")).hasMessage("two");
    assertThat(backend.stat("k")).isEmpty();
  }

  @Test
  void failNextRejectsUnknownOperations() {
    assertThatThrownBy(() -> backend.failNext("rename", new IOException()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rename");
  }

  @Test
  void failedCommitLeavesNothingVisible() throws IOException {
    backend.failNext("commit", new IOException("network down"));
    try (Upload upload = backend.openUpload("k", PutOptions.DEFAULT)) {
      upload.stream().write(bytes("x"));
      assertThatThrownBy(upload::commit).hasMessage("network down");
      assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);
    }
    assertThat(backend.stat("k")).isEmpty();
  }

  @Test
  void failedWriteLeavesNothingVisible() throws IOException {
    backend.failNext("write", new IOException("disk full"));
    try (Upload upload = backend.openUpload("k", PutOptions.DEFAULT)) {
      assertThatThrownBy(() -> upload.stream().write(bytes("x"))).hasMessage("disk full");
    }
    assertThat(backend.stat("k")).isEmpty();
  }

  @Test
  void failedDeleteInABatchIsReportedPerKey() throws IOException {
    backend.put("a", bytes("a"), PutOptions.DEFAULT);
    backend.put("b", bytes("b"), PutOptions.DEFAULT);
    backend.failNext("delete", new IOException("throttled"));
    assertThatThrownBy(() -> backend.deleteBatch(List.of("a", "b")))
        .isInstanceOf(org.barman4j.storage.BulkDeleteException.class)
        .satisfies(e -> assertThat(((org.barman4j.storage.BulkDeleteException) e).failedKeys()).containsOnlyKeys("a"));
    assertThat(backend.stat("a")).isPresent();
    assertThat(backend.stat("b")).isEmpty();
  }

  @Test
  void checkNoOpenStreamsNamesALeakedReadStream() throws IOException {
    backend.put("wals/x", bytes("x"), PutOptions.DEFAULT);
    InputStream leaked = backend.read("wals/x", ByteRange.ALL);
    assertThat(backend.openStreams()).containsExactly("read wals/x");
    assertThatThrownBy(backend::checkNoOpenStreams)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read wals/x")
        .hasCauseInstanceOf(Throwable.class);
    leaked.close();
    backend.checkNoOpenStreams();
  }

  @Test
  void checkNoOpenStreamsNamesAnUploadThatWasNeverClosed() throws IOException {
    Upload upload = backend.openUpload("base/data.tar", PutOptions.DEFAULT);
    upload.commit();
    assertThat(backend.openStreams()).containsExactly("upload base/data.tar");
    upload.close();
    assertThat(backend.openStreams()).isEmpty();
  }

  @Test
  void closedReadStreamRefusesReads() throws IOException {
    backend.put("k", bytes("xyz"), PutOptions.DEFAULT);
    InputStream in = backend.read("k", ByteRange.ALL);
    in.close();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("k");
  }

  @Test
  void closedBackendRejectsEveryOperation() throws IOException {
    backend.close();
    backend.close();
    assertThatThrownBy(() -> backend.stat("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> backend.read("k", ByteRange.ALL)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> backend.list("", ListOptions.DEFAULT)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> backend.put("k", new byte[0], PutOptions.DEFAULT))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> backend.openUpload("k", PutOptions.DEFAULT)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> backend.delete("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(backend::check).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void objectsCarryTheClocksTime() throws IOException {
    Instant then = Instant.parse("2024-02-29T12:00:00Z");
    InMemoryStorageBackend fixed =
        new InMemoryStorageBackend(InMemoryStorageBackend.DEFAULT_CAPABILITIES, Clock.fixed(then, ZoneOffset.UTC));
    fixed.put("k", bytes("x"), PutOptions.DEFAULT);
    assertThat(fixed.stat("k").orElseThrow().lastModified()).isEqualTo(then);
  }

  @Test
  void overwriteChangesTheEtag() throws IOException {
    String first = backend.put("k", bytes("x"), PutOptions.DEFAULT).etag().orElseThrow();
    String second = backend.put("k", bytes("x"), PutOptions.DEFAULT).etag().orElseThrow();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void propertiesSelectCapabilities() throws IOException {
    Map<String, String> properties = Map.of(
        InMemoryStorageProperties.ATOMIC_CREATE_IF_ABSENT, "false",
        InMemoryStorageProperties.USER_METADATA, "false",
        InMemoryStorageProperties.MAX_DELETE_BATCH, "7");
    try (StorageBackend configured = StorageProviders.open("mem://x", properties)) {
      Capabilities capabilities = configured.capabilities();
      assertThat(capabilities.atomicCreateIfAbsent()).isFalse();
      assertThat(capabilities.userMetadata()).isFalse();
      assertThat(capabilities.maxDeleteBatch()).isEqualTo(7);
    }
  }

  @Test
  void invalidPropertyValuesAreRejected() {
    assertThatThrownBy(() -> StorageProviders.open("mem://x", Map.of(InMemoryStorageProperties.USER_METADATA, "on")))
        .hasMessage("Invalid memory.user-metadata 'on': expected true or false");
    assertThatThrownBy(() -> StorageProviders.open("mem://x", Map.of(InMemoryStorageProperties.USER_METADATA, "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(InMemoryStorageProperties.USER_METADATA);
    assertThatThrownBy(() -> StorageProviders.open("mem://x", Map.of(InMemoryStorageProperties.MAX_DELETE_BATCH, "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(InMemoryStorageProperties.MAX_DELETE_BATCH);
  }

  @Test
  void memUrlsWithoutANameOrWithABadPrefixAreRejected() {
    assertThatThrownBy(() -> StorageProviders.open("mem://", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mem://");
    assertThatThrownBy(() -> StorageProviders.open("mem://x/a//b", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mem://x/a//b");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
