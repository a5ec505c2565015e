package org.barman4j.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.StorageFailureException;
import org.barman4j.backup.BackupFailedException;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.CatalogOperationRefusedException;
import org.barman4j.catalog.CorruptBackupInfoException;
import org.barman4j.postgres.PostgresException;
import org.barman4j.wal.WalArchiveConflictException;
import org.barman4j.wal.WalArchiveContentException;
import org.barman4j.wal.WalNotFoundException;

/**
 * Entry point of the {@code barman-cloud-*} commands: {@code CloudTools TOOL_NAME ARGS…}. Parses the
 * arguments as Barman does, runs the tool and maps failures to barman-cloud's exit codes, printing one
 * line on stderr.
 */
public final class CloudTools {
  private static final List<CloudTool> TOOLS = List.of(new WalArchiveTool(), new WalRestoreTool(),
      new BackupTool(), new BackupListTool(), new BackupShowTool(), new BackupDeleteTool(), new BackupKeepTool(),
      new CheckWalArchiveTool());

  private CloudTools() {}

  /** Runs the tool named by {@code args[0]} and exits with its code. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the tool named by {@code args[0]} and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: CloudTools TOOL [ARGS...] where TOOL is one of " + names());
      return ExitCode.CLI_ERROR.code;
    }
    CloudTool tool = null;
    for (CloudTool candidate : TOOLS) {
      if (candidate.name().equals(args[0])) {
        tool = candidate;
      }
    }
    if (tool == null) {
      err.println("Unknown tool '" + args[0] + "'; expected one of " + names());
      return ExitCode.CLI_ERROR.code;
    }
    ArgParser parser = new ArgParser(tool.name(), tool.description());
    CloudContext.declareCommon(parser);
    tool.declare(parser);
    String[] toolArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
    ArgParser.Parsed parsed;
    try {
      parsed = parser.parse(toolArgs);
    } catch (UsageException e) {
      err.println(tool.name() + ": error: " + oneLine(e.getMessage()));
      return ExitCode.CLI_ERROR.code;
    }
    if (parsed.has("--help")) {
      out.print(parser.help());
      return ExitCode.OK.code;
    }
    if (parsed.has("--version")) {
      out.println(tool.name() + " " + version());
      return ExitCode.OK.code;
    }
    configureLogging(parsed.count("--verbose") - parsed.count("--quiet"));
    try {
      return tool.run(parsed, new CloudContext(out, err)).code;
    } catch (UsageException e) {
      err.println(tool.name() + ": error: " + oneLine(e.getMessage()));
      return ExitCode.CLI_ERROR.code;
    } catch (BarmanConfigurationException | IllegalArgumentException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      return ExitCode.CLI_ERROR.code;
    } catch (WalNotFoundException e) {
      if (parsed.count("--verbose") > 0) {
        err.println("INFO: " + oneLine(e.getMessage()));
      }
      return ExitCode.OPERATION_FAILED.code;
    } catch (WalArchiveConflictException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      return ExitCode.OPERATION_FAILED.code;
    } catch (BackupFailedException | PostgresException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      return ExitCode.OPERATION_FAILED.code;
    } catch (BackupNotFoundException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      // As Barman: a missing backup ID fails the operation (1); an unknown name or shortcut is an
      // exception out of barman-cloud's parser (4).
      return e.isIdentifier() ? ExitCode.OPERATION_FAILED.code : ExitCode.GENERAL_ERROR.code;
    } catch (CatalogOperationRefusedException | WalArchiveContentException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      return ExitCode.OPERATION_FAILED.code;
    } catch (CorruptBackupInfoException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      return ExitCode.GENERAL_ERROR.code;
    } catch (StorageFailureException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      return e.isUnavailable() ? ExitCode.NETWORK_ERROR.code : ExitCode.OPERATION_FAILED.code;
    } catch (UncheckedIOException e) {
      err.println("ERROR: " + oneLine(e.getMessage()));
      return ExitCode.GENERAL_ERROR.code;
    } catch (Exception e) {
      err.println("ERROR: " + oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
      return ExitCode.GENERAL_ERROR.code;
    }
  }

  private static void configureLogging(int verbosity) {
    // Barman's level is WARNING - 10 * (verbose - quiet); slf4j-simple reads this before the first logger.
    String level = verbosity >= 2 ? "debug" : verbosity == 1 ? "info" : verbosity == 0 ? "warn" : verbosity == -1 ? "error" : "off";
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
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
    StringBuilder sb = new StringBuilder();
    for (CloudTool t : TOOLS) {
      sb.append(sb.length() == 0 ? "" : ", ").append(t.name());
    }
    return sb.toString();
  }
}
