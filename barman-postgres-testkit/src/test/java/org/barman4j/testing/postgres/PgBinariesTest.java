package org.barman4j.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgBinariesTest {
  private static final PgBinaries.Source MISSING = new PgBinaries.Source("/nonexistent/pg/bin", "");

  @Test
  void theSystemPropertyWinsOverTheEnvironmentWhichWinsOverTheDefault() {
    assertThat(new PgBinaries.Source("/a", "/b").bin()).isEqualTo(Path.of("/a"));
    assertThat(new PgBinaries.Source("", "/b").bin()).isEqualTo(Path.of("/b"));
    assertThat(new PgBinaries.Source(" ", "").bin()).isEqualTo(Path.of(PgBinaries.DEFAULT_BIN));
  }

  @Test
  void missingBinariesAreExplainedWithTheDirectoryAndTheDebianPackage() {
    assertThat(MISSING.find()).isEmpty();
    assertThat(MISSING.missingReason())
        .contains("/nonexistent/pg/bin", "system property barman4j.pg.bin", "postgresql-15",
            "initdb", "pg_ctl", "postgres");
  }

  @Test
  void testsFailWhenBinariesAreMissingUnlessPostgresIsOptional() {
    List<String> skipped = new ArrayList<>();
    assertThatThrownBy(() -> MISSING.forTests(skipped::add, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("postgresql-15")
        .hasMessageContaining("-Dbarman4j.pg.optional=true");
    assertThat(skipped).isEmpty();

    assertThatThrownBy(() -> MISSING.forTests(skipped::add, true))
        .isInstanceOf(IllegalStateException.class);
    assertThat(skipped).singleElement().asString().contains("postgresql-15");
  }

  @Test
  void toolsResolveInsideTheBinDirectoryOnly() {
    PgBinaries binaries = new PgBinaries(Path.of("/opt/pg/bin"));
    assertThat(binaries.tool("pgbench")).isEqualTo(Path.of("/opt/pg/bin/pgbench"));
    assertThatThrownBy(() -> binaries.tool("../psql")).isInstanceOf(IllegalArgumentException.class);
  }
}
