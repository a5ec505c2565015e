package org.barman4j.storage;

/**
 * What a backend guarantees. The core reads these at run time and the contract tests use them to
 * decide which optional behaviours to check.
 *
 * @param atomicCreateIfAbsent {@link Precondition#IF_ABSENT} is enforced atomically by the store
 *     (exactly one of several concurrent writers wins)
 * @param userMetadata user metadata given in {@link PutOptions} is stored and returned by {@code stat}
 * @param maxDeleteBatch the most keys one {@link StorageBackend#deleteBatch} call accepts
 * @param maxObjectSize the largest object the store accepts, in bytes
 */
public record Capabilities(boolean atomicCreateIfAbsent, boolean userMetadata, int maxDeleteBatch, long maxObjectSize) {
  /**
   * Checks the values.
   *
   * @param atomicCreateIfAbsent {@link Precondition#IF_ABSENT} is enforced atomically by the store (exactly one of several concurrent writers wins)
   * @param userMetadata user metadata given in {@link PutOptions} is stored and returned by {@code stat}
   * @param maxDeleteBatch the most keys one {@link StorageBackend#deleteBatch} call accepts
   * @param maxObjectSize the largest object the store accepts, in bytes
   * @throws IllegalArgumentException if a component is invalid
   */
  public Capabilities {
    if (maxDeleteBatch < 1) {
      throw new IllegalArgumentException("maxDeleteBatch must be >= 1: " + maxDeleteBatch);
    }
    if (maxObjectSize < 1) {
      throw new IllegalArgumentException("maxObjectSize must be >= 1: " + maxObjectSize);
    }
  }
}
