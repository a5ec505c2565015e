package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code barman backup} and {@code switch-wal} refusals: one line, exit 1, nothing written. */
class BackupCommandTest {
  @TempDir
  Path dir;
  Path conf;

  @BeforeEach
  void writeConfig() throws IOException {
    conf = CliRun.writeConfig(dir,
        "[down]\nconninfo = host=127.0.0.1 port=1 user=postgres connect_timeout=5\n"
        + "backup_method = postgres\narchiver = on\n\n"
        + "[rs]\nconninfo = host=127.0.0.1 port=1\nssh_command = ssh pg\narchiver = on\n");
  }

  private CliRun.Result run(String... args) {
    return CliRun.on(conf).run(args);
  }

  @Test
  void anRsyncServerIsRefusedInOneLine() {
    CliRun.Result run = run("backup", "rs");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Server 'rs' has backup_method = rsync, which this version cannot run yet:"
        + " use backup_method = postgres\n");
    assertThat(dir.resolve("home/rs/base")).doesNotExist();
  }

  @Test
  void anUnreachableServerIsRefusedInOneLine() {
    CliRun.Result run = run("backup", "down");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("ERROR: Impossible to start the backup of server 'down': Cannot connect to postgres")
        .endsWith("\n").hasLineCount(1);
    assertThat(dir.resolve("home/down/base")).doesNotExist();
  }

  @Test
  void aReservedNameIsRefused() {
    CliRun.Result run = run("backup", "--name", "latest", "down");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: Backup name 'latest' is not allowed: reserved word\n");
  }

  @Test
  void switchWalOnAnUnreachableServerIsAnError() {
    CliRun.Result run = run("switch-wal", "down");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("ERROR: Unable to perform pg_switch_wal for server 'down': ").hasLineCount(1);
    assertThat(run("switch-xlog", "nope").err()).isEqualTo("ERROR: Unknown server 'nope'\n");
  }
}
