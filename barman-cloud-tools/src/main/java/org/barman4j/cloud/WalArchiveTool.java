package org.barman4j.cloud;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.Barman;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.hooks.HookEnvironment;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.UsageException;
import org.barman4j.wal.PreparedWal;
import org.barman4j.wal.WalArchive.ArchiveOptions;

/** {@code barman-cloud-wal-archive}: the body of {@code archive_command}. */
final class WalArchiveTool implements CloudTool {
  private static final String[] COMPRESSION_FLAGS = {"--gzip", "--bzip2", "--xz", "--snappy", "--zstd", "--lz4"};
  // barman-cloud-wal-archive's own defaults for its Azure options (its --help shows them); they differ from
  // those of Barman's Azure client, which the other tools use. A WAL segment is thus one request by default.
  private static final Map<String, String> AZURE_DEFAULTS = Map.of("azure.max-block-size", "4MB",
      "azure.max-concurrency", "1", "azure.max-single-put-size", "64MB");

  @Override
  public boolean createsStorage() {
    return true;
  }

  @Override
  public String name() {
    return "barman-cloud-wal-archive";
  }

  @Override
  public String description() {
    return "This script can be used in the `archive_command` of a PostgreSQL server to ship WAL files to "
        + "the Cloud. Currently AWS S3, Azure Blob Storage, Google Cloud Storage and local disk are supported.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("DESTINATION_URL", "URL of the cloud destination, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .optionalPositional("WAL_PATH", "the value of the '%p' keyword (according to 'archive_command').")
        .flag("gzip-compress the WAL while uploading to the cloud", "-z", "--gzip")
        .flag("bzip2-compress the WAL while uploading to the cloud", "-j", "--bzip2")
        .flag("xz-compress the WAL while uploading to the cloud", "--xz")
        .flag("snappy-compress the WAL while uploading to the cloud", "--snappy")
        .flag("zstd-compress the WAL while uploading to the cloud", "--zstd")
        .flag("lz4-compress the WAL while uploading to the cloud", "--lz4")
        .value("COMPRESSION_LEVEL", "a compression level: low, medium, high or an integer for the chosen algorithm", "--compression-level")
        .many("TAGS", "tags to be added to archived WAL files in cloud storage", "--tags")
        .value("KEY,VALUE", "a tag to be added to archived WAL files in cloud storage (repeatable)", "--tag")
        .many("HISTORY_TAGS", "tags to be added to archived history files in cloud storage", "--history-tags")
        .value("KEY,VALUE", "a tag to be added to archived history files in cloud storage (repeatable)", "--history-tag")
        .choice(List.of("AES256", "aws:kms"), "the encryption algorithm used when storing the uploaded data in S3", "-e", "--encryption")
        .value("SSE_KMS_KEY_ID", "the AWS KMS key ID that should be used for encrypting the uploaded data in S3", "--sse-kms-key-id")
        .value("KMS_KEY_NAME", "the name of the GCP KMS key which should be used for encrypting the uploaded data in GCS", "--kms-key-name")
        .value("ENCRYPTION_SCOPE", "the name of an encryption scope defined in the Azure Blob Storage service", "--encryption-scope")
        .value("MAX_BLOCK_SIZE", "the chunk size to be used when uploading an object to Azure Blob Storage", "--max-block-size")
        .value("MAX_CONCURRENCY", "the maximum number of chunks to be uploaded concurrently to Azure Blob Storage", "--max-concurrency")
        .value("MAX_SINGLE_PUT_SIZE", "maximum size for which the Azure client will upload an object in a single request", "--max-single-put-size")
        .exclusive(COMPRESSION_FLAGS);
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    String url = args.positional("DESTINATION_URL").orElseThrow();
    if (args.has("--sse-kms-key-id") && !"aws:kms".equals(args.value("--encryption").orElse(""))) {
      throw new UsageException("Encryption type must be aws:kms if SSE KMS Key ID is specified");
    }
    Compression compression = compression(args);
    CompressionLevel level = CompressionLevel.parse(args.value("--compression-level").orElse("medium"));
    List<String> tagItems = new ArrayList<>(args.values("--tags"));
    tagItems.addAll(args.values("--tag"));
    List<String> historyItems = new ArrayList<>(args.values("--history-tags"));
    historyItems.addAll(args.values("--history-tag"));
    ArchiveOptions options =
        new ArchiveOptions(compression, level, CloudTags.parse(tagItems), CloudTags.parse(historyItems));
    Optional<String> walPath = args.positional("WAL_PATH");
    if (walPath.isEmpty()) {
      walPath = hookWalPath();
    }
    if (walPath.isEmpty() && !args.has("--test")) {
      throw new UsageException("the following arguments are required: WAL_PATH");
    }
    if (args.has("--test")) {
      try (Barman barman = context.barman(url, args, AZURE_DEFAULTS)) {
        return context.connectivityTest(barman);
      }
    }
    // Compressing starts first, so that it overlaps opening the storage (an SDK client takes as long to
    // build as a 16 MiB segment takes to compress) and the archive's checks.
    try (PreparedWal prepared = PreparedWal.start(Path.of(walPath.get()), options);
        Barman barman = context.barman(url, args, AZURE_DEFAULTS)) {
      barman.wal().archive(prepared);
      return ExitCode.OK;
    }
  }

  private static Compression compression(ArgParser.Parsed args) {
    for (String flag : COMPRESSION_FLAGS) {
      if (args.has(flag)) {
        return Compression.fromId(flag.substring(2));
      }
    }
    return Compression.NONE;
  }

  /** In a Barman {@code archive_script} hook the WAL comes from the environment. */
  private static Optional<String> hookWalPath() {
    return HookEnvironment.from(System.getenv()).flatMap(HookEnvironment::walToArchive).map(Path::toString);
  }
}
