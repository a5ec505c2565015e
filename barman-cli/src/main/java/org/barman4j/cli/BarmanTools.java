package org.barman4j.cli;

import java.io.PrintStream;
import java.util.Arrays;
import org.barman4j.cloud.CloudTools;
import org.barman4j.internal.cli.ConsoleCharset;

/**
 * Entry point of the distribution's launchers, {@code BarmanTools TOOL ARGS…}: {@code barman} runs the
 * server command ({@link ServerCli}); the {@code barman-cloud-*} tools (and the class-data archive's training
 * run) go to their own entry point.
 */
public final class BarmanTools {
  private BarmanTools() {}

  /** Runs the tool named by {@code args[0]} and exits with its code. */
  public static void main(String[] args) {
    if (args.length == 0 || !args[0].equals(ServerCli.NAME)) {
      CloudTools.main(args);
      return;
    }
    PrintStream out = new PrintStream(System.out, true, ConsoleCharset.of("stdout"));
    PrintStream err = new PrintStream(System.err, true, ConsoleCharset.of("stderr"));
    int code = new ServerCli(System.getenv(), out, err).run(Arrays.copyOfRange(args, 1, args.length));
    out.flush();
    err.flush();
    System.exit(code);
  }
}
