package org.barman4j.cloud;

import org.barman4j.Barman;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoJson;
import org.barman4j.catalog.BackupInfoText;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.UsageException;

/**
 * {@code barman-cloud-backup-show}: one backup's metadata, as {@code barman show-backup} renders it, or
 * as JSON keyed by the {@code server_name} recorded in it ({@code "cloud"} for barman-cloud backups).
 */
final class BackupShowTool implements CloudTool {
  @Override
  public String name() {
    return "barman-cloud-backup-show";
  }

  @Override
  public String description() {
    return "This script can be used to show metadata for backups made with barman-cloud-backup command. "
        + "Currently AWS S3, Azure Blob Storage and Google Cloud Storage are supported.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("SOURCE_URL", "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .optionalPositional("BACKUP_ID", "the backup ID")
        .value("FORMAT", "Output format (console or json). Default console.", "--format");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    if (!args.has("--test") && args.positional("BACKUP_ID").isEmpty()) {
      throw new UsageException("the following arguments are required: BACKUP_ID");
    }
    try (Barman barman = context.barman(args.positional("SOURCE_URL").orElseThrow(), args)) {
      if (args.has("--test")) {
        return context.connectivityTest(barman);
      }
      BackupInfo info = barman.show(args.positional("BACKUP_ID").orElseThrow());
      if (args.value("--format").orElse("console").equals("console")) {
        for (String line : BackupInfoText.render(info)) {
          context.out().println(line);
        }
      } else {
        context.out().println(BackupInfoJson.writeShow(info));
      }
      return ExitCode.OK;
    }
  }
}
