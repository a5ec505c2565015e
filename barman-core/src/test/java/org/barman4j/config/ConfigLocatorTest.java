package org.barman4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.barman4j.BarmanConfigurationException;
import org.junit.jupiter.api.Test;

class ConfigLocatorTest {
  private static final Path HOME = Path.of("/home/u");

  private static ConfigLocator locator(Map<String, String> env, String... existing) {
    Set<Path> files = Set.of(java.util.Arrays.stream(existing).map(Path::of).toArray(Path[]::new));
    return new ConfigLocator(HOME, env, files::contains);
  }

  @Test
  void explicitFileMustExist() {
    assertThat(locator(Map.of(), "/x.conf").locate(Path.of("/x.conf"))).isEqualTo(Path.of("/x.conf"));
    assertThatThrownBy(() -> locator(Map.of(), "/etc/barman.conf").locate(Path.of("/y.conf")))
        .isInstanceOf(BarmanConfigurationException.class)
        .hasMessage("Configuration file '/y.conf' does not exist");
  }

  @Test
  void defaultLocationsInBarmansOrder() {
    assertThat(locator(Map.of(), "/home/u/.barman.conf", "/etc/barman.conf").locate())
        .isEqualTo(Path.of("/home/u/.barman.conf"));
    assertThat(locator(Map.of(), "/etc/barman/barman.conf", "/etc/barman.conf").locate())
        .isEqualTo(Path.of("/etc/barman.conf"));
    assertThat(locator(Map.of(), "/etc/barman/barman.conf").locate()).isEqualTo(Path.of("/etc/barman/barman.conf"));
    assertThatThrownBy(() -> locator(Map.of()).locate())
        .isInstanceOf(BarmanConfigurationException.class)
        .hasMessage("Could not find any configuration file at default locations.");
  }

  @Test
  void environmentVariableComesBeforeTheDefaults() {
    assertThat(locator(Map.of("BARMAN_CONFIG_FILE", "/e.conf"), "/e.conf", "/etc/barman.conf").locate())
        .isEqualTo(Path.of("/e.conf"));
    assertThatThrownBy(() -> locator(Map.of("BARMAN_CONFIG_FILE", "/e.conf"), "/etc/barman.conf").locate())
        .hasMessage("Configuration file '/e.conf' does not exist");
  }
}
