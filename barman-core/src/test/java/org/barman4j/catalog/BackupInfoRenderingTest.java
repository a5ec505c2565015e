package org.barman4j.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupInfoRenderingTest {
  private static final BackupId ID = BackupId.parse("20261121T230614");

  private static BackupInfo example() {
    return BackupInfoFormat.read(ID, BackupInfoFormatTest.resource("barman-3.17.backup.info"), ZoneOffset.UTC);
  }

  @Test
  void theJsonFormHasBarmansKeysInBarmansOrder() {
    assertThat(BackupInfoJson.toJson(example()).keySet()).containsExactly("backup_label", "begin_offset", "begin_time",
        "begin_wal", "begin_xlog",
        "children_backup_ids", "cluster_size", "compression", "config_file", "copy_stats", "data_checksums",
        "deduplicated_size", "encryption", "end_offset", "end_time", "end_wal", "end_xlog", "error", "hba_file",
        "ident_file", "included_files", "mode", "parent_backup_id", "pgdata", "server_name", "size", "status",
        "summarize_wal", "systemid", "tablespaces", "timeline", "version", "xlog_segment_size", "backup_id",
        "begin_time_iso", "end_time_iso");
  }

  @Test
  void theJsonFormRendersValuesAsBarmansToJson() {
    String json = BackupInfoJson.write(example());

    assertThat(json).startsWith("{\"backup_label\": \"'START WAL LOCATION: 0/D000028 (file 00000001000000000000000D)"
        + "\\\\nCHECKPOINT LOCATION: 0/D000098\\\\n");
    assertThat(json).contains("\"begin_offset\": 40, \"begin_time\": \"Sat Nov 21 23:06:14 2026\", "
        + "\"begin_wal\": \"00000001000000000000000D\", \"begin_xlog\": \"0/D000028\", \"children_backup_ids\": null, "
        + "\"cluster_size\": 57940525, \"compression\": null, ");
    assertThat(json).contains("\"copy_stats\": {\"total_time\": 12.199953, \"number_of_workers\": 2, "
        + "\"analysis_time\": 0, \"analysis_time_per_item\": {\"16384\": 0, \"data\": 0}, ");
    assertThat(json).contains("\"data_checksums\": \"on\", \"deduplicated_size\": null, \"encryption\": null, "
        + "\"end_offset\": 312, \"end_time\": \"Sat Nov 21 23:06:24 2026\"");
    assertThat(json).contains("\"server_name\": \"cloud\", \"size\": null, \"status\": \"DONE\", "
        + "\"summarize_wal\": null, \"systemid\": \"7710763581913052314\", "
        + "\"tablespaces\": [[\"ts1\", 16384, \"/srv/tblspc1\"]], \"timeline\": 1, \"version\": 150020, "
        + "\"xlog_segment_size\": 16777216, \"backup_id\": \"20261121T230614\", "
        + "\"begin_time_iso\": \"2026-11-21T23:06:14.068415+00:00\", "
        + "\"end_time_iso\": \"2026-11-21T23:06:24.202042+00:00\"}");
  }

  @Test
  void aFailedBackupHasNoIsoTimesForAbsentTimesAndNoHiddenFields() {
    BackupInfo failed = BackupInfo.builder(ID).status(BackupStatus.FAILED).error("failure uploading data (boom)")
        .build();

    String json = BackupInfoJson.write(failed);

    assertThat(json).contains("\"begin_time\": null", "\"error\": \"failure uploading data (boom)\"",
        "\"tablespaces\": null", "\"status\": \"FAILED\"")
        .doesNotContain("_iso", "backup_name", "snapshots_info").endsWith("\"backup_id\": \"20261121T230614\"}");
  }

  @Test
  void theConsoleFormLooksLikeBarmansShowBackup() {
    List<String> lines = BackupInfoText.render(example());

    assertThat(lines).containsExactly(
        "Backup 20261121T230614:",
        "  Server Name            : cloud",
        "  System Id              : 7710763581913052314",
        "  Status                 : DONE",
        "  PostgreSQL Version     : 150020",
        "  PGDATA directory       : /var/lib/postgresql/15/main",
        "  Estimated Cluster Size : 55.3 MiB",
        "",
        "  Server information:",
        "    Checksums            : on",
        "",
        "  Tablespaces:",
        "    ts1                  : /srv/tblspc1 (oid: 16384)",
        "",
        "  Base backup information:",
        "    Timeline             : 1",
        "    Begin WAL            : 00000001000000000000000D",
        "    End WAL              : 00000001000000000000000D",
        "    Begin time           : 2026-11-21 23:06:14.068415+00:00",
        "    End time             : 2026-11-21 23:06:24.202042+00:00",
        "    Copy time            : 6 seconds",
        "    Begin Offset         : 40",
        "    End Offset           : 312",
        "    Begin LSN            : 0/D000028",
        "    End LSN              : 0/D000138",
        "");
  }

  @Test
  void theConsoleFormOfAFailedBackupShowsItsError() {
    BackupInfo failed = BackupInfo.builder(ID).status(BackupStatus.FAILED).backupName("nightly")
        .error("failure uploading data (boom)").build();

    assertThat(BackupInfoText.render(failed)).containsExactly("Backup 20261121T230614:",
        "  Backup Name            : nightly", "  Server Name            : cloud", "  Status                 : FAILED", "",
        "  Error                  : failure uploading data (boom)");
  }

  @Test
  void durationsAndSizesReadAsBarmanWritesThem() {
    assertThat(BackupInfoText.humanDuration(0.5)).isEqualTo("less than one second");
    assertThat(BackupInfoText.humanDuration(1)).isEqualTo("1 second");
    assertThat(BackupInfoText.humanDuration(3723)).isEqualTo("1 hour, 2 minutes and 3 seconds");
    assertThat(BackupInfoText.humanDuration(2 * 86400 + 60)).isEqualTo("2 days and 1 minute");
    assertThat(BackupInfoText.prettySize(512)).isEqualTo("512 B");
    assertThat(BackupInfoText.prettySize(1536)).isEqualTo("1.5 KiB");
    assertThat(BackupInfoText.prettySize(57940525)).isEqualTo("55.3 MiB");
  }
}
