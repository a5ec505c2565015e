package org.barman4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions of client programs, and how pg_basebackup is found. */
class PgClientVersionTest {

  @TempDir Path tmp;

  @Test
  void parsesVersionLinesAsBarmanDoes() {
    assertThat(PgClientVersion.parse("pg_basebackup (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"))
        .contains(new PgClientVersion("15.18", 150000));
    assertThat(PgClientVersion.parse("pg_basebackup (PostgreSQL) 9.6.24")).contains(new PgClientVersion("9.6.24", 90600));
    assertThat(PgClientVersion.parse("pg_basebackup (PostgreSQL) 17devel")).contains(new PgClientVersion("17devel", 170000));
    assertThat(PgClientVersion.parse("Error: pg_wrapper: pg_basebackup was not found")).isEmpty();
    assertThat(PgClientVersion.parse("")).isEmpty();
  }

  @Test
  void aClientCopiesServersOfItsMajorVersionOrOlder() {
    PgClientVersion fifteen = PgClientVersion.parse("pg_basebackup 15.2").orElseThrow();
    assertThat(fifteen.canBackUp(150018)).isTrue();
    assertThat(fifteen.canBackUp(140009)).isTrue();
    assertThat(fifteen.canBackUp(160001)).isFalse();
    assertThat(PgClientVersion.majorName(150018)).isEqualTo("15");
    assertThat(PgClientVersion.majorName(90624)).isEqualTo("9.6");
  }

  @Test
  void searchesPathPrefixThenPathThenInstalledVersionsNewestFirst() throws Exception {
    Path installed = tmp.resolve("lib");
    for (String v : List.of("9.6", "13", "16", "notaversion")) {
      Files.createDirectories(installed.resolve(v).resolve("bin"));
    }
    List<Path> dirs = PgBaseBackupLocator.searchDirectories(List.of(Path.of("/opt/pg/bin")), "/usr/local/bin::/usr/bin",
        installed);
    assertThat(dirs).containsExactly(Path.of("/opt/pg/bin"), Path.of("/usr/local/bin"), Path.of("/usr/bin"),
        installed.resolve("16/bin"), installed.resolve("13/bin"), installed.resolve("9.6/bin"));
  }

  @Test
  void takesTheFirstWorkingProgramAtLeastAsNewAsTheServer() throws Exception {
    Path shim = program("shim", "echo 'Error: pg_wrapper: pg_basebackup was not found' >&2; exit 1");
    Path old = program("old", "echo 'pg_basebackup (PostgreSQL) 13.4'");
    Path good = program("good", "echo 'pg_basebackup (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)'");
    Path newer = program("newer", "echo 'pg_basebackup (PostgreSQL) 16.1'");
    PgBaseBackupLocator.Result r = PgBaseBackupLocator.locate(List.of(tmp.resolve("none"), shim, old, good, newer),
        150018);
    assertThat(r.chosen().orElseThrow().path()).isEqualTo(good.resolve("pg_basebackup"));
    assertThat(r.found()).extracting(p -> p.version().text()).containsExactly("13.4", "15.18");

    PgBaseBackupLocator.Result none = PgBaseBackupLocator.locate(List.of(shim, old), 150018);
    assertThat(none.chosen()).isEmpty();
    assertThat(none.found()).extracting(p -> p.version().text()).containsExactly("13.4");
  }

  private Path program(String dir, String body) throws Exception {
    Path d = Files.createDirectories(tmp.resolve(dir));
    Path p = d.resolve("pg_basebackup");
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return d;
  }
}
