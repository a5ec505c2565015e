package org.barman4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pg_basebackup command line, checked against the one Barman 3.4's own {@code PgBaseBackup} builds. */
class PgBaseBackupCommandTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static PgBaseBackupLocator.Program program(String version) {
    return new PgBaseBackupLocator.Program(Path.of("/usr/bin/pg_basebackup"), PgClientVersion.parse("pg_basebackup "
        + version).orElseThrow());
  }

  private static PgBaseBackupCommand command(String version, String conninfo, Map<String, Path> mapping, long bwlimit,
      boolean fast, Optional<BaseBackupCompression> compression) {
    return PgBaseBackupCommand.of(new PgBaseBackupCommand.Options(program(version), conninfo, "barman_streaming_backup",
        Path.of("/b/base/X/data"), mapping, bwlimit, fast, compression));
  }

  @Test
  void plainCopyAsBarmanBuildsIt() throws Exception {
    Map<String, Path> mapping = new LinkedHashMap<>();
    mapping.put("/srv/ts1", Path.of("/b/base/X/16384"));
    mapping.put("/srv/ts2", Path.of("/b/base/X/16385"));
    PgBaseBackupCommand c = command("15.18", "host=127.0.0.1 port=5432 user=postgres", mapping, 0, true,
        Optional.empty());
    assertThat(c.arguments()).containsExactly("/usr/bin/pg_basebackup",
        "--dbname=dbname=replication host=127.0.0.1 options=-cdatestyle=iso port=5432 replication=true user=postgres"
            + " application_name=barman_streaming_backup",
        "-v", "--no-password", "--pgdata=/b/base/X/data", "--no-slot", "--wal-method=none",
        "--tablespace-mapping=/srv/ts1=/b/base/X/16384", "--tablespace-mapping=/srv/ts2=/b/base/X/16385",
        "--checkpoint=fast");
    assertThat(c.arguments()).isEqualTo(barmans("15.18", "host=127.0.0.1 port=5432 user=postgres",
        "{'/srv/ts1': '/b/base/X/16384', '/srv/ts2': '/b/base/X/16385'}", "None", "True", "None"));
  }

  @Test
  void compressedCopiesAsBarmanBuildsThem() throws Exception {
    Optional<BaseBackupCompression> gzip = Optional.of(new BaseBackupCompression("gzip", "tar", OptionalInt.of(5),
        Optional.empty(), OptionalInt.empty()));
    assertThat(command("15.18", "host=h user=u", Map.of(), 100, false, gzip).arguments())
        .isEqualTo(barmans("15.18", "host=h user=u", "{}", "100", "False",
            "NS(type='gzip', format=None, level=5, location=None, workers=None)"));
    Optional<BaseBackupCompression> zstd = Optional.of(new BaseBackupCompression("zstd", "plain", OptionalInt.of(3),
        Optional.of("server"), OptionalInt.of(2)));
    assertThat(command("15.18", "host=h user=u", Map.of(), 0, false, zstd).arguments())
        .isEqualTo(barmans("15.18", "host=h user=u", "{}", "None", "False",
            "NS(type='zstd', format='plain', level=3, location='server', workers=2)"))
        .contains("--format=plain", "--compress=server-zstd:level=3,workers=2");
    assertThat(command("14.9", "host=h user=u", Map.of(), 0, false, gzip).arguments())
        .isEqualTo(barmans("14.9", "host=h user=u", "{}", "None", "False",
            "NS(type='gzip', format=None, level=5, location=None, workers=None)"))
        .endsWith("--format=tar", "--gzip", "--compress=5");
  }

  @Test
  void aGivenApplicationNameIsKeptAndThePasswordLeavesTheCommandLine() {
    PgBaseBackupCommand c = command("15.18", "host=h user=u password='s3 cret' application_name=mine", Map.of(), 0,
        false, Optional.empty());
    assertThat(c.arguments().get(1)).isEqualTo(
        "--dbname=application_name=mine dbname=replication host=h options=-cdatestyle=iso replication=true user=u");
    assertThat(String.join(" ", c.arguments())).doesNotContain("s3 cret");
    assertThat(c.environment()).containsExactly(Map.entry("PGPASSWORD", "s3 cret"));
  }

  @Test
  void aUriIsRewrittenAsKeywords() {
    PgBaseBackupCommand c = command("15.18", "postgresql://bob@db.example:5433/app?sslmode=require", Map.of(), 0,
        false, Optional.empty());
    assertThat(c.arguments().get(1)).isEqualTo("--dbname=dbname=replication host=db.example options=-cdatestyle=iso"
        + " port=5433 replication=true sslmode=require user=bob application_name=barman_streaming_backup");
  }

  @Test
  void oldClientsGetNoWalOptions() {
    assertThat(command("9.6.24", "host=h", Map.of(), 0, false, Optional.empty()).arguments())
        .doesNotContain("--no-slot", "--wal-method=none");
  }

  /** The argument list of Barman 3.4's PgBaseBackup for the same inputs, the program first. */
  private static List<String> barmans(String version, String conninfo, String mapping, String bwlimit,
      String immediate, String compression) throws Exception {
    assumeThat(Files.isExecutable(PYTHON)).isTrue();
    String script = String.join("\n",
        "import sys, warnings",
        "warnings.simplefilter('ignore')",
        "from types import SimpleNamespace as NS0",
        "def NS(**kw): return NS0(config=NS0(**kw))",
        "from barman.command_wrappers import PgBaseBackup",
        "from barman.postgres import StreamingConnection",
        "from distutils.version import LooseVersion as Version",
        "p = PgBaseBackup(connection=StreamingConnection(sys.argv[2]), destination='/b/base/X/data',",
        "    command='/usr/bin/pg_basebackup', version=Version(sys.argv[1]), app_name='barman_streaming_backup',",
        "    tbs_mapping=" + mapping + ", bwlimit=" + bwlimit + ", immediate=" + immediate + ", compression="
            + compression + ")",
        "print(p.cmd)",
        "for a in p.args: print(a)");
    Process process = new ProcessBuilder(PYTHON.toString(), "-c", script, version, conninfo).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assumeThat(err).as("Barman 3.4 importable").doesNotContain("ModuleNotFoundError");
    assertThat(process.exitValue()).as(err).isZero();
    return new ArrayList<>(out.lines().toList());
  }
}
