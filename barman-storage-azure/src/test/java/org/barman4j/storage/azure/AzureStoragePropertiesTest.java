package org.barman4j.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.azure.AzureStorageProperties.Credential.Kind;
import org.junit.jupiter.api.Test;

class AzureStoragePropertiesTest {
  private static final Map<String, String> ALL_ENV = Map.of("AZURE_STORAGE_CONNECTION_STRING", "conn-SECRET",
      "AZURE_STORAGE_SAS_TOKEN", "sas-SECRET", "AZURE_STORAGE_KEY", "key-SECRET");

  private static AzureStorageProperties read(Map<String, String> properties, Map<String, String> env) {
    return AzureStorageProperties.from(StorageConfig.of(properties), env);
  }

  @Test
  void sizesAndBooleansFollowTheOneGrammar() {
    AzureStorageProperties p = read(Map.of("azure.max-block-size", "256KiB", "azure.max-single-put-size", "1048576",
        "azure.create-container", " False "), Map.of());
    assertThat(p.maxBlockSize()).isEqualTo(256 << 10);
    assertThat(p.maxSinglePutSize()).isEqualTo(1 << 20);
    assertThat(p.createContainer()).isFalse();
    assertThatThrownBy(() -> read(Map.of("azure.max-single-put-size", "lots"), Map.of()))
        .hasMessage("Invalid azure.max-single-put-size 'lots': expected a size such as 16777216, 16MB or 16MiB");
    assertThatThrownBy(() -> read(Map.of("azure.create-container", "on"), Map.of()))
        .hasMessage("Invalid azure.create-container 'on': expected true or false");
  }

  @Test
  void defaultsAreBarmansAzureClientDefaults() {
    AzureStorageProperties p = read(Map.of(), Map.of());
    assertThat(p.maxBlockSize()).isEqualTo(2 << 20);
    assertThat(p.maxConcurrency()).isEqualTo(8);
    assertThat(p.maxSinglePutSize()).isEqualTo(4 << 20);
    assertThat(p.encryptionScope()).isEmpty();
    assertThat(p.credential().kind()).isEqualTo(Kind.DEFAULT);
    assertThat(p.createContainer()).isTrue();
  }

  @Test
  void createContainerIsABoolean() {
    assertThat(read(Map.of("azure.create-container", "false"), Map.of()).createContainer()).isFalse();
    assertThat(read(Map.of("azure.create-container", "TRUE"), Map.of()).createContainer()).isTrue();
    assertThatThrownBy(() -> read(Map.of("azure.create-container", "maybe"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("azure.create-container");
  }

  @Test
  void sizesUseBarmansSyntax() {
    AzureStorageProperties p = read(Map.of("azure.max-block-size", "4MB", "azure.max-single-put-size", "64MB",
        "azure.max-concurrency", "1", "azure.encryption-scope", "scope1"), Map.of());
    assertThat(p.maxBlockSize()).isEqualTo(4 << 20);
    assertThat(p.maxSinglePutSize()).isEqualTo(64L << 20);
    assertThat(p.maxConcurrency()).isEqualTo(1);
    assertThat(p.encryptionScope()).contains("scope1");
    assertThatThrownBy(() -> read(Map.of("azure.max-block-size", "lots"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("azure.max-block-size");
    assertThatThrownBy(() -> read(Map.of("azure.max-concurrency", "0"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("azure.max-concurrency");
  }

  @Test
  void environmentFollowsBarmansOrder() {
    assertThat(read(Map.of(), ALL_ENV).credential().kind()).isEqualTo(Kind.CONNECTION_STRING);
    assertThat(read(Map.of(), Map.of("AZURE_STORAGE_SAS_TOKEN", "?sv=1&sig=s", "AZURE_STORAGE_KEY", "k"))
        .credential().secret()).contains("sv=1&sig=s");
    assertThat(read(Map.of(), Map.of("AZURE_STORAGE_KEY", "k")).credential().kind()).isEqualTo(Kind.ACCOUNT_KEY);
  }

  @Test
  void theCredentialOptionTakesPrecedenceOverTheEnvironment() {
    assertThat(read(Map.of("azure.credential", "azure-cli"), ALL_ENV).credential().kind()).isEqualTo(Kind.AZURE_CLI);
    assertThat(read(Map.of("azure.credential", "managed-identity"), ALL_ENV).credential().kind())
        .isEqualTo(Kind.MANAGED_IDENTITY);
    assertThat(read(Map.of("azure.credential", "default"), ALL_ENV).credential().kind()).isEqualTo(Kind.DEFAULT);
    assertThat(read(Map.of("azure.account-key", "k"), ALL_ENV).credential().kind()).isEqualTo(Kind.ACCOUNT_KEY);
    assertThatThrownBy(() -> read(Map.of("azure.credential", "password"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("azure-cli");
    assertThatThrownBy(() -> read(Map.of("azure.credential", "default", "azure.sas-token", "s"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Conflicting");
  }

  @Test
  void secretsNeverShowInToString() {
    AzureStorageProperties p = read(Map.of(), ALL_ENV);
    assertThat(p.toString()).doesNotContain("SECRET").contains("AZURE_STORAGE_CONNECTION_STRING");
  }
}
