package org.barman4j.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.barman4j.hooks.HookEnvironment.Phase;
import org.junit.jupiter.api.Test;

class HookEnvironmentTest {
  private static final String WAL = "/var/lib/barman/main/incoming/000000010000000000000005";

  /** What Barman 3.4 sets for a pre-archive hook (observed): the file in incoming/, no compression yet. */
  private static Map<String, String> preArchive(String hook) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", "/usr/bin:/bin");
    env.put("BARMAN_VERSION", "3.4.0");
    env.put("BARMAN_SERVER", "main");
    env.put("BARMAN_CONFIGURATION", "/etc/barman.conf");
    env.put("BARMAN_HOOK", hook);
    env.put("BARMAN_PHASE", "pre");
    env.put("BARMAN_RETRY", hook.endsWith("_retry_script") ? "1" : "0");
    env.put("BARMAN_ERROR", "");
    env.put("BARMAN_SEGMENT", "000000010000000000000005");
    env.put("BARMAN_FILE", WAL);
    env.put("BARMAN_SIZE", "16777216");
    env.put("BARMAN_TIMESTAMP", "1700000000.25");
    env.put("BARMAN_COMPRESSION", "");
    return env;
  }

  @Test
  void aPreArchiveHookNamesTheWalFileToArchive() {
    for (String hook : new String[] {"archive_script", "archive_retry_script"}) {
      HookEnvironment env = HookEnvironment.from(preArchive(hook)).orElseThrow();
      assertThat(env.hook()).isEqualTo(hook);
      assertThat(env.phase()).isEqualTo(Phase.PRE);
      assertThat(env.walToArchive()).hasValue(Path.of(WAL));
      assertThat(env.server()).hasValue("main");
      assertThat(env.segment()).hasValue("000000010000000000000005");
      assertThat(env.configuration()).hasValue(Path.of("/etc/barman.conf"));
      assertThat(env.variable("BARMAN_SIZE")).hasValue("16777216");
      assertThat(env.retry()).isEqualTo(hook.equals("archive_retry_script"));
    }
  }

  @Test
  void otherHooksAndPhasesHaveNoWalToArchive() {
    Map<String, String> post = preArchive("archive_script");
    post.put("BARMAN_PHASE", "post");
    assertThat(HookEnvironment.from(post).orElseThrow().walToArchive()).isEmpty();
    assertThat(HookEnvironment.from(post).orElseThrow().file()).hasValue(Path.of(WAL));
    Map<String, String> walDelete = preArchive("wal_delete_script");
    assertThat(HookEnvironment.from(walDelete).orElseThrow().walToArchive()).isEmpty();
    Map<String, String> noFile = preArchive("archive_script");
    noFile.remove("BARMAN_FILE");
    assertThat(HookEnvironment.from(noFile).orElseThrow().walToArchive()).isEmpty();
  }

  @Test
  void withoutAHookOrAKnownPhaseThereIsNoHookEnvironment() {
    assertThat(HookEnvironment.from(Map.of("PATH", "/bin", "BARMAN_FILE", WAL))).isEmpty();
    Map<String, String> emptyHook = preArchive("");
    assertThat(HookEnvironment.from(emptyHook)).isEmpty();
    Map<String, String> noPhase = preArchive("archive_script");
    noPhase.remove("BARMAN_PHASE");
    assertThat(HookEnvironment.from(noPhase)).isEmpty();
    Map<String, String> oddPhase = preArchive("archive_script");
    oddPhase.put("BARMAN_PHASE", "PRE");
    assertThat(HookEnvironment.from(oddPhase)).isEmpty();
  }

  @Test
  void aPostBackupHookGivesTheBackupAndEmptyValuesAreAbsent() {
    Map<String, String> env = new HashMap<>();
    env.put("BARMAN_HOOK", "backup_retry_script");
    env.put("BARMAN_PHASE", "post");
    env.put("BARMAN_SERVER", "main");
    env.put("BARMAN_BACKUP_DIR", "/var/lib/barman/main/base/20240101T000000");
    env.put("BARMAN_BACKUP_ID", "20240101T000000");
    env.put("BARMAN_BACKUP_INFO_PATH", "/var/lib/barman/main/meta/20240101T000000-backup.info");
    env.put("BARMAN_PREVIOUS_ID", "20231231T000000");
    env.put("BARMAN_NEXT_ID", "");
    env.put("BARMAN_STATUS", "WAITING_FOR_WALS");
    env.put("BARMAN_ERROR", "");
    HookEnvironment hook = HookEnvironment.from(env).orElseThrow();
    assertThat(hook.phase()).isEqualTo(Phase.POST);
    assertThat(hook.backupDirectory()).hasValue(Path.of("/var/lib/barman/main/base/20240101T000000"));
    assertThat(hook.backupId()).hasValue("20240101T000000");
    assertThat(hook.backupInfoPath()).hasValue(Path.of("/var/lib/barman/main/meta/20240101T000000-backup.info"));
    assertThat(hook.previousId()).hasValue("20231231T000000");
    assertThat(hook.nextId()).isEmpty();
    assertThat(hook.status()).hasValue("WAITING_FOR_WALS");
    assertThat(hook.error()).isEmpty();
    assertThat(hook.walToArchive()).isEmpty();
  }

  @Test
  void theEnvironmentForAScriptHasHookPhaseRetryAndTheVariables() {
    HookEnvironment hook = new HookEnvironment("recovery_retry_script", Phase.PRE,
        Map.of("BARMAN_SERVER", "main", "BARMAN_DESTINATION_DIRECTORY", "/srv/restore"));
    assertThat(hook.destinationDirectory()).hasValue(Path.of("/srv/restore"));
    assertThat(hook.toEnvironment()).containsExactly(
        Map.entry("BARMAN_HOOK", "recovery_retry_script"), Map.entry("BARMAN_PHASE", "pre"),
        Map.entry("BARMAN_RETRY", "1"), Map.entry("BARMAN_DESTINATION_DIRECTORY", "/srv/restore"),
        Map.entry("BARMAN_SERVER", "main"));
    assertThat(HookEnvironment.from(hook.toEnvironment())).hasValue(hook);
  }

  @Test
  void variablesThatFollowFromHookAndPhaseOrAreNotBarmansAreRefused() {
    assertThatThrownBy(() -> new HookEnvironment("archive_script", Phase.PRE, Map.of("BARMAN_RETRY", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BARMAN_RETRY");
    assertThatThrownBy(() -> new HookEnvironment("archive_script", Phase.PRE, Map.of("PATH", "/bin")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PATH");
    assertThatThrownBy(() -> new HookEnvironment("archive_script", Phase.PRE, Map.of("BARMAN_ERROR", "")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BARMAN_ERROR");
    assertThatThrownBy(() -> new HookEnvironment(" ", Phase.PRE, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
