package org.barman4j.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArgParserTest {
  private ArgParser parser() {
    return new ArgParser("tool", "test")
        .flag("gzip", "-z", "--gzip")
        .flag("bzip2", "-j", "--bzip2")
        .flag("verbose", "-v", "--verbose")
        .value("P", "profile", "-P", "--aws-profile", "--profile")
        .many("TAGS", "tags", "--tags")
        .value("K,V", "tag", "--tag")
        .positional("URL", "url")
        .positional("SERVER", "server")
        .optionalPositional("WAL", "wal")
        .exclusive("--gzip", "--bzip2");
  }

  @Test
  void longOptionsMayBeAbbreviatedToAUniquePrefix() throws Exception {
    ArgParser.Parsed p = parser().parse(new String[] {"--gz", "--aws-p", "x", "s3://b", "srv"});
    assertThat(p.has("--gzip")).isTrue();
    assertThat(p.value("--aws-profile")).hasValue("x");
    assertThat(p.positional("URL")).hasValue("s3://b");
    assertThat(p.positional("WAL")).isEmpty();
  }

  @Test
  void ambiguousAbbreviationsAreRejected() {
    assertThatThrownBy(() -> parser().parse(new String[] {"--ta", "a,b", "u", "s"}))
        .isInstanceOf(UsageException.class).hasMessageContaining("ambiguous option: --ta");
  }

  @Test
  void shortFlagsBundleAndShortValuesAttach() throws Exception {
    ArgParser.Parsed p = parser().parse(new String[] {"-zvv", "-Pprof", "u", "s", "w"});
    assertThat(p.has("--gzip")).isTrue();
    assertThat(p.count("--verbose")).isEqualTo(2);
    assertThat(p.value("--aws-profile")).hasValue("prof");
    assertThat(p.positional("WAL")).hasValue("w");
  }

  @Test
  void equalsFormAndRepeatsAndManyValuesAreCollected() throws Exception {
    ArgParser.Parsed p = parser().parse(new String[] {"--tags", "a,1", "b,2", "--tag=c,3", "--tag", "d,4", "u", "s"});
    assertThat(p.values("--tags")).containsExactly("a,1", "b,2");
    assertThat(p.values("--tag")).containsExactly("c,3", "d,4");
  }

  @Test
  void badCommandLinesGiveArgparseMessages() {
    assertThatThrownBy(() -> parser().parse(new String[] {"u"}))
        .isInstanceOf(UsageException.class).hasMessage("the following arguments are required: SERVER");
    assertThatThrownBy(() -> parser().parse(new String[] {"--nope", "u", "s"}))
        .isInstanceOf(UsageException.class).hasMessage("unrecognized arguments: --nope");
    assertThatThrownBy(() -> parser().parse(new String[] {"u", "s", "w", "extra"}))
        .isInstanceOf(UsageException.class).hasMessage("unrecognized arguments: extra");
    assertThatThrownBy(() -> parser().parse(new String[] {"-z", "-j", "u", "s"}))
        .isInstanceOf(UsageException.class).hasMessage("argument -j/--bzip2: not allowed with argument -z/--gzip");
    assertThatThrownBy(() -> parser().parse(new String[] {"u", "s", "-P"}))
        .isInstanceOf(UsageException.class).hasMessageContaining("expected one argument");
  }

  @Test
  void negativeNumbersAndASingleDashAreValues() throws Exception {
    ArgParser.Parsed p = parser().parse(new String[] {"--aws-p=-5", "-P", "-7", "-", "s"});
    assertThat(p.value("--aws-profile")).hasValue("-7");
    assertThat(p.positional("URL")).hasValue("-");
  }

  @Test
  void flagsTakeNoValueAndChoicesAreChecked() {
    assertThatThrownBy(() -> parser().parse(new String[] {"--gzip=1", "u", "s"}))
        .isInstanceOf(UsageException.class).hasMessageContaining("ignored explicit argument '1'");
    ArgParser choices = new ArgParser("t", "d").choice(java.util.List.of("a", "b"), "x", "--mode");
    assertThatThrownBy(() -> choices.parse(new String[] {"--mode", "c"}))
        .isInstanceOf(UsageException.class).hasMessage("argument --mode: invalid choice: 'c' (choose from a, b)");
  }

  @Test
  void doubleDashEndsOptions() throws Exception {
    ArgParser.Parsed p = parser().parse(new String[] {"u", "--", "-s"});
    assertThat(p.positional("SERVER")).hasValue("-s");
  }

  @Test
  void aVariadicPositionalTakesEveryRemainingValueAndNeedsOne() throws Exception {
    ArgParser variadic = new ArgParser("barman check", "test")
        .flag("nagios", "--nagios")
        .positional("COMMAND", "command")
        .positionals("SERVER_NAME", "servers");
    ArgParser.Parsed p = variadic.parse(new String[] {"check", "pg1", "--nagios", "pg2"});
    assertThat(p.positional("COMMAND")).hasValue("check");
    assertThat(p.positionals("SERVER_NAME")).containsExactly("pg1", "pg2");
    assertThat(p.has("--nagios")).isTrue();
    assertThatThrownBy(() -> variadic.parse(new String[] {"check"}))
        .isInstanceOf(UsageException.class).hasMessage("the following arguments are required: SERVER_NAME");
  }
}
