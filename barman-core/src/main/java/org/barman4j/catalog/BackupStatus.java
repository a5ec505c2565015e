package org.barman4j.catalog;

/** The life-cycle state of a backup, as recorded in {@code backup.info} ({@code status=…}). */
public enum BackupStatus {
  /** Nothing recorded yet; Barman's default. */
  EMPTY,
  /** The copy is in progress. */
  STARTED,
  /** The copy is done; the WAL needed to make it consistent has not all been archived yet. */
  WAITING_FOR_WALS,
  /** Complete and usable. */
  DONE,
  /** A passive node is copying it from its primary. */
  SYNCING,
  /** Failed; never usable for a restore. */
  FAILED;

  /** {@return whether the copy has completed ({@code STATUS_COPY_DONE}: WAITING_FOR_WALS or DONE)} */
  public boolean isCopyDone() {
    return this == WAITING_FOR_WALS || this == DONE;
  }

  /** {@return whether WAL must be kept for this backup ({@code STATUS_ARCHIVING}: any state but EMPTY and FAILED)} */
  public boolean isArchiving() {
    return this == STARTED || this == WAITING_FOR_WALS || this == DONE || this == SYNCING;
  }

  /**
   * {@return the status named {@code text}, exactly as written in {@code backup.info}}
   *
   * @param text the text to parse
   * @throws IllegalArgumentException naming the valid values if there is none
   */
  public static BackupStatus parse(String text) {
    for (BackupStatus s : values()) {
      if (s.name().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown backup status '" + text
        + "'; valid: EMPTY, STARTED, WAITING_FOR_WALS, DONE, SYNCING, FAILED");
  }
}
