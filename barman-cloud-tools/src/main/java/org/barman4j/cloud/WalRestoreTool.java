package org.barman4j.cloud;

import java.nio.file.Path;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.storage.StorageBackend;
import org.barman4j.wal.WalArchive;
import org.barman4j.wal.WalFileName;

/** {@code barman-cloud-wal-restore}: the body of {@code restore_command}. Exits 1 when the WAL is not archived. */
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
        .positional("SOURCE_URL", false, "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", false, "the name of the server as configured in Barman.")
        .positional("WAL_NAME", false, "the value of the '%f' keyword (according to 'restore_command').")
        .positional("WAL_DEST", false, "the value of the '%p' keyword (according to 'restore_command').")
        .flag("do not return partial WAL files", "--no-partial");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    String url = args.positional("SOURCE_URL").orElseThrow();
    ServerLayout layout = new ServerLayout(args.positional("SERVER_NAME").orElseThrow());
    String walName = args.positional("WAL_NAME").orElseThrow();
    WalFileName.parse(walName);
    try (StorageBackend backend = context.open(url, args)) {
      WalArchive archive = new WalArchive(backend, layout);
      if (args.has("--test")) {
        return context.connectivityTest(backend);
      }
      archive.restore(walName, Path.of(args.positional("WAL_DEST").orElseThrow()), !args.has("--no-partial"));
      return ExitCode.OK;
    }
  }
}
