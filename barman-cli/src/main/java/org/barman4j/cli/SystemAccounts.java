package org.barman4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Accounts} of this machine: the name service through {@code getent passwd} (so LDAP and the like count,
 * as for Barman's {@code getpwnam}), and {@code runuser -u USER --} to re-run this JVM's own command line as
 * another user, with {@code HOME} set to that user's home as Barman sets it.
 */
final class SystemAccounts implements Accounts {
  @Override
  public String currentName() {
    return System.getProperty("user.name", "");
  }

  @Override
  public long currentUid() throws IOException {
    // /proc/self belongs to the process's effective user
    return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
  }

  @Override
  public Optional<Account> lookup(String name) throws IOException, InterruptedException {
    if (name.isEmpty() || name.contains(":")) {
      return Optional.empty();
    }
    Process p = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || line.isEmpty()) {
      return Optional.empty();
    }
    String[] fields = line.split(":", -1);
    if (fields.length < 7) {
      return Optional.empty();
    }
    return Optional.of(new Account(fields[0], Long.parseLong(fields[2]), Path.of(fields[5])));
  }

  @Override
  public int rerun(Account account, Path config, List<String> args) throws IOException, InterruptedException {
    // this JVM's own command line (NUL-separated in /proc), which ends with the command's arguments
    byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    List<String> jvm = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        jvm.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (jvm.size() <= args.size()) {
      throw new IOException("cannot read this process's command line to run it as '" + account.name() + "'");
    }
    List<String> command = new ArrayList<>(List.of("runuser", "-u", account.name(), "--",
        Files.readSymbolicLink(Path.of("/proc/self/exe")).toString()));
    command.addAll(jvm.subList(1, jvm.size() - args.size()));
    command.add("-c");
    command.add(config.toAbsolutePath().toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put("HOME", account.home().toString());
    pb.environment().put("USER", account.name());
    pb.environment().put("LOGNAME", account.name());
    return pb.start().waitFor();
  }
}
