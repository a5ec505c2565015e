package org.barman4j.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.barman4j.BarmanConfigurationException;

/**
 * Finds {@code barman.conf} as Barman does: the file given with {@code -c}, else {@code BARMAN_CONFIG_FILE},
 * else the first existing of {@code ~/.barman.conf}, {@code /etc/barman.conf}, {@code /etc/barman/barman.conf}.
 *
 * @param home the user's home directory
 * @param environment the process environment
 * @param exists tells whether a file exists (a parameter so that tests need no real {@code /etc})
 */
public record ConfigLocator(Path home, Map<String, String> environment, Predicate<Path> exists) {

  /**
   * Checks that no component is null.
   *
   * @param home the user's home directory
   * @param environment the process environment
   * @param exists tells whether a file exists
   */
  public ConfigLocator {
    Objects.requireNonNull(home, "home is null");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(exists, "exists is null");
  }

  /** {@return the candidates tried when neither {@code -c} nor {@code BARMAN_CONFIG_FILE} is given, in order} */
  public List<Path> defaultLocations() {
    return List.of(home.resolve(".barman.conf"), Path.of("/etc/barman.conf"), Path.of("/etc/barman/barman.conf"));
  }

  /**
   * Returns {@code explicit} (given with {@code -c}) if it exists.
   *
   * @param explicit the file given on the command line
   * @return {@code explicit}
   * @throws BarmanConfigurationException if it does not exist
   */
  public Path locate(Path explicit) {
    if (!exists.test(explicit)) {
      throw new BarmanConfigurationException("Configuration file '" + explicit + "' does not exist");
    }
    return explicit;
  }

  /**
   * Returns {@code BARMAN_CONFIG_FILE}, else the first existing default location.
   *
   * @return the configuration file
   * @throws BarmanConfigurationException if there is none
   */
  public Path locate() {
    String fromEnv = environment.getOrDefault("BARMAN_CONFIG_FILE", "");
    if (!fromEnv.isEmpty()) {
      return locate(Path.of(fromEnv));
    }
    return defaultLocations().stream().filter(exists).findFirst().orElseThrow(
        () -> new BarmanConfigurationException("Could not find any configuration file at default locations."));
  }
}
