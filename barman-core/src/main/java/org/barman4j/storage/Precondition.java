package org.barman4j.storage;

/** Condition a write must meet to take effect. */
public enum Precondition {
  /** Always write, replacing what is there. */
  NONE,
  /** Write only if the key does not exist; otherwise fail with {@link ObjectExistsException}. */
  IF_ABSENT
}
