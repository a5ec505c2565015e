package org.barman4j.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import org.barman4j.cloud.internal.StartupTraining;
import org.barman4j.internal.RedactingOutputStream;
import org.barman4j.internal.SecretRedactor;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ConsoleCharset;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.ExitCodes;
import org.barman4j.internal.cli.UsageException;

/**
 * Entry point of the {@code barman-cloud-*} commands: {@code CloudTools TOOL_NAME ARGS…}. Parses the
 * arguments as Barman does, runs the tool and maps failures to barman-cloud's exit codes, printing one
 * line on stderr.
 */
public final class CloudTools {
  private static final List<String> NAMES = List.of("barman-cloud-wal-archive", "barman-cloud-wal-restore",
      "barman-cloud-backup", "barman-cloud-restore", "barman-cloud-backup-list", "barman-cloud-backup-show",
      "barman-cloud-backup-delete", "barman-cloud-backup-keep", "barman-cloud-check-wal-archive");

  private CloudTools() {}

  /** Runs the tool named by {@code args[0]} and exits with its code. */
  public static void main(String[] args) {
    // The Azure backend's HTTP client (the JDK's) may then send Content-Length itself; without this, azure-core
    // logs a warning per request on stderr, which archive_command puts in the PostgreSQL log. Set before any
    // java.net.http class loads, which read it once.
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "content-length");
    }
    // Everything printed goes through one redaction filter, installed before any logger or SDK class loads:
    // slf4j-simple and java.util.logging's console handler write to System.err, the Azure SDK's fallback
    // logger to System.out, and the SDKs' request logs (-vv) carry signatures and tokens.
    SecretRedactor redactor = SecretRedactor.fromEnvironment(System.getenv());
    RedactingOutputStream outSink = new RedactingOutputStream(System.out, redactor);
    RedactingOutputStream errSink = new RedactingOutputStream(System.err, redactor);
    System.setOut(new PrintStream(outSink, true, ConsoleCharset.of("stdout")));
    System.setErr(new PrintStream(errSink, true, ConsoleCharset.of("stderr")));
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.err.flush();
    try {
      outSink.drain();
      errSink.drain();
    } catch (IOException e) {
      // stdout or stderr closed: nothing left to tell
    }
    System.exit(code);
  }
  /** Runs the tool named by {@code args[0]} and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: CloudTools TOOL [ARGS...] where TOOL is one of " + names());
      return ExitCode.CLI_ERROR.code();
    }
    if (args[0].equals(StartupTraining.TOOL)) {
      return StartupTraining.run(out, err); // bin/barman4j-setup's run that records the class-data archive
    }
    CloudTool tool = tool(args[0]);
    if (tool == null) {
      err.println("Unknown tool '" + args[0] + "'; expected one of " + names());
      return ExitCode.CLI_ERROR.code();
    }
    ArgParser parser = new ArgParser(tool.name(), tool.description());
    CloudContext.declareCommon(parser);
    tool.declare(parser);
    String[] toolArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
    ArgParser.Parsed parsed;
    try {
      parsed = parser.parse(toolArgs);
    } catch (UsageException e) {
      ExitCodes.Failure failure = ExitCodes.failure(tool.name(), e);
      err.println(failure.line());
      return failure.exitCode().code();
    }
    if (parsed.has("--help")) {
      out.print(parser.help());
      return ExitCode.OK.code();
    }
    if (parsed.has("--version")) {
      out.println(tool.name() + " " + version());
      return ExitCode.OK.code();
    }
    configureLogging(parsed.count("--verbose") - parsed.count("--quiet"));
    try {
      return tool.run(parsed, new CloudContext(out, err, tool.createsStorage())).code();
    } catch (Exception | LinkageError | AssertionError e) {
      // LinkageError: a codec's native library that cannot load (a noexec temporary directory, say).
      ExitCodes.Failure failure = ExitCodes.failure(tool.name(), e);
      if (failure.level() == ExitCodes.Level.ERROR || parsed.count("--verbose") > 0) {
        err.println(failure.line());
      }
      return failure.exitCode().code();
    }
  }

  private static void configureLogging(int verbosity) {
    // Barman's level is WARNING - 10 * (verbose - quiet), everything from -vvv on; slf4j-simple reads this
    // before the first logger.
    String level = verbosity >= 3 ? "trace" : verbosity == 2 ? "debug" : verbosity == 1 ? "info"
        : verbosity == 0 ? "warn" : verbosity == -1 ? "error" : "off";
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    // The Azure SDK logs every failed request at ERROR, stack traces and all, before the tool reports the
    // failure in one line; its own logging shows from -v on.
    System.setProperty("org.slf4j.simpleLogger.log.com.azure", verbosity >= 1 ? level : "off");
    if (verbosity != 0) {
      // The Google libraries log through java.util.logging, whose console handler writes to System.err
      // (the redacting stream). Left alone at the default level: LogManager costs start-up time.
      java.util.logging.Level julLevel = verbosity >= 3 ? java.util.logging.Level.ALL
          : verbosity == 2 ? java.util.logging.Level.FINE : verbosity == 1 ? java.util.logging.Level.INFO
          : verbosity == -1 ? java.util.logging.Level.SEVERE : java.util.logging.Level.OFF;
      java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
      root.setLevel(julLevel);
      for (java.util.logging.Handler handler : root.getHandlers()) {
        handler.setLevel(julLevel);
      }
    }
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = CloudTools.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  private static String names() {
    return String.join(", ", NAMES);
  }

  /**
   * The tool called {@code name}, or null. Only that tool's classes load: every archive_command call is
   * a fresh JVM, and start-up time is most of a call.
   */
  private static CloudTool tool(String name) {
    switch (name) {
      case "barman-cloud-wal-archive":
        return new WalArchiveTool();
      case "barman-cloud-wal-restore":
        return new WalRestoreTool();
      case "barman-cloud-backup":
        return new BackupTool();
      case "barman-cloud-restore":
        return new RestoreTool();
      case "barman-cloud-backup-list":
        return new BackupListTool();
      case "barman-cloud-backup-show":
        return new BackupShowTool();
      case "barman-cloud-backup-delete":
        return new BackupDeleteTool();
      case "barman-cloud-backup-keep":
        return new BackupKeepTool();
      case "barman-cloud-check-wal-archive":
        return new CheckWalArchiveTool();
      default:
        return null;
    }
  }

}
