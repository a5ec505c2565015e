package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCliTest {
  @TempDir
  Path dir;
  Path conf;

  /** What one run printed, and its exit code. */
  record Run(int code, String out, String err) {}

  @BeforeEach
  void writeConfig() throws IOException {
    conf = dir.resolve("barman.conf");
    Files.writeString(conf, "[barman]\nbarman_home = " + dir.resolve("home") + "\nbarman_user = root\n\n"
        + "[pg]\ndescription = \"Test PG15\"\nconninfo = host=/tmp user=postgres password=secret\n"
        + "backup_method = postgres\narchiver = on\n\n"
        + "[old]\ndescription = Old\nconninfo = host=/tmp\nbackup_method = postgres\narchiver = on\nactive = false\n");
  }

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 2];
    all[0] = "-c";
    all[1] = conf.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = new ServerCli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void listServersShowsEveryServerWithBarmansSuffixes() {
    Run run = run("list-servers");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("old - Old (inactive)\npg - Test PG15\n");
    assertThat(run("list-server", "--minimal").out()).isEqualTo("old\npg\n");
  }

  @Test
  void jsonOutputIsOneSortedObjectWithoutNewline() {
    Run run = run("-f", "json", "list-backups", "all");
    assertThat(run.out()).isEqualTo("{\"_INFO\": [\"Skipping inactive server 'old'\"], \"pg\": []}");
  }

  @Test
  void anUnknownServerIsAnErrorLineAndExitOne() {
    Run run = run("list-backups", "nope");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Unknown server 'nope'\n");
  }

  @Test
  void allInASingleServerCommandIsRefused() {
    Run run = run("keep", "all", "latest", "--status");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: You cannot use 'all' in a single server context\n");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("no-such-command").code()).isEqualTo(2);
    assertThat(run("list-backups").code()).isEqualTo(2);
    assertThat(run("list-backups", "--bogus", "pg").code()).isEqualTo(2);
  }

  @Test
  void aMissingConfigurationFileIsOneLineAndExitOne() {
    conf = dir.resolve("missing.conf");
    Run run = run("list-servers");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Configuration file '" + conf + "' does not exist\n");
  }

  @Test
  void showServersMasksPasswords() {
    Run run = run("show-servers", "pg");
    assertThat(run.out()).startsWith("Server pg:\n").contains("\tconninfo: host=/tmp user=postgres password=*REDACTED*\n")
        .doesNotContain("secret");
    assertThat(run("-f", "json", "show-servers", "pg").out()).doesNotContain("secret");
  }

  @Test
  void anUnknownBackupIsBarmansError() {
    Run run = run("keep", "pg", "20260101T000000", "--status");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Unknown backup '20260101T000000' for server 'pg'\n");
  }
}
