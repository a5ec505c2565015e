package org.barman4j.retention;

/** What a retention policy says about one backup, with Barman's labels. */
public enum RetentionStatus {
  /** Needed by the policy. */
  VALID("VALID"),
  /** Not needed by the policy: retention deletes it. */
  OBSOLETE("OBSOLETE"),
  /** Outside the recovery window but kept for the minimum redundancy; not deleted. */
  POTENTIALLY_OBSOLETE("OBSOLETE*"),
  /** Kept with target {@code full}; never deleted by retention. */
  KEEP_FULL("KEEP:FULL"),
  /** Kept with target {@code standalone}; never deleted by retention. */
  KEEP_STANDALONE("KEEP:STANDALONE"),
  /** Not DONE (failed, in progress …): ignored by retention, never deleted by it. */
  NONE("-");

  private final String label;

  RetentionStatus(String label) {
    this.label = label;
  }

  /**
   * {@return Barman's label: {@code VALID}, {@code OBSOLETE}, {@code OBSOLETE*}, {@code KEEP:FULL},
   * {@code KEEP:STANDALONE}, {@code -}}
   */
  public String label() {
    return label;
  }
}
