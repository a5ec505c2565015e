package org.barman4j.storage.fs;

import java.time.Duration;

/**
 * When a temporary file in {@value FileStorageBackend#INCOMING}/ belongs to an upload that will never be
 * committed. Every upload holds an exclusive lock on its temporary file until it is published or discarded;
 * the operating system releases the lock when the process dies, even on {@code kill -9}, so a temporary
 * whose lock can be taken is abandoned. Where locks do not work, only age tells.
 */
final class AbandonedTemporaries {
  /**
   * How long an unlocked temporary that was never renamed is left alone: an upload creates its file before it
   * can lock it.
   */
  static final Duration STARTING_GRACE = Duration.ofMinutes(1);
  /** The age after which a temporary is abandoned on a file system without working locks. */
  static final Duration LOCKLESS_AGE = Duration.ofDays(1);

  /** What trying the lock of a temporary file said. */
  enum Lock {
    /** Taken: no process holds it. */
    TAKEN,
    /** Held by another process. */
    HELD_ELSEWHERE,
    /** Held by an upload in this JVM. */
    HELD_HERE,
    /** The file system does not support locks. */
    UNSUPPORTED
  }

  /** How far its upload had come, as the file's name says. */
  enum Stage {
    /** Created, perhaps not yet locked. */
    STARTING,
    /** Locked before it got its name: unlocked now, its upload is dead. */
    WRITING
  }

  private AbandonedTemporaries() {}

  /**
   * Whether a temporary file at {@code stage}, last modified {@code age} ago, whose lock attempt said
   * {@code lock}, is to be removed by a clean-up of what is older than {@code olderThan}.
   */
  static boolean abandoned(Lock lock, Stage stage, Duration age, Duration olderThan) {
    if (age.compareTo(olderThan) < 0) {
      return false;
    }
    switch (lock) {
      case TAKEN:
        return stage == Stage.WRITING || age.compareTo(STARTING_GRACE) >= 0;
      case UNSUPPORTED:
        return age.compareTo(LOCKLESS_AGE) >= 0;
      default:
        return false;
    }
  }
}
