package org.barman4j.storage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProvider;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUri;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The registration contract of a {@link StorageProvider}: it is found through
 * {@code META-INF/services/org.barman4j.storage.StorageProvider} (the classic forgotten file), claims its
 * URLs and only those, and declares its properties consistently. Extend it next to the backend's
 * {@link StorageBackendContractTest}.
 */
@Tag("storage-contract")
public abstract class StorageProviderContractTest {
  /** The id the provider must report, e.g. {@code aws-s3}. */
  protected abstract String providerId();

  /** URLs the provider must claim, e.g. {@code s3://bucket/prefix}. */
  protected abstract List<String> claimedUris();

  /** URLs it must leave to others, e.g. {@code gs://bucket/prefix}. */
  protected abstract List<String> foreignUris();

  /**
   * A URL that opens a working backend here (no credentials missing), to check that opening through
   * discovery works end to end; empty (the default) skips that test.
   */
  protected Optional<String> openableUri() {
    return Optional.empty();
  }

  /** Properties to open {@link #openableUri()} with. */
  protected Map<String, String> openProperties() {
    return Map.of();
  }

  /** The class loader providers are discovered in. */
  protected ClassLoader classLoader() {
    return getClass().getClassLoader();
  }

  /** The installed provider with {@link #providerId()}, or a test failure. */
  protected final StorageProvider provider() {
    for (StorageProvider p : StorageProviders.available(classLoader())) {
      if (p.id().equals(providerId())) {
        return p;
      }
    }
    return fail("No provider with id '" + providerId() + "' is registered in META-INF/services");
  }

  @Test
  public void providerIsDiscoverableByItsId() {
    assertThat(StorageProviders.available(classLoader()))
        .extracting(StorageProvider::id)
        .containsOnlyOnce(providerId());
  }

  @Test
  public void providerIdsAreUniqueAmongInstalledProviders() {
    List<String> ids = new ArrayList<>();
    StorageProviders.available(classLoader()).forEach(p -> ids.add(p.id()));
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  public void providerClaimsItsUris() {
    assertThat(claimedUris()).isNotEmpty();
    StorageProvider provider = provider();
    for (String uri : claimedUris()) {
      assertThat(provider.supports(StorageUri.parse(uri))).as("supports(%s)", uri).isTrue();
    }
  }

  @Test
  public void providerLeavesForeignUrisAlone() {
    StorageProvider provider = provider();
    for (String uri : foreignUris()) {
      assertThat(provider.supports(StorageUri.parse(uri))).as("supports(%s)", uri).isFalse();
    }
  }

  @Test
  public void discoverySelectsThisProviderForItsUris() {
    for (String uri : claimedUris()) {
      StorageProvider selected = StorageProviders.select(StorageUri.parse(uri), StorageConfig.EMPTY, classLoader());
      assertThat(selected.id()).as("provider selected for %s", uri).isEqualTo(providerId());
    }
  }

  @Test
  public void namingTheProviderSelectsIt() {
    StorageConfig named = StorageConfig.of(Map.of(StorageConfig.PROVIDER, providerId()));
    StorageProvider selected = StorageProviders.select(StorageUri.parse(claimedUris().get(0)), named, classLoader());
    assertThat(selected.id()).isEqualTo(providerId());
  }

  @Test
  public void sensitivePropertiesAreAmongItsProperties() {
    StorageProvider provider = provider();
    assertThat(provider.propertyNames()).containsAll(provider.sensitivePropertyNames());
  }

  @Test
  public void propertyNamesAreNamespaced() {
    for (String name : provider().propertyNames()) {
      assertThat(name).as("property name").matches("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+");
    }
  }

  @Test
  public void unknownPropertyUnderItsPrefixIsRejected() {
    Set<String> names = provider().propertyNames();
    assumeTrue(!names.isEmpty(), "the provider has no properties");
    String known = names.iterator().next();
    String unknown = known.substring(0, known.indexOf('.') + 1) + "no-such-property";
    StorageConfig config = StorageConfig.of(Map.of(unknown, "x"));
    assertThatThrownBy(() -> StorageProviders.open(StorageUri.parse(claimedUris().get(0)), config, classLoader()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(unknown);
  }

  @Test
  public void openedBackendPassesCheckAndClosesTwice() throws IOException {
    Optional<String> uri = openableUri();
    assumeTrue(uri.isPresent(), "no openable URL given");
    StorageBackend backend =
        StorageProviders.open(StorageUri.parse(uri.get()), StorageConfig.of(openProperties()), classLoader());
    try {
      assertThat(backend.capabilities()).isNotNull();
      backend.check();
    } finally {
      backend.close();
    }
    backend.close();
  }
}
