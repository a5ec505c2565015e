package org.barman4j.storage.gcs;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageUri;
import org.barman4j.storage.testkit.StorageBackendContractTest;
import org.junit.jupiter.api.AfterAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The contract against fsouza/fake-gcs-server (a Go emulator of the JSON API) in Docker; reported skipped,
 * with the reason, where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class GcsStorageBackendContractOnFakeGcsServerTest extends StorageBackendContractTest {
  private static final String IMAGE = "fsouza/fake-gcs-server:1.50.2";
  private static final String BUCKET = "contract-bucket";

  private GenericContainer<?> container;

  @Override
  protected StorageBackend createBackend() throws Exception {
    // Resumable sessions come back as URLs built from -external-url, so the host port must be known before
    // the start: bind the same free port on both sides.
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    int bound = port;
    container = new GenericContainer<>(DockerImageName.parse(IMAGE))
        .withExposedPorts(port)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withPortBindings(new PortBinding(Ports.Binding.bindPort(bound), new ExposedPort(bound))))
        .withCommand("-scheme", "http", "-port", Integer.toString(port), "-external-url", endpoint,
            "-backend", "memory", "-log-level", "error");
    container.start();
    HttpResponse<String> created = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(endpoint + "/storage/v1/b?project=test-project"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + BUCKET + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 200) {
      throw new IllegalStateException("Cannot create the bucket: " + created.statusCode() + " " + created.body());
    }
    return new GcsStorageProvider(Map.of()).open(StorageUri.parse("gs://" + BUCKET + "/prefix"),
        StorageConfig.of(Map.of(
            GcsStorageProperties.ENDPOINT, endpoint,
            GcsStorageProperties.CREDENTIALS, "none",
            GcsStorageProperties.UPLOAD_CHUNK_SIZE, Integer.toString(1 << 20))));
  }

  @AfterAll
  void stopContainer() {
    if (container != null) {
      container.stop();
    }
  }
}
