package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barman_user} through the distribution's {@code bin/barman}: root's command runs as the configured user
 * (what it creates belongs to that user), another user is refused with Barman 3.4's line and exit code.
 */
class BarmanUserIT {
  @TempDir
  Path tmp;

  record Result(int code, String out, String err) {}

  private static Result exec(List<String> command) throws Exception {
    Path err = Files.createTempFile("barman-user", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.delete(err);
    }
  }

  @Test
  void rootRunsTheCommandAsTheBarmanUserAndOthersAreRefused() throws Exception {
    assumeThat(System.getProperty("user.name")).as("runs as root").isEqualTo("root");
    assumeThat(exec(List.of("id", "-u", "barman")).code()).as("user barman exists").isZero();
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path home = tmp.resolve("home");
    Path conf = tmp.resolve("barman.conf");
    Files.writeString(conf, "[barman]\nbarman_home = " + home + "\nbarman_user = barman\nlog_file = "
        + tmp.resolve("barman.log") + "\n\n[pg]\ndescription = Main\nconninfo = host=/nonexistent\n"
        + "backup_method = postgres\narchiver = on\n");
    Path barman = Path.of(System.getProperty("barman4j.home"), "bin", "barman");

    Result ours = exec(List.of(barman.toString(), "-c", conf.toString(), "list-servers"));
    assertThat(ours.code()).as(ours.err()).isZero();
    assertThat(ours.out()).isEqualTo("pg - Main\n");
    assertThat(Files.getOwner(home).getName()).as("barman_home made by the barman user").isEqualTo("barman");

    // another user than barman and root: Barman's refusal, byte for byte
    List<String> asPostgres = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    Result theirs = exec(concat(asPostgres, Barman34Oracle.BARMAN.toString(), "-c", conf.toString(), "list-servers"));
    ours = exec(concat(asPostgres, barman.toString(), "-c", conf.toString(), "list-servers"));
    assertThat(theirs.err()).isEqualTo("ERROR: please run barman as 'barman' user\n");
    assertThat(ours).isEqualTo(theirs);

    Files.writeString(conf, Files.readString(conf).replace("barman_user = barman", "barman_user = nosuchuser"));
    theirs = exec(List.of(Barman34Oracle.BARMAN.toString(), "-c", conf.toString(), "list-servers"));
    ours = exec(List.of(barman.toString(), "-c", conf.toString(), "list-servers"));
    assertThat(ours).isEqualTo(theirs);
    assertThat(ours.code()).isEqualTo(1);
  }

  private static List<String> concat(List<String> prefix, String... rest) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(rest));
    return all;
  }
}
