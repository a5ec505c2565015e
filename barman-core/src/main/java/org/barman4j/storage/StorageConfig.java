package org.barman4j.storage;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flat, namespaced configuration of a backend ({@code s3.endpoint}, {@code s3.region} …). Values of
 * {@link #sensitive() sensitive} names are redacted in {@link #toString()}.
 *
 * @param properties the properties, by name
 * @param sensitive the names whose values are secrets
 */
public record StorageConfig(Map<String, String> properties, Set<String> sensitive) {
  /** The name that selects a provider by id, overriding discovery by URL. */
  public static final String PROVIDER = "storage.provider";

  /** No properties. */
  public static final StorageConfig EMPTY = new StorageConfig(Map.of(), Set.of());

  /**
   * Checks that no component is null and copies the collections.
   *
   * @param properties the properties, by name
   * @param sensitive the names whose values are secrets
   */
  public StorageConfig {
    properties = Map.copyOf(Objects.requireNonNull(properties, "properties is null"));
    sensitive = Set.copyOf(Objects.requireNonNull(sensitive, "sensitive is null"));
  }

  /**
   * {@return a configuration of {@code properties}, none of them secret}
   *
   * @param properties the storage properties, by name
   */
  public static StorageConfig of(Map<String, String> properties) {
    return new StorageConfig(properties, Set.of());
  }

  /**
   * {@return the value of {@code name}, if set}
   *
   * @param name the property name
   */
  public Optional<String> get(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((k, v) -> shown.put(k, sensitive.contains(k) ? "****" : v));
    return shown.toString();
  }
}
