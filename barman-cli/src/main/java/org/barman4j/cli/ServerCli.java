package org.barman4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.BarmanException;
import org.barman4j.config.BarmanConfig;
import org.barman4j.config.ConfigLocator;
import org.barman4j.internal.PyLiteral;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.UsageException;

/**
 * The {@code barman} command: Barman's global options ({@code -c}, {@code -q}, {@code -d}, {@code -f}), then a
 * sub-command with its own arguments. Exit codes as Barman 3.4's: 0, 1 after any {@code ERROR:}, 2 for usage
 * errors.
 */
final class ServerCli {
  /** The launcher name that selects this command. */
  static final String NAME = "barman";

  private static final int OK = 0;
  private static final int ERROR = 1;
  private static final int USAGE = 2;

  private final Map<String, String> environment;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Accounts accounts;
  private final Map<String, ServerCommand> commands = new LinkedHashMap<>();

  ServerCli(Map<String, String> environment, PrintStream out, PrintStream err) {
    this(environment, out, err, Clock.systemDefaultZone());
  }

  ServerCli(Map<String, String> environment, PrintStream out, PrintStream err, Clock clock) {
    this(environment, out, err, clock, new SystemAccounts());
  }

  ServerCli(Map<String, String> environment, PrintStream out, PrintStream err, Clock clock, Accounts accounts) {
    this.accounts = accounts;
    this.environment = Map.copyOf(environment);
    this.out = out;
    this.err = err;
    this.clock = clock;
    for (ServerCommand c : Commands.all()) {
      commands.put(c.name(), c);
      for (String alias : c.aliases()) {
        commands.put(alias, c);
      }
    }
  }

  /** The global options, which come before the sub-command as in Barman. */
  private record Global(Path config, boolean quiet, boolean debug, Output.Format format, int next) {}

  /** Runs {@code barman ARGS…} and returns the exit code. */
  int run(String[] args) {
    Global global;
    try {
      global = globalOptions(args);
    } catch (UsageException e) {
      return usage(NAME, e.getMessage());
    }
    if (global == null) {
      return OK; // --help or --version, already printed
    }
    if (global.next() >= args.length) {
      return usage(NAME, "the following arguments are required: command");
    }
    String name = args[global.next()];
    ServerCommand command = commands.get(name);
    if (command == null) {
      return usage(NAME, "argument command: invalid choice: '" + name + "' (choose from "
          + String.join(", ", commands.keySet().stream().map(k -> "'" + k + "'").toList()) + ")");
    }
    ArgParser parser = new ArgParser(NAME + " " + command.name(), command.description());
    parser.flag("show this help message and exit", "-h", "--help");
    command.declare(parser);
    ArgParser.Parsed parsed;
    try {
      parsed = parser.parse(Arrays.copyOfRange(args, global.next() + 1, args.length));
    } catch (UsageException e) {
      return usage(NAME + " " + command.name(), e.getMessage());
    }
    if (parsed.has("--help")) {
      out.print(parser.help());
      return OK;
    }
    Output output = new Output(global.format(), global.quiet(), global.debug(), out, err);
    try {
      BarmanConfig config = BarmanConfig.load(global.config() != null
          ? locator().locate(global.config())
          : locator().locate());
      Optional<Integer> handedOver = asBarmanUser(config, args);
      if (handedOver.isPresent()) {
        output.abandon(); // nothing of this process's output: Barman stops before its writer starts
        return handedOver.get();
      }
      if (!Files.isDirectory(config.barmanHome())) {
        // Barman creates barman_home when it can, as its first action
        Files.createDirectories(config.barmanHome());
      }
      command.run(parsed, new CommandContext(config, output, environment, clock));
    } catch (UsageException e) {
      // An option value only the command can check (argparse's type=): a usage error, exit 2.
      return usage(NAME + " " + command.name(), e.getMessage());
    } catch (BarmanConfigurationException e) {
      output.error(oneLine(e.getMessage()));
    } catch (BarmanException | java.io.IOException | IllegalArgumentException | IllegalStateException e) {
      // Causes gives a file-system error its reason: a NoSuchFileException's message is only the path.
      output.error(org.barman4j.internal.Causes.describe(e));
    } catch (Exception e) {
      output.error("EXCEPTION: " + oneLine(String.valueOf(e)));
    } finally {
      output.close();
    }
    return output.failed() ? ERROR : OK;
  }

  /**
   * Barman's {@code barman_user} rule, checked before anything is read or written: the configured user runs the
   * command; {@code root} runs it again as that user (so that every file keeps that user's ownership) and
   * returns its exit code; anyone else gets Barman's error. Empty when this process is to go on.
   */
  private Optional<Integer> asBarmanUser(BarmanConfig config, String[] args) throws IOException, InterruptedException {
    String user = config.barmanUser();
    if (user.equals(accounts.currentName())) {
      return Optional.empty();
    }
    Optional<Accounts.Account> account = accounts.lookup(user);
    if (account.isEmpty()) {
      err.println("ERROR: the configured user " + PyLiteral.repr(user) + " does not exists");
      return Optional.of(ERROR);
    }
    long uid = accounts.currentUid();
    if (account.get().uid() == uid) {
      return Optional.empty();
    }
    if (uid != 0) {
      err.println("ERROR: please run barman as " + PyLiteral.repr(user) + " user");
      return Optional.of(ERROR);
    }
    out.flush();
    err.flush();
    return Optional.of(accounts.rerun(account.get(), config.file(), List.of(args)));
  }

  private ConfigLocator locator() {
    return new ConfigLocator(Path.of(System.getProperty("user.home")), environment, Files::exists);
  }

  private Global globalOptions(String[] args) throws UsageException {
    Path config = null;
    boolean quiet = false;
    boolean debug = false;
    Output.Format format = Output.Format.CONSOLE;
    int i = 0;
    for (; i < args.length && args[i].startsWith("-") && args[i].length() > 1; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "-h", "--help" -> {
          out.print(help());
          return null;
        }
        case "-v", "--version" -> {
          out.println(Versions.barman4j() + "\n\nBarman4J (a drop-in for Barman's barman command)");
          return null;
        }
        case "-q", "--quiet" -> quiet = true;
        case "-d", "--debug" -> debug = true;
        case "-c", "--config" -> {
          String v = value != null ? value : argument(args, ++i, "-c/--config");
          config = Path.of(v);
        }
        case "-f", "--format" -> {
          String v = value != null ? value : argument(args, ++i, "-f/--format");
          format = switch (v) {
            case "json" -> Output.Format.JSON;
            case "console" -> Output.Format.CONSOLE;
            default -> throw new UsageException(
                "argument -f/--format: invalid choice: '" + v + "' (choose from 'json', 'console')");
          };
        }
        case "--color", "--colour", "--log-level" -> {
          if (value == null) {
            argument(args, ++i, arg);
          }
        }
        default -> {
          if (arg.startsWith("-c") && arg.length() > 2) {
            config = Path.of(arg.substring(2));
          } else if (arg.startsWith("-f") && arg.length() > 2) {
            return globalOptions(replace(args, i, "-f", arg.substring(2)));
          } else {
            throw new UsageException("unrecognized arguments: " + arg);
          }
        }
      }
    }
    return new Global(config, quiet, debug, format, i);
  }

  private static String[] replace(String[] args, int i, String option, String value) {
    List<String> copy = new ArrayList<>(Arrays.asList(args));
    copy.set(i, option);
    copy.add(i + 1, value);
    return copy.toArray(String[]::new);
  }

  private static String argument(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException("argument " + option + ": expected one argument");
    }
    return args[i];
  }

  private String help() {
    StringBuilder sb = new StringBuilder("usage: barman [-h] [-v] [-c CONFIG] [--color {never,always,auto}] "
        + "[--log-level {NOTSET,DEBUG,INFO,WARNING,ERROR,CRITICAL}] [-q] [-d] [-f {json,console}] command ...\n\n"
        + "Barman4J: backup and recovery of PostgreSQL servers, on Barman's configuration and layout.\n\n"
        + "commands:\n");
    for (ServerCommand c : Commands.all()) {
      sb.append(String.format("  %-20s %s%n", c.name(), c.description()));
    }
    return sb.toString();
  }

  private int usage(String prog, String message) {
    err.println("usage: " + prog + " [-h] ...");
    err.println(prog + ": error: " + message);
    return USAGE;
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
