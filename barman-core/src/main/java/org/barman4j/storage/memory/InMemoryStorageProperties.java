package org.barman4j.storage.memory;

/**
 * Properties of {@code mem://} URLs. They let a test open a store that lacks a capability, to exercise the
 * caller's fallback paths.
 */
public final class InMemoryStorageProperties {
  /** Whether {@code IF_ABSENT} is atomic ({@code true} or {@code false}); default {@code true}. */
  public static final String ATOMIC_CREATE_IF_ABSENT = "memory.atomic-create-if-absent";

  /** Whether user metadata is kept ({@code true} or {@code false}); default {@code true}. */
  public static final String USER_METADATA = "memory.user-metadata";

  /** The most keys one batch delete accepts; default 1000. */
  public static final String MAX_DELETE_BATCH = "memory.max-delete-batch";

  private InMemoryStorageProperties() {}
}
