package org.barman4j.cloud;

import java.util.List;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.UsageException;
import org.barman4j.storage.StorageBackend;

/**
 * {@code barman-cloud-backup-keep}: marks a DONE backup as kept ({@code --target full|standalone}),
 * prints its keep status ({@code -s}) or releases it ({@code -r}). The backup must exist.
 */
final class BackupKeepTool implements CloudTool {
  @Override
  public String name() {
    return "barman-cloud-backup-keep";
  }

  @Override
  public String description() {
    return "This script can be used to tag backups in cloud storage as archival backups such that they will not "
        + "be deleted. Currently AWS S3, Azure Blob Storage and Google Cloud Storage are supported.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("SOURCE_URL", false, "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", false, "the name of the server as configured in Barman.")
        .positional("BACKUP_ID", true, "the backup ID of the backup to be kept")
        .flag("If specified, the command will remove the keep annotation and the backup will be eligible for deletion",
            "-r", "--release")
        .flag("Print the keep status of the backup", "-s", "--status")
        .choice(List.of("full", "standalone"), "Specify the recovery target for this backup", "--target")
        .exclusive("--release", "--status", "--target");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    ServerLayout layout = new ServerLayout(args.positional("SERVER_NAME").orElseThrow());
    boolean test = args.has("--test");
    if (!test && args.positional("BACKUP_ID").isEmpty()) {
      throw new UsageException("the following arguments are required: BACKUP_ID");
    }
    if (!test && !args.has("--release") && !args.has("--status") && args.value("--target").isEmpty()) {
      throw new UsageException("one of the arguments -r/--release -s/--status --target is required");
    }
    try (StorageBackend backend = context.open(args.positional("SOURCE_URL").orElseThrow(), args)) {
      if (test) {
        return context.connectivityTest(backend);
      }
      BackupCatalog catalog = new BackupCatalog(backend, layout);
      BackupId id = catalog.resolve(args.positional("BACKUP_ID").orElseThrow());
      if (args.has("--release")) {
        catalog.get(id);
        catalog.releaseKeep(id);
      } else if (args.has("--status")) {
        catalog.get(id);
        context.out().println("Keep: " + catalog.keepTarget(id).map(KeepTarget::id).orElse("nokeep"));
      } else {
        catalog.keep(id, KeepTarget.parse(args.value("--target").orElseThrow()));
      }
      return ExitCode.OK;
    }
  }
}
