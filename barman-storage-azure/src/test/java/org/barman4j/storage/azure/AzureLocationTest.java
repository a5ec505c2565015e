package org.barman4j.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.barman4j.storage.StorageUri;
import org.junit.jupiter.api.Test;

class AzureLocationTest {
  private static AzureLocation parse(String url) {
    return AzureLocation.parse(StorageUri.parse(url));
  }

  @Test
  void serviceUrlNamesAccountContainerAndPathAsBarmanReadsThem() {
    AzureLocation location = parse("https://acct01.blob.core.windows.net/barman/pg/cluster/");
    assertThat(location.endpoint()).isEqualTo("https://acct01.blob.core.windows.net");
    assertThat(location.account()).isEqualTo("acct01");
    assertThat(location.container()).isEqualTo("barman");
    assertThat(location.root()).isEqualTo("pg/cluster");
    assertThat(location.emulator()).isFalse();
    assertThat(location.blobName("main/wals/x")).isEqualTo("pg/cluster/main/wals/x");
  }

  @Test
  void httpServiceUrlIsStillReachedOverHttps() {
    assertThat(parse("http://acct01.blob.core.windows.net/barman").endpoint())
        .isEqualTo("https://acct01.blob.core.windows.net");
  }

  @Test
  void emulatorUrlTakesTheAccountFromThePath() {
    AzureLocation location = parse("http://127.0.0.1:10000/devstoreaccount1/barman/pg");
    assertThat(location.endpoint()).isEqualTo("http://127.0.0.1:10000/devstoreaccount1");
    assertThat(location.account()).isEqualTo("devstoreaccount1");
    assertThat(location.container()).isEqualTo("barman");
    assertThat(location.root()).isEqualTo("pg");
    assertThat(location.emulator()).isTrue();
    assertThat(parse("http://127.0.0.1:10000/devstoreaccount1/barman").blobName("k")).isEqualTo("k");
  }

  @Test
  void invalidUrlsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> parse("https://acct01.blob.core.windows.net/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no container");
    assertThatThrownBy(() -> parse("https://acct01.blob.core.windows.net/Bad_Name/x"))
        .hasMessageContaining("not a container name");
    assertThatThrownBy(() -> parse("https://acct01.blob.core.windows.net/barman/a//b"))
        .hasMessageContaining("empty path segment");
    assertThatThrownBy(() -> parse("https://acct01.blob.core.windows.net/barman/../b"))
        .hasMessageContaining("'..'");
  }

  @Test
  void aSasTokenInTheUrlIsRejectedWithoutBeingRepeated() {
    assertThatThrownBy(() -> parse("https://acct01.blob.core.windows.net/barman/pg?sv=2022&sig=SECRETSIG"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AZURE_STORAGE_SAS_TOKEN")
        .hasMessageNotContaining("SECRETSIG");
  }

  @Test
  void namesFollowAzureRules() {
    assertThat(AzureLocation.isContainerName("a-b-c")).isTrue();
    assertThat(AzureLocation.isContainerName("a--b")).isFalse();
    assertThat(AzureLocation.isContainerName("-ab")).isFalse();
    assertThat(AzureLocation.isContainerName("ab")).isFalse();
    assertThat(AzureLocation.isContainerName("$root")).isTrue();
    assertThat(AzureLocation.isAccountName("devstoreaccount1")).isTrue();
    assertThat(AzureLocation.isAccountName("Dev")).isFalse();
  }

  @Test
  void redactionRemovesKeysAndSignatures() {
    String text = "GET https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%2Fdef failed; "
        + "AccountKey=Zm9vYmFy==;SharedAccessSignature=sv=1&sig=x";
    assertThat(AzureErrors.redact(text)).doesNotContain("abc%2Fdef", "Zm9vYmFy", "sig=x");
  }
}
