package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code barman cron} with REDUNDANCY 2 leaves what Debian's Barman 3.4 {@code cron} leaves, and prints the same. */
class CronBarman34OracleTest {
  private static final Path BARMAN = Path.of("/usr/bin/barman");

  @TempDir Path dir;

  private Path configure(String name) throws IOException {
    Path home = dir.resolve(name);
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(conf, "[barman]\nbarman_home = " + home + "\nbarman_user = " + System.getProperty("user.name")
        + "\nlog_file = " + dir.resolve(name + ".log") + "\n\n[pg]\ndescription = PG\nconninfo = host=localhost\n"
        + "streaming_conninfo = host=localhost\nbackup_method = postgres\narchiver = on\n"
        + "retention_policy = REDUNDANCY 2\n");
    for (String sub : List.of("incoming", "streaming", "errors", "wals/0000000100000000", "base")) {
      Files.createDirectories(home.resolve("pg").resolve(sub));
    }
    StringBuilder xlog = new StringBuilder();
    for (int i = 1; i <= 9; i++) {
      String wal = String.format("00000001%016X", i);
      Files.writeString(home.resolve("pg/wals/0000000100000000").resolve(wal), wal);
      xlog.append(wal).append("\t24\t1796296067.0\tNone\n");
    }
    Files.writeString(home.resolve("pg/wals/xlog.db"), xlog);
    for (int day = 1; day <= 4; day++) {
      String id = "2026120" + day + "T100000";
      String wal = String.format("00000001%016X", day * 2);
      Path b = home.resolve("pg/base").resolve(id);
      Files.createDirectories(b.resolve("data"));
      Files.writeString(b.resolve("backup.info"), "backup_id=" + id + "\nstatus=DONE\nserver_name=pg\nmode=postgres\n"
          + "begin_wal=" + wal + "\nend_wal=" + wal + "\ntimeline=1\nbegin_time=2026-12-0" + day + " 10:00:00+00:00\n"
          + "end_time=2026-12-0" + day + " 10:05:00+00:00\nversion=150004\nxlog_segment_size=16777216\n"
          + "tablespaces=None\n");
    }
    return conf;
  }

  @Test
  void cronLeavesWhatBarmanLeaves() throws Exception {
    assumeThat(Files.isExecutable(BARMAN)).as("Barman 3.4 is not installed").isTrue();
    Path theirs = configure("barman");
    Path ours = configure("ours");

    Process process = new ProcessBuilder(BARMAN.toString(), "-c", theirs.toString(), "cron")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String barmanOut = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();

    CliRun.Result run = CliRun.on(ours).run("cron");

    assertThat(run.code()).isZero();
    assertThat(timeless(run.out())).isEqualTo(timeless(barmanOut));
    assertThat(barmanOut).contains("Enforcing retention policy: removing backup 20261202T100000 for server pg");
    assertThat(tree(dir.resolve("ours/pg"))).isEqualTo(tree(dir.resolve("barman/pg")));
    assertThat(Files.readString(dir.resolve("ours/pg/wals/xlog.db")))
        .isEqualTo(Files.readString(dir.resolve("barman/pg/wals/xlog.db")));
  }

  private static String timeless(String text) {
    return text.replaceAll("\\(start time: [^)]*\\)", "(start time: …)");
  }

  private static Map<String, Long> tree(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        files.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.size(p) : -1L);
      }
    }
    return files;
  }
}
