package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.barman4j.Progress;
import org.barman4j.Progress.Job;
import org.barman4j.Progress.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressLineTest {
  private static final long GIB = 1L << 30;
  private static final long MS = 1_000_000L;

  @TempDir Path tmp;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong(1_000 * MS);

  private static Progress backup(Phase phase, long done, long total, long files, long parts) {
    return new Progress(Job.BACKUP, phase, done, total < 0 ? OptionalLong.empty() : OptionalLong.of(total), files, parts);
  }

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sizesAreInBinaryUnitsWithOneDecimal() {
    assertThat(ProgressLine.size(0)).isEqualTo("0 B");
    assertThat(ProgressLine.size(1023)).isEqualTo("1023 B");
    assertThat(ProgressLine.size(1024)).isEqualTo("1.0 KiB");
    assertThat(ProgressLine.size(45L << 20)).isEqualTo("45.0 MiB");
    assertThat(ProgressLine.size(GIB + GIB / 5)).isEqualTo("1.2 GiB");
    assertThat(ProgressLine.size(3L << 40)).isEqualTo("3.0 TiB");
  }

  @Test
  void aKnownTotalGivesThePercentageAndTheRateFollowsOnceKnown() {
    Progress p = backup(Phase.COPYING, (long) (1.2 * GIB), (long) (3.4 * GIB), 812, 3);
    assertThat(ProgressLine.render("backup", p, OptionalDouble.of(45 << 20)))
        .isEqualTo("backup: copying 1.2 GiB of 3.4 GiB (35%), 812 files, 3 parts, 45.0 MiB/s");
    assertThat(ProgressLine.render("backup", p, OptionalDouble.empty()))
        .isEqualTo("backup: copying 1.2 GiB of 3.4 GiB (35%), 812 files, 3 parts");
  }

  @Test
  void anUnknownTotalGivesNoPercentageAndDoneIsAHundredPercent() {
    assertThat(ProgressLine.render("restore", new Progress(Job.RESTORE, Phase.COPYING, 5L << 20, OptionalLong.empty(),
        1, 1), OptionalDouble.empty())).isEqualTo("restore: copying 5.0 MiB, 1 file, 1 part");
    assertThat(ProgressLine.render("restore", new Progress(Job.RESTORE, Phase.DONE, 5L << 20, OptionalLong.empty(),
        2, 1), OptionalDouble.empty())).isEqualTo("restore: done 5.0 MiB (100%), 2 files, 1 part");
    assertThat(ProgressLine.render("backup", backup(Phase.STARTING, 0, -1, 0, 0), OptionalDouble.empty()))
        .isEqualTo("backup: starting");
    // PostgreSQL's estimate can be passed: the total shown is never less than what was done.
    assertThat(ProgressLine.render("backup", backup(Phase.FINISHING, 3 * GIB, 2 * GIB, 9, 2), OptionalDouble.empty()))
        .isEqualTo("backup: finishing 3.0 GiB of 3.0 GiB (100%), 9 files, 2 parts");
  }

  @Test
  void onATerminalTheLineIsRewrittenInPlaceAtMostFiveTimesASecondAndEndsWithANewline() {
    ProgressLine line = new ProgressLine(err, "backup", true, now::get);
    line.progress(backup(Phase.STARTING, 0, 100 << 20, 0, 0));
    line.progress(backup(Phase.COPYING, 0, 100 << 20, 0, 0)); // a new phase is always drawn
    now.addAndGet(50 * MS);
    line.progress(backup(Phase.COPYING, 10 << 20, 100 << 20, 10, 0)); // 50 ms later: skipped
    now.addAndGet(200 * MS);
    line.progress(backup(Phase.COPYING, 50 << 20, 100 << 20, 20, 1));
    now.addAndGet(250 * MS);
    line.progress(backup(Phase.DONE, 100 << 20, 100 << 20, 30, 2));
    line.close();

    String out = written();
    assertThat(out).startsWith("\rbackup: starting\r").endsWith("\n").doesNotContain("10 files");
    assertThat(out.split("\r", -1)).hasSize(5); // "" + four drawn states
    assertThat(out).contains("\rbackup: copying 0 B of 100.0 MiB (0%), 0 files, 0 parts")
        .contains("\rbackup: copying 50.0 MiB of 100.0 MiB (50%), 20 files, 1 part, 200.0 MiB/s")
        .contains("\rbackup: done 100.0 MiB of 100.0 MiB (100%), 30 files, 2 parts, 200.0 MiB/s");
    assertThat(out.chars().filter(c -> c == '\n')).as("one newline, at the end, close adds none").hasSize(1);
  }

  @Test
  void aShorterLineCoversTheLongerOneBeforeIt() {
    ProgressLine line = new ProgressLine(err, "backup", true, now::get);
    line.progress(backup(Phase.COPYING, 123456789, 999999999, 812, 3));
    String first = written().substring(1);
    bytes.reset();
    line.progress(backup(Phase.STOPPING, 0, -1, 0, 0));
    assertThat(written()).hasSize(1 + first.length()).startsWith("\rbackup: stopping 0 B, 0 files, 0 parts  ");
  }

  @Test
  void aFailedJobLeavesTheLineEndedSoTheErrorStartsOnItsOwnLine() {
    try (ProgressLine line = new ProgressLine(err, "restore", true, now::get)) {
      line.progress(new Progress(Job.RESTORE, Phase.COPYING, 1, OptionalLong.empty(), 0, 0));
    }
    assertThat(written()).startsWith("\rrestore: copying").endsWith("\n");
  }

  @Test
  void aStderrThatIsNotATerminalGetsNoBytesAtAll() {
    try (ProgressLine line = new ProgressLine(err, "backup", false, now::get)) {
      line.progress(backup(Phase.STARTING, 0, GIB, 0, 0));
      line.progress(backup(Phase.COPYING, GIB / 2, GIB, 5, 1));
      now.addAndGet(1000 * MS);
      line.progress(backup(Phase.DONE, GIB, GIB, 9, 2));
      assertThat(line.drawn()).isFalse();
    }
    assertThat(bytes.size()).isZero();
  }

  @Test
  void onlyATerminalDeviceIsATerminal() throws IOException {
    assertThat(ProgressLine.isTerminal(Files.createSymbolicLink(tmp.resolve("pts"), Path.of("/dev/pts/3")))).isTrue();
    assertThat(ProgressLine.isTerminal(Files.createSymbolicLink(tmp.resolve("tty"), Path.of("/dev/tty1")))).isTrue();
    assertThat(ProgressLine.isTerminal(Files.createSymbolicLink(tmp.resolve("pipe"), Path.of("pipe:[12345]"))))
        .isFalse();
    assertThat(ProgressLine.isTerminal(Files.createSymbolicLink(tmp.resolve("file"), tmp.resolve("log.txt"))))
        .isFalse();
    assertThat(ProgressLine.isTerminal(Files.createSymbolicLink(tmp.resolve("null"), Path.of("/dev/null"))))
        .isFalse();
    assertThat(ProgressLine.isTerminal(tmp.resolve("missing"))).isFalse();
    // An in-process caller's stream (the tests' own) is never taken for the terminal.
    assertThat(ProgressLine.onStderr(err, "backup").drawn()).isFalse();
  }
}
