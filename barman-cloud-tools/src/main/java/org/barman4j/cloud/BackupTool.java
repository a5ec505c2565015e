package org.barman4j.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.Barman;
import org.barman4j.backup.BackupOptions;
import org.barman4j.backup.ByteSize;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.internal.cli.UsageException;
import org.barman4j.postgres.ConnectionSettings;
import org.barman4j.postgres.PostgresSession;
import org.barman4j.postgres.PostgresSource;

/** {@code barman-cloud-backup}: a base backup of a PostgreSQL server running on this host. */
final class BackupTool implements CloudTool {
  private static final String[] COMPRESSION_FLAGS = {"--gzip", "--bzip2", "--snappy", "--zstd", "--lz4"};
  private static final String[] SNAPSHOT_OPTIONS = {"--snapshot-instance", "--snapshot-disk", "--gcp-zone",
      "--gcp-project", "--azure-subscription-id", "--azure-resource-group", "--aws-region",
      "--aws-await-snapshots-timeout", "--aws-snapshot-lock-mode", "--aws-snapshot-lock-cool-off-period",
      "--aws-snapshot-lock-expiration-date", "--aws-snapshot-lock-duration"};

  @Override
  public boolean createsStorage() {
    return true;
  }

  @Override
  public String name() {
    return "barman-cloud-backup";
  }

  @Override
  public String description() {
    return "This script can be used to perform a backup of a local PostgreSQL instance and ship the resulting "
        + "tarball(s) to the Cloud. Currently AWS S3, Azure Blob Storage, Google Cloud Storage and local disk "
        + "are supported.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("DESTINATION_URL", "URL of the cloud destination, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .flag("gzip-compress the backup while uploading to the cloud", "-z", "--gzip")
        .flag("bzip2-compress the backup while uploading to the cloud", "-j", "--bzip2")
        .flag("snappy-compress the backup while uploading to the cloud", "--snappy")
        .flag("zstd-compress the backup while uploading to the cloud (Barman4J extension: .tar.zst)", "--zstd")
        .flag("lz4-compress the backup while uploading to the cloud (Barman4J extension: .tar.lz4)", "--lz4")
        .value("COMPRESSION_LEVEL", "low, medium (default), high or an integer for the chosen algorithm (Barman4J extension)",
            "--compression-level")
        .value("HOST", "host or Unix socket for PostgreSQL connection (default: libpq settings)", "-h", "--host")
        .value("PORT", "port for PostgreSQL connection (default: libpq settings)", "-p", "--port")
        .value("USER", "user name for PostgreSQL connection (default: libpq settings)", "-U", "--user")
        .value("DBNAME", "Database name or conninfo string for Postgres connection (default: postgres)", "-d", "--dbname")
        .flag("forces the initial checkpoint to be done as quickly as possible", "--immediate-checkpoint")
        .value("JOBS", "number of parallel compression workers (default: 2)", "-J", "--jobs")
        .value("MAX_ARCHIVE_SIZE", "maximum size of an archive when uploading to cloud storage (default: 100GB)",
            "-S", "--max-archive-size")
        .value("MIN_CHUNK_SIZE", "minimum size of an individual chunk when uploading to cloud storage "
            + "(accepted for compatibility: the storage chooses its part size)", "--min-chunk-size")
        .value("MAX_BANDWIDTH", "the maximum amount of data to be uploaded per second", "--max-bandwidth")
        .value("BACKUP_NAME", "a name which can be used to reference this backup in commands such as "
            + "barman-cloud-restore and barman-cloud-backup-delete", "-n", "--name")
        .many("TAGS", "tags to be added to all uploaded files in cloud storage", "--tags")
        .value("KEY,VALUE", "a tag to be added to all uploaded files in cloud storage (repeatable)", "--tag")
        .choice(List.of("AES256", "aws:kms"), "the encryption algorithm used when storing the uploaded data in S3", "-e", "--encryption")
        .value("SSE_KMS_KEY_ID", "the AWS KMS key ID that should be used for encrypting the uploaded data in S3", "--sse-kms-key-id")
        .value("ENCRYPTION_SCOPE", "the name of an encryption scope defined in the Azure Blob Storage service", "--encryption-scope")
        .value("KMS_KEY_NAME", "the name of the GCP KMS key which should be used for encrypting the uploaded data in GCS", "--kms-key-name")
        .value("SNAPSHOT_INSTANCE", "snapshot backups are not supported by Barman4J", "--snapshot-instance")
        .value("SNAPSHOT_DISK", "snapshot backups are not supported by Barman4J", "--snapshot-disk")
        .value("GCP_ZONE", "snapshot backups are not supported by Barman4J", "--gcp-zone", "--snapshot-zone")
        .value("GCP_PROJECT", "snapshot backups are not supported by Barman4J", "--gcp-project", "--snapshot-gcp-project")
        .value("AZURE_SUBSCRIPTION_ID", "snapshot backups are not supported by Barman4J", "--azure-subscription-id")
        .value("AZURE_RESOURCE_GROUP", "snapshot backups are not supported by Barman4J", "--azure-resource-group")
        .value("AWS_REGION", "snapshot backups are not supported by Barman4J", "--aws-region")
        .value("AWS_AWAIT_SNAPSHOTS_TIMEOUT", "snapshot backups are not supported by Barman4J", "--aws-await-snapshots-timeout")
        .choice(List.of("governance", "compliance"), "snapshot backups are not supported by Barman4J", "--aws-snapshot-lock-mode")
        .value("HOURS", "snapshot backups are not supported by Barman4J", "--aws-snapshot-lock-cool-off-period")
        .value("DATE", "snapshot backups are not supported by Barman4J", "--aws-snapshot-lock-expiration-date")
        .value("DAYS", "snapshot backups are not supported by Barman4J", "--aws-snapshot-lock-duration")
        .exclusive(COMPRESSION_FLAGS)
        .exclusive("--aws-snapshot-lock-expiration-date", "--aws-snapshot-lock-duration");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    String url = args.positional("DESTINATION_URL").orElseThrow();
    for (String option : SNAPSHOT_OPTIONS) {
      if (args.has(option)) {
        throw new UsageException("snapshot backups (" + option + ") are not supported");
      }
    }
    if (args.has("--sse-kms-key-id") && !"aws:kms".equals(args.value("--encryption").orElse(""))) {
      throw new UsageException("Encryption type must be aws:kms if SSE KMS Key ID is specified");
    }
    Compression compression = Compression.NONE;
    for (String flag : COMPRESSION_FLAGS) {
      if (args.has(flag)) {
        compression = Compression.fromId(flag.substring(2));
      }
    }
    CompressionLevel level = CompressionLevel.parse(args.value("--compression-level").orElse("medium"));
    int jobs = args.integer("--jobs", 1).orElse(2);
    long maxArchiveSize = size(args, "--max-archive-size").orElse(BackupOptions.DEFAULT_MAX_ARCHIVE_SIZE);
    size(args, "--min-chunk-size");
    long maxBandwidth = size(args, "--max-bandwidth").orElse(0L);
    List<String> tagItems = new ArrayList<>(args.values("--tags"));
    tagItems.addAll(args.values("--tag"));
    BackupOptions.Builder builder = BackupOptions.builder().compression(compression, level).jobs(jobs)
        .maxArchiveSize(maxArchiveSize).maxBandwidth(maxBandwidth);
    if (args.has("--immediate-checkpoint")) {
      builder.immediateCheckpoint();
    }
    for (String name : args.values("--name")) {
      builder.name(name);
    }
    for (Map.Entry<String, String> tag : CloudTags.parse(tagItems).entrySet()) {
      builder.tag(tag.getKey(), tag.getValue());
    }
    BackupOptions options = builder.build();

    ConnectionSettings settings = ConnectionSettings.builder().host(args.value("--host").orElse(""))
        .port(args.value("--port").orElse("")).user(args.value("--user").orElse(""))
        .dbname(args.value("--dbname").orElse("")).applicationName("barman_cloud_backup").build();
    PostgresSource source = PostgresSource.of(settings);
    if (args.has("--test")) {
      // As Barman 3.4: the test connects to PostgreSQL too.
      try (PostgresSession session = source.connect();
          Barman barman = context.barman(url, args)) {
        return context.connectivityTest(barman);
      }
    }
    try (Barman barman = context.barman(url, args);
        ProgressLine progress = context.progressLine("backup")) {
      barman.backup(source, options, progress);
      return ExitCode.OK;
    }
  }

  private static Optional<Long> size(ArgParser.Parsed args, String option) throws UsageException {
    Optional<String> text = args.value(option);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ByteSize.parse(text.get()).bytes());
    } catch (IllegalArgumentException e) {
      throw new UsageException("argument " + option + ": " + e.getMessage());
    }
  }
}
