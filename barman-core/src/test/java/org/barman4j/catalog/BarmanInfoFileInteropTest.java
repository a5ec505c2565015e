package org.barman4j.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.barman4j.internal.Json;
import org.barman4j.wal.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Barman 3.4's own {@code barman.infofile} (Debian package python3-barman) reads the {@code backup.info}
 * files this library writes, writes them back byte for byte, and renders the same JSON.
 */
class BarmanInfoFileInteropTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final BackupId ID = BackupId.parse("20261121T230614");

  // Loads a backup.info with Barman's class, then prints it re-saved, a separator and its JSON.
  private static final String SCRIPT = String.join("\n",
      "import io, json, sys",
      "from barman.infofile import BackupInfo",
      "b = BackupInfo(backup_id=sys.argv[2])",
      "b.load(filename=sys.argv[1])",
      "out = io.BytesIO()",
      "b.save(file_object=out)",
      "sys.stdout.write(out.getvalue().decode('utf-8'))",
      "sys.stdout.write('----\\n')",
      "sys.stdout.write(json.dumps(b.to_json()))");

  @TempDir Path tmp;

  private String[] barman(String content) throws IOException, InterruptedException {
    Path file = tmp.resolve("backup.info");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    if (!Files.exists(Path.of("/usr/lib/python3/dist-packages/barman/infofile.py"))) {
      fail("Barman's Python package is missing: install the Debian package python3-barman");
    }
    Process process = new ProcessBuilder(PYTHON, "-c", SCRIPT, file.toString(), ID.value())
        .redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("python3 timed out");
    }
    if (process.exitValue() != 0) {
      return new String[] {null, new String(err, StandardCharsets.UTF_8)};
    }
    String text = new String(out, StandardCharsets.UTF_8);
    int separator = text.indexOf("----\n");
    return new String[] {text.substring(0, separator), text.substring(separator + 5)};
  }

  private static BackupInfo rich() {
    return BackupInfo.builder(ID).status(BackupStatus.DONE).version(150020).timeline(1)
        .pgdata("/var/lib/postgresql/15/main").systemId("7710763581913052314")
        .configFile("/etc/postgresql/15/main/postgresql.conf").hbaFile("/etc/postgresql/15/main/pg_hba.conf")
        .identFile("/etc/postgresql/15/main/pg_ident.conf")
        .beginTime(OffsetDateTime.parse("2026-11-21T23:06:14.068415Z"))
        .endTime(OffsetDateTime.parse("2026-11-21T23:06:24+01:00"))
        .beginXlog(Lsn.parse("0/D000028")).endXlog(Lsn.parse("0/D000138"))
        .beginWal("00000001000000000000000D").endWal("00000001000000000000000D").beginOffset(40).endOffset(312)
        .backupName("night's \"best\" \u00e9t\u00e9")
        .backupLabel("START WAL LOCATION: 0/D000028 (file 00000001000000000000000D)\nLABEL: it's \\ \"quoted\"\n")
        .tablespaces(List.of(new Tablespace("ts1", 16384, "/srv/tbl'spc1"), new Tablespace("ts2", 16385, "/srv/t2")))
        .copyStats("{'total_time': 12.199953, 'number_of_workers': 2, 'copy_time': 1e-05, 'x': [1, (2,), None, True]}")
        .build();
  }

  @Test
  void barman34ReadsWhatWeWriteAndWritesItBackByteForByte() throws Exception {
    for (BackupInfo info : List.of(rich(), rich().failed("failure uploading data (boom)"),
        BackupInfo.builder(ID).status(BackupStatus.STARTED).build())) {
      String ours = BackupInfoFormat.write(info);

      String[] theirs = barman(ours);

      assertThat(theirs[0]).as(theirs[1]).isEqualTo(ours);
    }
  }

  @Test
  void barman34RejectsNewerFieldsWhichIsWhyWeNeverWriteThem() throws Exception {
    String newer = BackupInfoFormatTest.resource("barman-3.17.backup.info");

    assertThat(barman(newer)[0]).as("Barman 3.4 fails on a 3.17 file").isNull();
    String ours = BackupInfoFormat.write(BackupInfoFormat.read(ID, newer, ZoneOffset.UTC));
    assertThat(barman(ours)[0]).isEqualTo(ours);
  }

  @Test
  void ourJsonIsBarmansJsonPlusTheIsoTimesOfLaterVersions() throws Exception {
    BackupInfo info = rich();
    Map<String, Object> json = BackupInfoJson.toJson(info);
    json.remove("begin_time_iso");
    json.remove("end_time_iso");

    assertThat(barman(BackupInfoFormat.write(info))[1]).isEqualTo(Json.write(json));
  }

  @Test
  void wordsBarmanWritesReadBackIntoTheSameValues() throws Exception {
    String ours = BackupInfoFormat.write(rich());
    List<String> lines = new ArrayList<>(List.of(barman(ours)[0].split("\n")));

    assertThat(BackupInfoFormat.read(ID, String.join("\n", lines) + "\n", ZoneOffset.UTC)).isEqualTo(rich());
  }
}
