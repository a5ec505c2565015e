package org.barman4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.barman4j.server.ConfigFinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  private static final String CONF = String.join("\n",
      "# comment",
      "archive_command = 'cp %p /archive/%f'   # the origin's",
      "  recovery_target_time='2020-01-01'",
      "recovery_target_name something",
      "#archive_command = 'commented'",
      "data_directory = '/var/lib/postgresql/15/main'",
      "include_dir 'conf.d'",
      "shared_buffers = 128MB",
      "") + "archive_mode = on";
  private static final List<String> APPENDED = List.of("restore_command = 'cp barman_wal/%f %p'",
      "recovery_target = 'immediate'");

  @TempDir Path dir;

  @Test
  void dangerousSettingsAreCommentedOutTheOriginalIsKeptAndTheRecoverySettingsAppended() throws Exception {
    Path file = Files.writeString(dir.resolve("postgresql.conf"), CONF);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    List<ConfigFinding> changes = ConfigFiles.mangle(file, APPENDED);

    assertThat(changes).containsExactly(
        new ConfigFinding("postgresql.conf", 1, "archive_command", "false"),
        new ConfigFinding("postgresql.conf", 2, "recovery_target_time", "None"),
        new ConfigFinding("postgresql.conf", 3, "recovery_target_name", "None"));
    assertThat(Files.readString(dir.resolve("postgresql.conf.origin"))).isEqualTo(CONF);
    assertThat(Files.readString(file)).isEqualTo(String.join("\n",
        "# comment",
        "#BARMAN#archive_command = 'cp %p /archive/%f'   # the origin's",
        "archive_command = false",
        "#BARMAN#  recovery_target_time='2020-01-01'",
        "#BARMAN#recovery_target_name something",
        "#archive_command = 'commented'",
        "data_directory = '/var/lib/postgresql/15/main'",
        "include_dir 'conf.d'",
        "shared_buffers = 128MB",
        "archive_mode = on",
        "restore_command = 'cp barman_wal/%f %p'",
        "recovery_target = 'immediate'",
        ""));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    assertThat(ConfigFiles.dangerous(file)).containsExactly(
        new ConfigFinding("postgresql.conf", 6, "data_directory", "'/var/lib/postgresql/15/main'"),
        new ConfigFinding("postgresql.conf", 7, "include_dir", "'conf.d'"));
  }

  @Test
  void theResultIsByteForByteBarman34s() throws Exception {
    assumeTrue(Files.isRegularFile(Path.of("/usr/lib/python3/dist-packages/barman/recovery_executor.py")),
        "Barman 3.4 is not installed");
    for (String text : List.of(CONF, CONF + "\n", "", "only = 1\n\n")) {
      Path ours = Files.writeString(dir.resolve("postgresql.auto.conf"), text);
      Path theirs = Files.createDirectories(dir.resolve("barman")).resolve("postgresql.auto.conf");
      Files.writeString(theirs, text);
      List<String> found = new ArrayList<>();
      ConfigFiles.mangle(ours, APPENDED).forEach(f -> found.add(f.describe()));
      ConfigFiles.dangerous(ours).forEach(f -> found.add(f.describe()));

      String script = "import sys\n"
          + "from barman.recovery_executor import ConfigurationFileMangeler, ConfigIssueDetection\n"
          + "f = sys.argv[1]\n"
          + "a = ConfigurationFileMangeler().mangle_options(f, f + '.origin', sys.argv[2:])\n"
          + "a += ConfigIssueDetection().detect_issues(f)\n"
          + "for x in a: print('%s line %s: %s = %s' % (x.filename, x.line, x.key, x.value))\n";
      List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", script, theirs.toString()));
      command.addAll(APPENDED);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();

      assertThat(Files.readString(ours)).as(text).isEqualTo(Files.readString(theirs));
      assertThat(Files.readString(dir.resolve("postgresql.auto.conf.origin")))
          .isEqualTo(Files.readString(theirs.resolveSibling("postgresql.auto.conf.origin")));
      assertThat(found).as(text).isEqualTo(out.lines().toList());
    }
  }
}
