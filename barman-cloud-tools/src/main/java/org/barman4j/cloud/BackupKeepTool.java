package org.barman4j.cloud;

import java.util.List;
import org.barman4j.Barman;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.UsageException;

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
        .positional("SOURCE_URL", "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .optionalPositional("BACKUP_ID", "the backup ID of the backup to be kept")
        .flag("If specified, the command will remove the keep annotation and the backup will be eligible for deletion",
            "-r", "--release")
        .flag("Print the keep status of the backup", "-s", "--status")
        .choice(List.of("full", "standalone"), "Specify the recovery target for this backup", "--target")
        .exclusive("--release", "--status", "--target");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    boolean test = args.has("--test");
    if (!test && args.positional("BACKUP_ID").isEmpty()) {
      throw new UsageException("the following arguments are required: BACKUP_ID");
    }
    if (!test && !args.has("--release") && !args.has("--status") && args.value("--target").isEmpty()) {
      throw new UsageException("one of the arguments -r/--release -s/--status --target is required");
    }
    try (Barman barman = context.barman(args.positional("SOURCE_URL").orElseThrow(), args)) {
      if (test) {
        return context.connectivityTest(barman);
      }
      String reference = args.positional("BACKUP_ID").orElseThrow();
      if (args.has("--release")) {
        barman.release(reference);
      } else if (args.has("--status")) {
        context.out().println("Keep: " + barman.keepStatus(reference).map(KeepTarget::id).orElse("nokeep"));
      } else {
        barman.keep(reference, KeepTarget.parse(args.value("--target").orElseThrow()));
      }
      return ExitCode.OK;
    }
  }
}
