package org.barman4j.cloud;

import java.nio.file.Path;
import java.util.Map;
import org.barman4j.Barman;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.wal.WalArchive;
import org.barman4j.wal.WalFileName;

/**
 * {@code barman-cloud-wal-restore}: the body of {@code restore_command}. Exits 1 when the WAL is not archived,
 * 2 when the archive itself (bucket, container, root directory) does not exist or cannot be reached.
 */
final class WalRestoreTool implements CloudTool {
  @Override
  public String name() {
    return "barman-cloud-wal-restore";
  }

  @Override
  public String description() {
    return "This script can be used as a `restore_command` to download WAL files previously archived with "
        + "barman-cloud-wal-archive command.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("SOURCE_URL", "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .positional("WAL_NAME", "the value of the '%f' keyword (according to 'restore_command').")
        .positional("WAL_DEST", "the value of the '%p' keyword (according to 'restore_command').")
        .flag("do not return partial WAL files", "--no-partial");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    String url = args.positional("SOURCE_URL").orElseThrow();
    String walName = args.positional("WAL_NAME").orElseThrow();
    WalFileName.parse(walName);
    // The cloud stores already refuse a missing bucket or container in the reading tools; a missing file://
    // root must not pass for an empty archive either, or recovery would end quietly at the backup.
    try (Barman barman = context.barman(url, args, Map.of("file.create-root", "false"))) {
      WalArchive archive = barman.wal();
      if (args.has("--test")) {
        // Stricter than the other tools' test: a restore_command whose archive does not exist fails it (exit 2).
        archive.checkRestorable();
        return ExitCode.OK;
      }
      archive.restore(walName, Path.of(args.positional("WAL_DEST").orElseThrow()),
          args.has("--no-partial") ? WalArchive.PartialSegments.REFUSED : WalArchive.PartialSegments.ACCEPTED);
      return ExitCode.OK;
    }
  }
}
