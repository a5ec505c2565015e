package org.barman4j.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.barman4j.storage.StorageConfig;
import org.junit.jupiter.api.Test;

class GcsSettingsTest {
  @Test
  void anEmulatorIsAnonymousUnlessACredentialsFileIsNamed() {
    GcsSettings anonymous = GcsSettings.from(StorageConfig.EMPTY, Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:9"));
    assertThat(anonymous.anonymous()).isTrue();
    GcsSettings named = GcsSettings.from(StorageConfig.EMPTY,
        Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:9", "GOOGLE_APPLICATION_CREDENTIALS", "/etc/key.json"));
    assertThat(named.anonymous()).isFalse();
    assertThat(named.credentialsFile()).contains(Path.of("/etc/key.json"));
    GcsSettings forced = GcsSettings.from(StorageConfig.of(Map.of(GcsStorageProperties.CREDENTIALS, "none")),
        Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:9", "GOOGLE_APPLICATION_CREDENTIALS", "/etc/key.json"));
    assertThat(forced.anonymous()).isTrue();
  }
}
