package org.barman4j.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the {@link StorageProvider} for a URL among those on the class path and opens its backend.
 *
 * <p>Resolution is deterministic: if {@link StorageConfig#PROVIDER} is set, the provider with that id is
 * used; otherwise exactly one installed provider must claim the URL. A provider jar that fails to load is
 * remembered and reported only when no working provider answers, so one broken jar never breaks the others.
 */
public final class StorageProviders {
  private StorageProviders() {}

  /**
   * Opens {@code url} with {@code properties}, looking providers up in the context class loader.
   *
   * @param url the storage URL, e.g. {@code s3://bucket/path}
   * @param properties the storage properties, by name
   * @return the backend
   * @throws IOException if the storage cannot be read or written
   */
  public static StorageBackend open(String url, Map<String, String> properties) throws IOException {
    return open(StorageUri.parse(url), StorageConfig.of(properties), defaultLoader());
  }

  /**
   * Opens {@code uri} with the provider that claims it.
   *
   * @param uri the storage URI
   * @param config the storage properties
   * @param loader the class loader to look storage providers up in
   * @throws IllegalArgumentException if no provider or more than one claims the URL, the named provider
   *     is not installed, or a property is unknown to the provider
   * @return the backend
   * @throws IOException if the storage cannot be read or written
   */
  public static StorageBackend open(StorageUri uri, StorageConfig config, ClassLoader loader) throws IOException {
    StorageProvider provider = select(uri, config, loader);
    return provider.open(uri, checkProperties(provider, config));
  }

  /**
   * {@return the provider that would open {@code uri} with {@code config}}
   *
   * @param uri the storage URI
   * @param config the storage properties
   * @param loader the class loader to look storage providers up in
   */
  public static StorageProvider select(StorageUri uri, StorageConfig config, ClassLoader loader) {
    Loaded loaded = load(loader);
    Optional<String> wanted = config.get(StorageConfig.PROVIDER);
    if (wanted.isPresent()) {
      String id = wanted.get();
      for (StorageProvider p : loaded.providers) {
        if (p.id().equals(id)) {
          if (!p.supports(uri)) {
            throw new IllegalArgumentException("Storage provider '" + id + "' cannot open URL " + uri);
          }
          return p;
        }
      }
      // A failed provider cannot tell its id, so any failure may be the one asked for: report them all.
      Throwable broken = loaded.failures.values().stream().findFirst().orElse(null);
      throw new IllegalArgumentException(
          "Storage provider '" + id + "' is not installed (installed: " + ids(loaded.providers) + ")"
              + (broken != null ? "; providers that failed to load: " + loaded.failures.keySet() : "")
              + "; add its barman-storage jar to the class path",
          broken);
    }
    List<StorageProvider> claimants = new ArrayList<>();
    for (StorageProvider p : loaded.providers) {
      if (p.supports(uri)) {
        claimants.add(p);
      }
    }
    if (claimants.size() == 1) {
      return claimants.get(0);
    }
    if (claimants.isEmpty()) {
      throw new IllegalArgumentException(
          "No storage provider for URL " + uri + " (installed: " + ids(loaded.providers) + ")"
              + (loaded.failures.isEmpty() ? "" : "; providers that failed to load: " + loaded.failures.keySet()));
    }
    throw new IllegalArgumentException(
        "Ambiguous URL " + uri + ": claimed by " + ids(claimants) + "; set " + StorageConfig.PROVIDER);
  }

  /**
   * {@return the providers that load from {@code loader}, in class-path order}
   *
   * @param loader the class loader to look storage providers up in
   */
  public static List<StorageProvider> available(ClassLoader loader) {
    return List.copyOf(load(loader).providers);
  }

  /** {@return the context class loader, or this class's loader when there is none} */
  public static ClassLoader defaultLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : StorageProviders.class.getClassLoader();
  }

  private static StorageConfig checkProperties(StorageProvider provider, StorageConfig config) {
    Set<String> known = provider.propertyNames();
    Set<String> prefixes = new HashSet<>();
    for (String name : known) {
      int dot = name.indexOf('.');
      if (dot > 0) {
        prefixes.add(name.substring(0, dot + 1));
      }
    }
    Set<String> unknown = new TreeSet<>();
    for (String name : config.properties().keySet()) {
      int dot = name.indexOf('.');
      if (dot > 0 && prefixes.contains(name.substring(0, dot + 1)) && !known.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "Unknown propert" + (unknown.size() == 1 ? "y " : "ies ") + unknown + " for storage provider '"
              + provider.id() + "' (known: " + new TreeSet<>(known) + ")");
    }
    Set<String> sensitive = new HashSet<>(config.sensitive());
    sensitive.addAll(provider.sensitivePropertyNames());
    return new StorageConfig(config.properties(), sensitive);
  }

  private static String ids(List<StorageProvider> providers) {
    List<String> ids = new ArrayList<>();
    providers.forEach(p -> ids.add(p.id()));
    return ids.isEmpty() ? "none" : String.join(", ", ids);
  }

  private record Loaded(List<StorageProvider> providers, Map<String, Throwable> failures) {}

  private static Loaded load(ClassLoader loader) {
    List<StorageProvider> providers = new ArrayList<>();
    Map<String, Throwable> failures = new LinkedHashMap<>();
    var iterator = ServiceLoader.load(StorageProvider.class, loader).stream().iterator();
    while (true) {
      ServiceLoader.Provider<StorageProvider> candidate;
      try {
        if (!iterator.hasNext()) {
          break;
        }
        candidate = iterator.next();
      } catch (ServiceConfigurationError e) {
        failures.put(String.valueOf(e.getMessage()), e);
        continue;
      }
      try {
        providers.add(candidate.get());
      } catch (ServiceConfigurationError | LinkageError e) {
        failures.put(guessId(candidate), e);
      }
    }
    return new Loaded(providers, failures);
  }

  private static String guessId(ServiceLoader.Provider<StorageProvider> candidate) {
    try {
      return candidate.type().getName();
    } catch (ServiceConfigurationError | LinkageError e) {
      return "unknown";
    }
  }
}
