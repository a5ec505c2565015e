package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCliTest {
  @TempDir
  Path dir;
  Path conf;

  @BeforeEach
  void writeConfig() throws IOException {
    conf = CliRun.writeConfig(dir,
        "[pg]\ndescription = \"Test PG15\"\nconninfo = host=/tmp user=postgres password=secret\n"
        + "backup_method = postgres\narchiver = on\n\n"
        + "[old]\ndescription = Old\nconninfo = host=/tmp\nbackup_method = postgres\narchiver = on\nactive = false\n");
  }

  private CliRun.Result run(String... args) {
    return CliRun.on(conf).run(args);
  }

  @Test
  void listServersShowsEveryServerWithBarmansSuffixes() {
    CliRun.Result run = run("list-servers");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("old - Old (inactive)\npg - Test PG15\n");
    assertThat(run("list-server", "--minimal").out()).isEqualTo("old\npg\n");
  }

  @Test
  void jsonOutputIsOneSortedObjectWithoutNewline() {
    CliRun.Result run = run("-f", "json", "list-backups", "all");
    assertThat(run.out()).isEqualTo("{\"_INFO\": [\"Skipping inactive server 'old'\"], \"pg\": []}");
  }

  @Test
  void anUnknownServerIsAnErrorLineAndExitOne() {
    CliRun.Result run = run("list-backups", "nope");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Unknown server 'nope'\n");
  }

  @Test
  void allInASingleServerCommandIsRefused() {
    CliRun.Result run = run("keep", "all", "latest", "--status");
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
    CliRun.Result run = run("list-servers");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Configuration file '" + conf + "' does not exist\n");
  }

  @Test
  void showServersMasksPasswords() {
    CliRun.Result run = run("show-servers", "pg");
    assertThat(run.out()).startsWith("Server pg:\n").contains("\tconninfo: host=/tmp user=postgres password=*REDACTED*\n")
        .doesNotContain("secret");
    assertThat(run("-f", "json", "show-servers", "pg").out()).doesNotContain("secret");
  }

  @Test
  void anUnknownBackupIsBarmansError() {
    CliRun.Result run = run("keep", "pg", "20260101T000000", "--status");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Unknown backup '20260101T000000' for server 'pg'\n");
  }

  @Test
  void aBarmanHomeThatCannotBeCreatedIsOneLineWithItsReason() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    conf = dir.resolve("unreachable.conf");
    Files.writeString(conf, "[barman]\nbarman_home = " + file.resolve("home") + "\nbarman_user = "
        + System.getProperty("user.name") + "\n");
    CliRun.Result run = run("list-servers");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("ERROR: ").contains(file.toString()).isNotEqualTo("ERROR: " + file + "\n");
  }
}
