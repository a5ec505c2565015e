package org.barman4j.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.barman4j.storage.fs.AbandonedTemporaries.Lock.HELD_ELSEWHERE;
import static org.barman4j.storage.fs.AbandonedTemporaries.Lock.HELD_HERE;
import static org.barman4j.storage.fs.AbandonedTemporaries.Lock.TAKEN;
import static org.barman4j.storage.fs.AbandonedTemporaries.Lock.UNSUPPORTED;
import static org.barman4j.storage.fs.AbandonedTemporaries.Stage.STARTING;
import static org.barman4j.storage.fs.AbandonedTemporaries.Stage.WRITING;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.Upload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temporary files of uploads that will never be committed: which go, which stay, and when. */
class AbandonedUploadsTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path root;

  @Test
  void theRules() {
    // A lock someone holds: never, whatever the age.
    assertThat(AbandonedTemporaries.abandoned(HELD_ELSEWHERE, WRITING, Duration.ofDays(30), Duration.ZERO)).isFalse();
    assertThat(AbandonedTemporaries.abandoned(HELD_HERE, WRITING, Duration.ofDays(30), Duration.ZERO)).isFalse();
    // A lock taken: abandoned once older than asked; a file not yet renamed only after its grace minute.
    assertThat(AbandonedTemporaries.abandoned(TAKEN, WRITING, Duration.ZERO, Duration.ZERO)).isTrue();
    assertThat(AbandonedTemporaries.abandoned(TAKEN, WRITING, Duration.ofHours(1), DAY)).isFalse();
    assertThat(AbandonedTemporaries.abandoned(TAKEN, WRITING, DAY, DAY)).isTrue();
    assertThat(AbandonedTemporaries.abandoned(TAKEN, STARTING, Duration.ofSeconds(59), Duration.ZERO)).isFalse();
    assertThat(AbandonedTemporaries.abandoned(TAKEN, STARTING, Duration.ofMinutes(1), Duration.ZERO)).isTrue();
    // No locks on this file system: a day old at least.
    assertThat(AbandonedTemporaries.abandoned(UNSUPPORTED, WRITING, Duration.ofHours(23), Duration.ZERO)).isFalse();
    assertThat(AbandonedTemporaries.abandoned(UNSUPPORTED, STARTING, DAY, Duration.ZERO)).isTrue();
    assertThat(AbandonedTemporaries.abandoned(UNSUPPORTED, WRITING, DAY, Duration.ofDays(2))).isFalse();
  }

  @Test
  void theFirstUploadRemovesWhatDeadUploadsLeftAndKeepsWhatLiveOnesHold() throws Exception {
    Path incoming = Files.createDirectories(root.resolve(FileStorageBackend.INCOMING));
    Path dead = Files.write(incoming.resolve("dead.tmp"), new byte[8192]);
    Path deadEmpty = Files.write(incoming.resolve("dead-empty.tmp"), new byte[0]);
    Path deadStarting = Files.write(incoming.resolve("dead-starting.new"), new byte[0]);
    Path starting = Files.write(incoming.resolve("starting.new"), new byte[0]);
    Files.setLastModifiedTime(deadStarting, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    Path held = Files.write(incoming.resolve("held.tmp"), new byte[8192]);
    Files.setLastModifiedTime(held, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
    Process holder = lockInAnotherProcess(held);
    try {
      FileStorageBackend backend = new FileStorageBackend(root);
      try (Upload upload = backend.openUpload("a/b", PutOptions.DEFAULT)) {
        upload.stream().write(new byte[100]);
        assertThat(names(incoming)).as("the dead ones went, the live and the just-created stayed")
            .containsExactlyInAnyOrder("held.tmp", "starting.new", "<upload>");
        // An explicit clean-up with no age limit spares this upload, held by this process.
        assertThat(backend.cleanUpAbandonedUploads("", Duration.ZERO)).isZero();
        upload.commit();
      }
      assertThat(Files.readAllBytes(root.resolve("a/b"))).hasSize(100);
      assertThat(names(incoming)).containsExactlyInAnyOrder("held.tmp", "starting.new");
      assertThat(dead).doesNotExist();
      assertThat(deadEmpty).doesNotExist();
      assertThat(starting).exists();
    } finally {
      holder.destroy();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
    // The process that held it is gone: its file is abandoned now, and an age limit is honoured.
    FileStorageBackend later = new FileStorageBackend(root);
    assertThat(later.cleanUpAbandonedUploads("pg/", DAY)).isEqualTo(1);
    assertThat(names(incoming)).containsExactly("starting.new");
    Files.setLastModifiedTime(starting, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
    assertThat(later.cleanUpAbandonedUploads("", Duration.ZERO)).isEqualTo(1);
    assertThat(names(incoming)).isEmpty();
  }

  @Test
  void aCleanUpOfAStoreWithoutUploadsFindsNothing() throws Exception {
    assertThat(new FileStorageBackend(root.resolve("never-written")).cleanUpAbandonedUploads("", Duration.ZERO))
        .isZero();
  }

  private static List<String> names(Path incoming) throws Exception {
    try (Stream<Path> files = Files.list(incoming)) {
      return files.map(p -> p.getFileName().toString())
          .map(n -> n.matches("[0-9a-f]+\\.tmp") ? "<upload>" : n).toList();
    }
  }

  /** A process that holds a POSIX record lock on {@code file}, as an upload of another JVM does. */
  private static Process lockInAnotherProcess(Path file) throws Exception {
    Process process = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
        + "f = open(sys.argv[1], 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(120)\n",
        file.toString()).redirectErrorStream(true).start();
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("locked");
    return process;
  }
}
