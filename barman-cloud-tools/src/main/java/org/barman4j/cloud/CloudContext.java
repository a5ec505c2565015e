package org.barman4j.cloud;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.barman4j.Barman;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.StorageFailureException;
import org.barman4j.backup.ByteSize;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.ExitCodes;
import org.barman4j.storage.StorageConfig;

/**
 * What a tool needs besides its arguments: the output streams and the storage named by the command
 * line's URL and cloud options.
 */
final class CloudContext {
  /** Providers barman-cloud knows, plus Barman4J's own. */
  static final List<String> PROVIDERS =
      List.of("aws-s3", "azure-blob-storage", "google-cloud-storage", "file", "memory");

  private final PrintStream out;
  private final PrintStream err;
  private final boolean createsStorage;

  CloudContext(PrintStream out, PrintStream err) {
    this(out, err, false);
  }

  /** With {@code createsStorage}, a missing bucket is an empty store that the first write creates. */
  CloudContext(PrintStream out, PrintStream err, boolean createsStorage) {
    this.out = out;
    this.err = err;
    this.createsStorage = createsStorage;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  /** Declares the options every barman-cloud tool accepts. */
  static void declareCommon(ArgParser parser) {
    parser
        .flag("show program's version number and exit", "-V", "--version")
        .flag("show this help message and exit", "--help")
        .flag("increase output verbosity (e.g., -vv is more than -v)", "-v", "--verbose")
        .flag("decrease output verbosity (e.g., -qq is less than -q)", "-q", "--quiet")
        .flag("test connectivity to the cloud destination and exit", "-t", "--test")
        .choice(PROVIDERS, "the cloud provider to which the backup should be uploaded", "--cloud-provider")
        .value("ENDPOINT_URL", "override default S3 endpoint URL with the given one", "--endpoint-url")
        .value("AWS_PROFILE", "profile name (e.g. INI section in AWS credentials file)", "-P", "--aws-profile", "--profile")
        .value("READ_TIMEOUT", "the time in seconds until a timeout is raised when waiting to read from a connection", "--read-timeout")
        .choice(List.of("azure-cli", "managed-identity", "default"), "optionally specify the type of credential to use when authenticating with Azure",
            "--azure-credential", "--credential")
        .exclusive("--verbose", "--quiet");
  }

  /**
   * Builds the {@link Barman} of the command line: the storage at {@code url}, with the cloud options as
   * storage properties, and the server named by the {@code SERVER_NAME} positional.
   *
   * @throws BarmanConfigurationException if the URL, the server name or an option is not usable
   */
  Barman barman(String url, ArgParser.Parsed args) {
    return barman(url, args, Map.of());
  }

  /**
   * Builds the {@link Barman} as {@link #barman(String, ArgParser.Parsed)} does, with {@code defaults} for the
   * storage properties that no option sets (a tool's own defaults for a provider's options).
   */
  Barman barman(String url, ArgParser.Parsed args, Map<String, String> defaults) {
    // Each cloud option becomes its provider's storage property; other providers ignore it.
    Map<String, String> properties = new HashMap<>(defaults);
    copy(args, "--cloud-provider", properties, StorageConfig.PROVIDER);
    copy(args, "--endpoint-url", properties, "s3.endpoint");
    copy(args, "--aws-profile", properties, "s3.profile");
    copy(args, "--read-timeout", properties, "s3.read-timeout");
    copy(args, "--azure-credential", properties, "azure.credential");
    copy(args, "--encryption", properties, "s3.sse");
    copy(args, "--sse-kms-key-id", properties, "s3.sse-kms-key-id");
    copy(args, "--kms-key-name", properties, "gcs.kms-key");
    copy(args, "--encryption-scope", properties, "azure.encryption-scope");
    copySize(args, "--max-block-size", properties, "azure.max-block-size");
    copy(args, "--max-concurrency", properties, "azure.max-concurrency");
    copySize(args, "--max-single-put-size", properties, "azure.max-single-put-size");
    // As Barman 3.4: only the writing tools create a missing bucket; the others say it does not exist (exit 1).
    properties.put("s3.create-bucket", Boolean.toString(createsStorage));
    properties.put("gcs.create-bucket", Boolean.toString(createsStorage));
    properties.put("azure.create-container", Boolean.toString(createsStorage));
    // A bare absolute path is a local directory, as Barman's server-side paths are.
    return Barman.builder().url(url.startsWith("/") ? "file://" + url : url)
        .serverName(args.positional("SERVER_NAME").orElseThrow()).properties(properties).build();
  }

  /**
   * Runs a {@code --test}: success is exit 0; an unreachable store is 2 and refused credentials 4, as with
   * Barman 3.4. A missing bucket is 1 for the tools that do not create it, where Barman 3.4's test passes
   * and its real run then fails with 1: a test that passes before a run that must fail helps nobody.
   */
  ExitCode connectivityTest(Barman barman) {
    try {
      barman.checkStorage();
      return ExitCode.OK;
    } catch (StorageFailureException e) {
      err.println("ERROR: " + ExitCodes.oneLine(e.getCause().getMessage()));
      return ExitCodes.storageFailureCode(e.getCause());
    }
  }

  /**
   * The progress line of {@code job} on stderr when stderr is a terminal, else a listener that prints nothing;
   * the caller closes it when the job ends, however it ends.
   */
  ProgressLine progressLine(String job) {
    return ProgressLine.onStderr(err, job);
  }

  private static void copy(ArgParser.Parsed args, String option, Map<String, String> properties, String property) {
    // A loop rather than Optional.ifPresent: lambdas cost start-up time in every tool process.
    for (String value : args.values(option)) {
      properties.put(property, value);
    }
  }

  // Barman's options read KiB, MiB … as powers of 1000, storage properties as powers of 1024: pass bytes.
  private static void copySize(ArgParser.Parsed args, String option, Map<String, String> properties,
      String property) {
    for (String value : args.values(option)) {
      try {
        properties.put(property, Long.toString(ByteSize.parse(value).bytes()));
      } catch (IllegalArgumentException e) {
        throw new BarmanConfigurationException("Invalid " + option + ": " + e.getMessage(), e);
      }
    }
  }

}
