package org.barman4j.cloud;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.barman4j.Barman;
import org.barman4j.BarmanListener;
import org.barman4j.catalog.BackupId;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.UsageException;
import org.barman4j.retention.BackupDeleter;
import org.barman4j.retention.RetentionPolicy;

/**
 * {@code barman-cloud-backup-delete}: deletes one backup ({@code -b}) or every backup a retention policy
 * makes obsolete ({@code -r}), then the WAL files no remaining backup needs. Exits 1 without deleting
 * anything if part of the catalogue is unreadable, the backup is kept, or {@code -m} forbids it.
 */
final class BackupDeleteTool implements CloudTool {
  @Override
  public String name() {
    return "barman-cloud-backup-delete";
  }

  @Override
  public String description() {
    return "This script can be used to delete backups made with barman-cloud-backup command. "
        + "Currently AWS S3, Azure Blob Storage and Google Cloud Storage are supported.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("SOURCE_URL", "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .value("BACKUP_ID", "Backup ID of the backup to be deleted", "-b", "--backup-id")
        .value("MINIMUM_REDUNDANCY", "The minimum number of backups that should always be available.",
            "-m", "--minimum-redundancy")
        .value("RETENTION_POLICY", "If specified, delete all backups eligible for deletion according to the "
            + "supplied retention policy. Syntax: REDUNDANCY value | RECOVERY WINDOW OF value {DAYS | WEEKS | MONTHS}",
            "-r", "--retention-policy")
        .flag("Find the objects which need to be deleted but do not delete them", "--dry-run")
        .value("DELETE_BATCH_SIZE", "The maximum number of objects to be deleted in a single request to the cloud "
            + "provider. If unset then the maximum allowed batch size for the specified cloud provider will be used "
            + "(1000 for aws-s3, 256 for azure-blob-storage and 100 for google-cloud-storage).", "--batch-size")
        .exclusive("--backup-id", "--retention-policy");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    Optional<String> backupId = args.value("--backup-id");
    Optional<String> policyText = args.value("--retention-policy");
    if (backupId.isEmpty() && policyText.isEmpty()) {
      throw new UsageException("one of the arguments -b/--backup-id -r/--retention-policy is required");
    }
    int minimumRedundancy = args.integer("--minimum-redundancy", 0).orElse(0);
    int batchSize = args.integer("--batch-size", Integer.MIN_VALUE).orElse(0);
    Optional<RetentionPolicy> policy = policyText.map(RetentionPolicy::parse); // bad text: exit 3
    BackupDeleter.Options options = BackupDeleter.Options.DEFAULT.withDryRun(args.has("--dry-run"))
        .withBatchSize(batchSize).withMinimumRedundancy(minimumRedundancy);
    try (Barman barman = context.barman(args.positional("SOURCE_URL").orElseThrow(), args)) {
      if (args.has("--test")) {
        return context.connectivityTest(barman);
      }
      Printer printer = new Printer(context.out(), context.err());
      if (policy.isPresent()) {
        barman.enforceRetention(policy.get(), options, printer);
      } else {
        barman.delete(backupId.orElseThrow(), options, printer);
      }
      return ExitCode.OK;
    }
  }

  /** Prints what a dry run would delete, in Barman's words, and warnings on stderr. */
  private static final class Printer implements BarmanListener {
    private final PrintStream out;
    private final PrintStream err;

    Printer(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public void deletingBackup(BackupId backupId, List<String> keys, boolean dryRun) {
      if (dryRun) {
        out.println("Skipping deletion of objects " + CatalogTools.pythonList(keys) + " due to --dry-run option");
      }
    }

    @Override
    public void deletingWalDirectory(String prefix, boolean dryRun) {
      if (dryRun) {
        out.println("Skipping deletion of all objects under prefix " + prefix + " due to --dry-run option");
      }
    }

    @Override
    public void deletingWals(List<String> keys, boolean dryRun) {
      if (dryRun) {
        out.println("Skipping deletion of objects " + CatalogTools.pythonList(keys) + " due to --dry-run option");
      }
    }

    @Override
    public void warning(String message) {
      err.println("WARNING: " + message);
    }
  }
}
