package org.barman4j.cloud;

import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import org.barman4j.Barman;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoJson;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.ExitCodes;

/**
 * {@code barman-cloud-backup-list}: the DONE backups as a table, or every backup as Barman's JSON
 * ({@code {"backups_list": [...]}}). Unreadable backups are skipped with a warning.
 */
final class BackupListTool implements CloudTool {
  private static final String COLUMNS = "%-20s%-25s%-30s%-17s%-20s";
  private static final DateTimeFormatter END_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  @Override
  public String name() {
    return "barman-cloud-backup-list";
  }

  @Override
  public String description() {
    return "This script can be used to list backups made with barman-cloud-backup command. "
        + "Currently AWS S3, Azure Blob Storage and Google Cloud Storage are supported.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("SOURCE_URL", "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .value("FORMAT", "Output format (console or json). Default console.", "--format");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    try (Barman barman = context.barman(args.positional("SOURCE_URL").orElseThrow(), args)) {
      if (args.has("--test")) {
        return context.connectivityTest(barman);
      }
      BackupCatalog.Listing listing = barman.list();
      for (BackupCatalog.Unreadable unreadable : listing.unreadable()) {
        context.err().println("WARNING: Unable to open backup.info file for " + unreadable.backupId() + ": "
            + ExitCodes.oneLine(unreadable.reason()));
      }
      // Barman prints the table for "console" and JSON for anything else.
      if (args.value("--format").orElse("console").equals("console")) {
        printTable(listing, context.out());
      } else {
        context.out().println(BackupInfoJson.writeList(listing.backups()));
      }
      return ExitCode.OK;
    }
  }

  private static void printTable(BackupCatalog.Listing listing, PrintStream out) {
    out.println(String.format(COLUMNS, "Backup ID", "End Time", "Begin Wal", "Archival Status", "Name"));
    for (BackupInfo info : listing.backups()) {
      if (info.status() != BackupStatus.DONE) {
        continue;
      }
      out.println(String.format(COLUMNS, info.backupId(),
          info.endTime().map(END_TIME::format).orElse("None"),
          info.beginWal().orElse("None"),
          listing.keepTarget(info.backupId()).map(KeepTarget::label).orElse(""),
          info.backupName().orElse("")));
    }
  }
}
