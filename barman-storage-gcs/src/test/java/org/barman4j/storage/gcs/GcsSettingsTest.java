package org.barman4j.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.barman4j.storage.StorageConfig;
import org.junit.jupiter.api.Test;

class GcsSettingsTest {
  private static GcsSettings read(Map<String, String> properties) {
    return GcsSettings.from(StorageConfig.of(properties), Map.of());
  }

  @Test
  void sizesAndBooleansFollowTheOneGrammar() {
    assertThat(read(Map.of(GcsStorageProperties.UPLOAD_CHUNK_SIZE, "8MB")).chunkSize()).isEqualTo(8 << 20);
    assertThat(read(Map.of(GcsStorageProperties.UPLOAD_CHUNK_SIZE, "256KiB")).chunkSize()).isEqualTo(256 << 10);
    assertThat(read(Map.of(GcsStorageProperties.CREATE_BUCKET, "FALSE")).createBucket()).isFalse();
    assertThatThrownBy(() -> read(Map.of(GcsStorageProperties.CREATE_BUCKET, "no")))
        .hasMessage("Invalid gcs.create-bucket 'no': expected true or false");
    assertThatThrownBy(() -> read(Map.of(GcsStorageProperties.UPLOAD_CHUNK_SIZE, "16 MB please")))
        .hasMessage("Invalid gcs.upload-chunk-size '16 MB please': expected a size such as 16777216, 16MB or 16MiB");
    assertThatThrownBy(() -> read(Map.of(GcsStorageProperties.UPLOAD_CHUNK_SIZE, "1000")))
        .hasMessage("Invalid gcs.upload-chunk-size '1000': expected a multiple of 256KB (262144 bytes)");
  }

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
