package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerIdentityTest {

  @TempDir Path home;

  @Test
  void writesWhatBarmanWritesAndReadsItBack() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    ServerIdentity identity = new ServerIdentity("7318812823811184251", "15");
    identity.write(d);
    assertThat(d.identityJson())
        .hasContent("{\n    \"systemid\": \"7318812823811184251\",\n    \"version\": \"15\"\n}\n");
    assertThat(ServerIdentity.read(d)).isEqualTo(identity);
  }

  @Test
  void parsesCompactAndNumericForms() {
    assertThat(ServerIdentity.parse("{\"version\":\"9.6\",\"systemid\":\"123\"}"))
        .isEqualTo(new ServerIdentity("123", "9.6"));
    assertThat(ServerIdentity.parse("{\"systemid\": \"123\", \"version\": 15}"))
        .isEqualTo(new ServerIdentity("123", "15"));
    assertThatThrownBy(() -> ServerIdentity.parse("{\"systemid\": \"123\"}"))
        .hasMessageContaining("\"version\"");
  }
}
