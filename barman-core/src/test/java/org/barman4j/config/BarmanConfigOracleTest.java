package org.barman4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.barman4j.config.internal.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the same configuration with Barman 3.4's own parser and compares every server option. */
class BarmanConfigOracleTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  // Prints "ORACLE<TAB>server<TAB>key<TAB>value" for every set option of every server, normalised:
  // intervals in seconds, CSV options sorted and comma-joined, newlines escaped.
  private static final String SCRIPT = String.join("\n",
      "import sys, datetime",
      "from barman.config import Config, ServerConfig",
      "c = Config(sys.argv[1])",
      "c.load_configuration_files_directory()",
      "for s in c.servers():",
      "    for k in ServerConfig.KEYS:",
      "        if k == 'disabled':",
      "            continue",
      "        v = getattr(s, k)",
      "        if v is None:",
      "            continue",
      "        if isinstance(v, datetime.timedelta):",
      "            v = int(v.total_seconds())",
      "        elif isinstance(v, set):",
      "            if not v:",
      "                continue",
      "            v = ','.join(sorted(v))",
      "        print('ORACLE\\t%s\\t%s\\t%s' % (s.name, k, str(v).replace('\\n', '\\\\n')))",
      "print('ORACLE-GLOBAL\\t%s\\t%s\\t%s\\t%s' % (c.barman_home, c.barman_lock_directory, c.user, c.log_level))");

  @TempDir Path dir;

  @Test
  void everyOptionOfEveryServerMatchesBarman34() throws Exception {
    assumeTrue(barmanImportable(), "/usr/bin/python3 cannot import barman (install python3-barman)");
    Path confD = Files.createDirectories(dir.resolve("conf.d"));
    Path main = dir.resolve("barman.conf");
    Files.writeString(main, String.join("\n",
        "; main file",
        "[DEFAULT]",
        "pgport = 5433",
        "",
        "[barman]",
        "barman_home = " + dir.resolve("home"),
        "barman_user: postgres",
        "configuration_files_directory = " + confD,
        "log_level = DEBUG",
        "compression = gzip",
        "retention_policy = REDUNDANCY 2",
        "minimum_redundancy = 1",
        "archiver = on",
        "parallel_jobs = 3",
        "path_prefix = /usr/lib/postgresql/15/bin",
        "",
        "[pg1]",
        "# a server with everything",
        "description = 'Main server'",
        "Conninfo = host=db1 port=%(pgport)s user=barman password=s3cret dbname=postgres",
        "backup_method = POSTGRES",
        "streaming_archiver = yes",
        "slot_name = Barman_Slot",
        "retention_policy = RECOVERY WINDOW OF 2 weeks",
        "last_backup_maximum_age = 1 week",
        "last_wal_maximum_age = 3 hours",
        "last_backup_minimum_size = 2Gi",
        "check_timeout = 45",
        "check_timeout = 60",
        "immediate_checkpoint = true",
        "basebackup_retry_times = 2",
        "streaming_archiver_name = %(slot_name)s_receive",
        ""));
    Files.writeString(confD.resolve("a.conf"), String.join("\n",
        "[pg3]",
        "description = third",
        "conninfo = host=db3 port=%(pgport)s",
        "backup_options = external_configuration, concurrent_backup",
        "archiver_batch_size = 50",
        "create_slot = AUTO",
        "ssh_command = ssh postgres@db3",
        "recovery_options = get-wal",
        "[pg1]",
        "description = \"pg1, described again in a.conf\"",
        "network_compression = Off",
        ""));
    Files.writeString(confD.resolve("b.conf"), String.join("\n",
        "[pg2]",
        "active = false",
        "description = second",
        "   on two lines",
        "conninfo = host=db2 password='p w'",
        "streaming_conninfo = %(conninfo)s application_name=x",
        "backup_directory = " + dir.resolve("custom") + "/pg2",
        "wals_directory = %(backup_directory)s/w",
        "compression = None",
        "minimum_redundancy = 0",
        "wal_retention_policy = main",
        ""));
    Files.writeString(confD.resolve("c.conf-template"), "[ignored]\nconninfo = x\n");

    BarmanConfig ours = BarmanConfig.load(main);
    Map<String, Map<String, String>> theirs = new TreeMap<>();
    String global = "";
    for (String line : runBarman(main)) {
      String[] f = line.split("\t", -1);
      if (f[0].equals("ORACLE")) {
        theirs.computeIfAbsent(f[1], k -> new TreeMap<>()).put(f[2], f[3]);
      } else if (f[0].equals("ORACLE-GLOBAL")) {
        global = String.join("\t", f[1], f[2], f[3], f[4]);
      }
    }
    assertThat(ours.servers()).extracting(ServerConfig::name).containsExactly("pg1", "pg2", "pg3");
    assertThat(theirs.keySet()).containsExactly("pg1", "pg2", "pg3");
    for (ServerConfig server : ours.servers()) {
      assertThat(normalised(server)).as("server %s", server.name()).isEqualTo(theirs.get(server.name()));
    }
    // log_level is a number (logging.DEBUG) in Barman once parsed by the CLI; Config keeps the text
    assertThat(String.join("\t", ours.barmanHome().toString(), ours.lockDirectory().toString(), ours.barmanUser(),
        ours.logLevel())).isEqualTo(global);
    assertThat(ours.activeServers()).extracting(ServerConfig::name).containsExactly("pg1", "pg3");
  }

  private static Map<String, String> normalised(ServerConfig server) {
    Map<String, String> values = new TreeMap<>();
    server.values().forEach((k, v) -> values.put(k, v.replace("\n", "\\n")));
    server.lastBackupMaximumAge().ifPresent(d -> values.put("last_backup_maximum_age", "" + d.toSeconds()));
    server.lastWalMaximumAge().ifPresent(d -> values.put("last_wal_maximum_age", "" + d.toSeconds()));
    server.lastBackupMinimumSize().ifPresent(n -> values.put("last_backup_minimum_size", "" + n));
    assertThat(Options.SERVER_KEYS).containsAll(values.keySet());
    return values;
  }

  private static boolean barmanImportable() throws InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import barman.config").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private List<String> runBarman(Path main) throws Exception {
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, main.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }
}
