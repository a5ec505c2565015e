package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code barman_user}: Barman's refusal for other users, and root handing the command over. */
class BarmanUserTest {
  @TempDir
  Path dir;

  /** Accounts with {@code barman} (uid 102), {@code alice} (uid 1000) and root; records what is re-run. */
  static final class FakeAccounts implements Accounts {
    final String name;
    final long uid;
    final List<String> reruns = new ArrayList<>();

    FakeAccounts(String name, long uid) {
      this.name = name;
      this.uid = uid;
    }

    @Override
    public String currentName() {
      return name;
    }

    @Override
    public long currentUid() {
      return uid;
    }

    @Override
    public Optional<Account> lookup(String user) {
      return switch (user) {
        case "barman" -> Optional.of(new Account("barman", 102, Path.of("/var/lib/barman")));
        case "alice" -> Optional.of(new Account("alice", 1000, Path.of("/home/alice")));
        case "root" -> Optional.of(new Account("root", 0, Path.of("/root")));
        default -> Optional.empty();
      };
    }

    @Override
    public int rerun(Account account, Path config, List<String> args) {
      reruns.add(account.name() + " " + config + " " + String.join(" ", args));
      return 3;
    }
  }

  record Run(int code, String out, String err) {}

  private Run run(FakeAccounts accounts, String user, String... args) throws Exception {
    Path conf = dir.resolve("barman.conf");
    Files.writeString(conf, "[barman]\nbarman_home = " + dir.resolve("home") + "\nbarman_user = " + user
        + "\n\n[pg]\nconninfo = host=/tmp\nbackup_method = postgres\narchiver = on\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("-c", conf.toString()));
    all.addAll(List.of(args));
    int code = new ServerCli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemDefaultZone(), accounts)
        .run(all.toArray(String[]::new));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anotherUserIsRefusedAsBarmanRefusesIt() throws Exception {
    Run run = run(new FakeAccounts("alice", 1000), "barman", "-f", "json", "list-servers");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("ERROR: please run barman as 'barman' user\n");
    assertThat(dir.resolve("home")).doesNotExist();
  }

  @Test
  void anUnknownUserIsBarmansMessage() throws Exception {
    Run run = run(new FakeAccounts("alice", 1000), "nosuchuser", "list-servers");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("ERROR: the configured user 'nosuchuser' does not exists\n");
  }

  @Test
  void rootRunsTheCommandAgainAsTheBarmanUser() throws Exception {
    FakeAccounts root = new FakeAccounts("root", 0);
    Run run = run(root, "barman", "-f", "json", "list-servers");
    assertThat(run.code()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(root.reruns).containsExactly("barman " + dir.resolve("barman.conf") + " -c "
        + dir.resolve("barman.conf") + " -f json list-servers");
    assertThat(dir.resolve("home")).doesNotExist();
  }

  @Test
  void theConfiguredUserRunsTheCommand() throws Exception {
    FakeAccounts barman = new FakeAccounts("barman", 102);
    Run run = run(barman, "barman", "list-servers");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("pg\n");
    assertThat(barman.reruns).isEmpty();
  }
}
