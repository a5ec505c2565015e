package org.barman4j.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupIdTest {
  @Test
  void anIdIsTheLocalStartTimeInBarmansFormat() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T22:06:14.789Z"), ZoneId.of("Europe/Paris"));

    BackupId id = BackupId.now(clock);

    assertThat(id.value()).isEqualTo("20261121T230614");
    assertThat(id.toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 11, 21, 23, 6, 14));
  }

  @Test
  void idsSortInTimeOrder() {
    List<BackupId> ids = new ArrayList<>(List.of(BackupId.parse("20261121T230614"), BackupId.parse("20251231T235959"),
        BackupId.parse("20261121T230613")));
    Collections.sort(ids);

    assertThat(ids).extracting(BackupId::value).containsExactly("20251231T235959", "20261121T230613", "20261121T230614");
  }

  @Test
  void textThatIsNotAnIdIsRejected() {
    for (String bad : List.of("", "latest", "20261121230614", "20261121T23061", "20261121t230614", "2026112XT230614",
        "x20261121T230614")) {
      assertThat(BackupId.isValid(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> BackupId.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid backup ID");
    }
  }

  @Test
  void namesEndingLikeAnIdLookLikeOneAsBarmanChecksThem() {
    assertThat(BackupId.looksLikeBackupId("nightly-20261121T230614")).isTrue();
    assertThat(BackupId.looksLikeBackupId("nightly")).isFalse();
  }
}
