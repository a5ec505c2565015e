package org.barman4j.internal.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command-line parser with Python argparse's behaviour, so that command lines written for Barman's
 * tools parse the same: long options may be abbreviated to a unique prefix, {@code --opt=value} and
 * {@code -oVALUE} forms, bundled short flags ({@code -zv}), {@code --} ends options, and options may sit
 * among the positionals. For Barman4J's own command-line frontends; not part of the API.
 */
public final class ArgParser {
  /** How many values an option takes. */
  enum Arity {
    /** A counted flag. */
    FLAG,
    /** One value per occurrence. */
    ONE,
    /** Zero or more values, up to the next option (argparse {@code nargs="*"}). */
    MANY
  }

  /** One declared option; {@link #key()} is its first long name. */
  record Option(List<String> names, Arity arity, String metavar, List<String> choices, String help) {
    String key() {
      for (String n : names) {
        if (n.startsWith("--")) {
          return n;
        }
      }
      return names.get(0);
    }

    String display() {
      return String.join("/", names);
    }
  }

  /** One declared positional argument. */
  record Positional(String name, boolean optional, boolean variadic, String help) {}

  /** The parsed command line. */
  public static final class Parsed {
    private final Map<String, List<String>> values = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, String> positionals = new LinkedHashMap<>();
    private final Map<String, List<String>> variadics = new LinkedHashMap<>();

    /** How many times the flag {@code key} was given. */
    public int count(String key) {
      return counts.getOrDefault(key, 0);
    }

    /** Whether {@code key} was given at least once. */
    public boolean has(String key) {
      return count(key) > 0;
    }

    /** The last value of {@code key}, if given. */
    public Optional<String> value(String key) {
      List<String> v = values.get(key);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** Every value of {@code key}, in order. */
    public List<String> values(String key) {
      return values.getOrDefault(key, List.of());
    }

    /** The positional argument {@code name}, if given. */
    public Optional<String> positional(String name) {
      return Optional.ofNullable(positionals.get(name));
    }

    /** The values of the variadic positional {@code name}, in order (empty if it was not declared). */
    public List<String> positionals(String name) {
      return variadics.getOrDefault(name, List.of());
    }

    /**
     * The integer value of {@code key}, if given, which must be at least {@code minimum}; bad values get
     * argparse-style messages (exit 3).
     */
    public java.util.OptionalInt integer(String key, int minimum) throws UsageException {
      Optional<String> text = value(key);
      if (text.isEmpty()) {
        return java.util.OptionalInt.empty();
      }
      int value;
      try {
        value = Integer.parseInt(text.get().strip());
      } catch (NumberFormatException e) {
        throw new UsageException("argument " + key + ": invalid int value: '" + text.get() + "'");
      }
      if (value < minimum) {
        String rule = minimum == 1 ? "a positive integer" : minimum == 0 ? "a non-negative integer" : "at least " + minimum;
        throw new UsageException("argument " + key + ": must be " + rule + ": '" + text.get() + "'");
      }
      return java.util.OptionalInt.of(value);
    }
  }

  private final String prog;
  private final String description;
  private final List<Option> options = new ArrayList<>();
  private final List<Positional> positionals = new ArrayList<>();
  private final List<List<String>> exclusiveGroups = new ArrayList<>();

  /** A parser for the command {@code prog}, described in {@link #help()} by {@code description}. */
  public ArgParser(String prog, String description) {
    this.prog = prog;
    this.description = description;
  }

  /** Declares a counted flag called {@code names} (the first long one is its key). */
  public ArgParser flag(String help, String... names) {
    options.add(new Option(List.of(names), Arity.FLAG, "", List.of(), help));
    return this;
  }

  /** Declares an option taking one value per occurrence. */
  public ArgParser value(String metavar, String help, String... names) {
    options.add(new Option(List.of(names), Arity.ONE, metavar, List.of(), help));
    return this;
  }

  /** Declares an option taking one of {@code choices}. */
  public ArgParser choice(List<String> choices, String help, String... names) {
    options.add(new Option(List.of(names), Arity.ONE, "{" + String.join(",", choices) + "}", choices, help));
    return this;
  }

  /** Declares an option taking zero or more values, up to the next option. */
  public ArgParser many(String metavar, String help, String... names) {
    options.add(new Option(List.of(names), Arity.MANY, metavar, List.of(), help));
    return this;
  }

  /** Declares the next positional argument, required. */
  public ArgParser positional(String name, String help) {
    positionals.add(new Positional(name, false, false, help));
    return this;
  }

  /**
   * Declares the last positional argument, which takes every remaining value, at least one (argparse
   * {@code nargs="+"}); read it with {@link Parsed#positionals(String)}.
   */
  public ArgParser positionals(String name, String help) {
    positionals.add(new Positional(name, false, true, help));
    return this;
  }

  /** Declares the next positional argument, which may be left out (argparse {@code nargs="?"}). */
  public ArgParser optionalPositional(String name, String help) {
    positionals.add(new Positional(name, true, false, help));
    return this;
  }

  /** Declares options (by key) of which at most one may be given. */
  public ArgParser exclusive(String... keys) {
    exclusiveGroups.add(List.of(keys));
    return this;
  }

  /** Parses {@code args}; a command line argparse would refuse throws with argparse's message. */
  public Parsed parse(String[] args) throws UsageException {
    Parsed parsed = new Parsed();
    List<String> free = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (optionsEnded || !looksLikeOption(arg)) {
        free.add(arg);
      } else if (arg.equals("--")) {
        optionsEnded = true;
      } else if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        Option option = findLong(name);
        if (eq >= 0) {
          if (option.arity() == Arity.FLAG) {
            throw new UsageException("argument " + option.display() + ": ignored explicit argument '" + arg.substring(eq + 1) + "'");
          }
          store(parsed, option, List.of(arg.substring(eq + 1)));
        } else {
          i = consume(parsed, option, args, i);
        }
      } else {
        for (int j = 1; j < arg.length(); j++) {
          Option option = findShort("-" + arg.charAt(j));
          if (option.arity() == Arity.FLAG) {
            store(parsed, option, List.of());
            continue;
          }
          if (j + 1 < arg.length()) {
            store(parsed, option, List.of(arg.substring(j + 1)));
          } else {
            i = consume(parsed, option, args, i);
          }
          break;
        }
      }
    }
    if (parsed.has("--help") || parsed.has("--version")) {
      return parsed; // argparse acts on these at once, whatever else is missing
    }
    assignPositionals(parsed, free);
    checkExclusive(parsed);
    return parsed;
  }

  private int consume(Parsed parsed, Option option, String[] args, int i) throws UsageException {
    switch (option.arity()) {
      case FLAG:
        store(parsed, option, List.of());
        return i;
      case ONE:
        if (i + 1 >= args.length || looksLikeOption(args[i + 1])) {
          throw new UsageException("argument " + option.display() + ": expected one argument");
        }
        store(parsed, option, List.of(args[i + 1]));
        return i + 1;
      default:
        List<String> vals = new ArrayList<>();
        while (i + 1 < args.length && !looksLikeOption(args[i + 1])) {
          vals.add(args[++i]);
        }
        store(parsed, option, vals);
        return i;
    }
  }

  /** As argparse: "-" and negative numbers are values (no option of ours looks like a number). */
  private static boolean looksLikeOption(String arg) {
    if (!arg.startsWith("-") || arg.length() == 1) {
      return false;
    }
    for (int i = 1; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (!(Character.isDigit(c) || (c == '.' && i > 1))) {
        return true;
      }
    }
    return false;
  }

  private static void store(Parsed parsed, Option option, List<String> vals) throws UsageException {
    if (!option.choices().isEmpty() && !option.choices().contains(vals.get(0))) {
      throw new UsageException(
          "argument " + option.display() + ": invalid choice: '" + vals.get(0) + "' (choose from "
              + String.join(", ", option.choices()) + ")");
    }
    parsed.counts.put(option.key(), parsed.count(option.key()) + 1);
    List<String> stored = parsed.values.get(option.key());
    if (stored == null) {
      stored = new ArrayList<>();
      parsed.values.put(option.key(), stored);
    }
    stored.addAll(vals);
  }

  private Option findLong(String name) throws UsageException {
    List<Option> prefixed = new ArrayList<>();
    List<String> matchedNames = new ArrayList<>();
    for (Option option : options) {
      for (String n : option.names()) {
        if (n.equals(name)) {
          return option;
        }
        if (n.startsWith("--") && n.startsWith(name)) {
          if (!prefixed.contains(option)) {
            prefixed.add(option);
          }
          matchedNames.add(n);
        }
      }
    }
    if (prefixed.size() == 1) {
      return prefixed.get(0);
    }
    if (prefixed.isEmpty()) {
      throw new UsageException("unrecognized arguments: " + name);
    }
    throw new UsageException("ambiguous option: " + name + " could match " + String.join(", ", matchedNames));
  }

  private Option findShort(String name) throws UsageException {
    for (Option option : options) {
      if (option.names().contains(name)) {
        return option;
      }
    }
    throw new UsageException("unrecognized arguments: " + name);
  }

  private void assignPositionals(Parsed parsed, List<String> free) throws UsageException {
    int required = 0;
    for (Positional p : positionals) {
      required += p.optional() ? 0 : 1;
    }
    if (free.size() < required) {
      List<String> missing = new ArrayList<>();
      for (int k = free.size(); k < positionals.size(); k++) {
        if (!positionals.get(k).optional()) {
          missing.add(positionals.get(k).name());
        }
      }
      throw new UsageException("the following arguments are required: " + String.join(", ", missing));
    }
    boolean variadic = !positionals.isEmpty() && positionals.get(positionals.size() - 1).variadic();
    if (variadic && free.size() >= positionals.size()) {
      int last = positionals.size() - 1;
      for (int k = 0; k < last; k++) {
        parsed.positionals.put(positionals.get(k).name(), free.get(k));
      }
      parsed.variadics.put(positionals.get(last).name(), List.copyOf(free.subList(last, free.size())));
      return;
    }
    if (free.size() > positionals.size()) {
      throw new UsageException("unrecognized arguments: " + String.join(" ", free.subList(positionals.size(), free.size())));
    }
    for (int k = 0; k < free.size(); k++) {
      parsed.positionals.put(positionals.get(k).name(), free.get(k));
    }
  }

  private void checkExclusive(Parsed parsed) throws UsageException {
    for (List<String> group : exclusiveGroups) {
      String first = null;
      for (String key : group) {
        if (parsed.has(key)) {
          if (first != null) {
            throw new UsageException("argument " + display(key) + ": not allowed with argument " + display(first));
          }
          first = key;
        }
      }
    }
  }

  private String display(String key) {
    for (Option option : options) {
      if (option.key().equals(key)) {
        return option.display();
      }
    }
    return key;
  }

  /** A usage line and option list, as {@code --help} prints. */
  public String help() {
    StringBuilder usage = new StringBuilder("usage: ").append(prog).append(" [options]");
    for (Positional p : positionals) {
      usage.append(' ').append(p.optional() ? "[" + p.name() + "]" : p.variadic() ? p.name() + " [" + p.name() + " ...]" : p.name());
    }
    StringBuilder sb = new StringBuilder(usage).append("\n\n").append(description).append("\n\npositional arguments:\n");
    for (Positional p : positionals) {
      sb.append(String.format("  %-28s %s%n", p.name(), p.help()));
    }
    sb.append("\noptions:\n");
    for (Option o : options) {
      String names = o.display() + (o.arity() == Arity.FLAG ? "" : " " + o.metavar());
      sb.append(String.format("  %-28s %s%n", names, o.help()));
    }
    return sb.toString();
  }
}
