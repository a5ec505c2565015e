package org.barman4j.cloud.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.barman4j.cloud.CloudTools;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentHeader;
import org.barman4j.wal.WalSegmentSize;

/**
 * The training run behind the class-data archive ({@code bin/barman4j-setup}): runs the WAL tools the way
 * {@code archive_command} and {@code restore_command} do (archive a 16 MiB segment uncompressed and with
 * each codec, archive it again, restore it, restore a missing one, test connectivity) against a local
 * directory and, when the S3 backend is on the class path, against an in-process {@link TrainingS3Server},
 * so that the JVM records every class those calls load. Run as the hidden tool name
 * {@value #TOOL}; prints one summary line and exits non-zero if a call did not end as expected.
 */
public final class StartupTraining {
  /** The tool name that runs the training. */
  public static final String TOOL = "barman4j-training";

  private static final String SERVER = "training";
  private static final int SEGMENT_SIZE = 16 << 20;

  private final Path work;
  private final PrintStream log;
  private final List<String> failures = new ArrayList<>();
  private int calls;

  private StartupTraining(Path work, PrintStream log) {
    this.work = work;
    this.log = log;
  }

  /** Runs the training; returns 0 if every call ended as expected. */
  public static int run(PrintStream out, PrintStream err) {
    Path work;
    try {
      work = Files.createTempDirectory("barman4j-training");
    } catch (IOException e) {
      err.println("ERROR: cannot create a temporary directory: " + e.getMessage());
      return 4;
    }
    // Tool output (slf4j-simple writes to System.err) is kept apart and shown only for failed calls.
    ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(transcript, true, StandardCharsets.UTF_8);
    PrintStream stderr = System.err;
    System.setErr(log);
    StartupTraining training = new StartupTraining(work, log);
    String s3;
    try {
      s3 = training.train();
    } catch (IOException | RuntimeException e) {
      training.failures.add(e.toString());
      s3 = "";
    } finally {
      System.setErr(stderr);
      delete(work);
    }
    if (!training.failures.isEmpty()) {
      err.print(transcript.toString(StandardCharsets.UTF_8));
      err.println("ERROR: training calls failed: " + String.join("; ", training.failures));
      return 1;
    }
    out.println("Training: " + training.calls + " tool calls, file://" + s3);
    return 0;
  }

  private String train() throws IOException {
    Path segment = work.resolve("000000010000000000000001");
    Path segment2 = work.resolve("000000010000000000000002");
    writeSegment(segment, 1);
    writeSegment(segment2, 2);
    call(0, "barman-cloud-wal-archive", "-V");
    walCalls("file://" + work.resolve("archive"), List.of(), segment, segment2);
    // Every codec once, on small timeline history files (the codec classes are what matters here).
    String[] codecs = {"--zstd", "--lz4", "--bzip2", "--xz", "--snappy"};
    for (int i = 0; i < codecs.length; i++) {
      Path history = work.resolve(String.format("%08X.history", i + 2));
      Files.writeString(history, "1\t0/" + (i + 3) + "000000\tbefore transaction 7" + i + "\n");
      String url = "file://" + work.resolve("codecs");
      call(0, "barman-cloud-wal-archive", codecs[i], url, SERVER, history.toString());
      call(0, "barman-cloud-wal-restore", url, SERVER, history.getFileName().toString(),
          work.resolve("restored-" + history.getFileName()).toString());
    }
    if (!s3Available()) {
      return " (no S3 backend on the class path)";
    }
    String profileName = "default";
    Path config = work.resolve("aws-config");
    Path credentials = work.resolve("aws-credentials");
    Files.writeString(config, "[default]\nregion = us-east-1\n");
    Files.writeString(credentials, "[default]\naws_access_key_id = training\naws_secret_access_key = training\n");
    // The SDK reads these before the environment's AWS_PROFILE / AWS_CONFIG_FILE.
    System.setProperty("aws.configFile", config.toString());
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    System.setProperty("aws.profile", profileName);
    try (TrainingS3Server server = TrainingS3Server.start()) {
      List<String> endpoint = List.of("--cloud-provider", "aws-s3", "--endpoint-url", server.endpoint().toString());
      walCalls("s3://barman4j-training/wal", endpoint, segment, segment2);
      if (server.objectCount() < 2) {
        failures.add("the training S3 endpoint holds " + server.objectCount() + " objects, expected 2");
      }
    }
    return ", s3:// (in-process endpoint)";
  }

  // What archive_command and restore_command do on one destination.
  private void walCalls(String url, List<String> options, Path segment, Path segment2) {
    String restored = work.resolve("restored").toString();
    call(0, args("barman-cloud-wal-archive", options, "-t", url, SERVER));
    call(0, args("barman-cloud-wal-archive", options, url, SERVER, segment.toString()));
    call(0, args("barman-cloud-wal-archive", options, "--gzip", url, SERVER, segment2.toString()));
    call(0, args("barman-cloud-wal-archive", options, url, SERVER, segment.toString())); // already archived
    call(0, args("barman-cloud-wal-restore", options, url, SERVER, segment.getFileName().toString(), restored));
    call(0, args("barman-cloud-wal-restore", options, url, SERVER, segment2.getFileName().toString(), restored));
    call(1, args("barman-cloud-wal-restore", options, url, SERVER, "0000000100000000000000FF", restored));
  }

  private static String[] args(String tool, List<String> options, String... rest) {
    List<String> all = new ArrayList<>();
    all.add(tool);
    all.addAll(options);
    all.addAll(List.of(rest));
    return all.toArray(new String[0]);
  }

  private void call(int expected, String... args) {
    calls++;
    log.println("$ " + String.join(" ", args));
    int code = CloudTools.run(args, new PrintStream(OutputStream.nullOutputStream()), log);
    if (code != expected) {
      failures.add(String.join(" ", args) + " exited " + code + ", expected " + expected);
    }
  }

  private static boolean s3Available() {
    try {
      Class.forName("org.barman4j.storage.s3.S3StorageProvider", false, StartupTraining.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  // Half noise, half zeros: compressible about as much as a real segment; and the header restore checks.
  private static void writeSegment(Path path, long seed) throws IOException {
    byte[] bytes = new byte[SEGMENT_SIZE];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < bytes.length / 2; i += 8) {
      long r = random.nextLong();
      for (int b = 0; b < 8; b++) {
        bytes[i + b] = (byte) (r >>> (8 * b));
      }
    }
    byte[] header = WalSegmentHeader.of(WalFileName.parse(path.getFileName().toString()),
        new WalSegmentSize(SEGMENT_SIZE), seed).toBytes();
    System.arraycopy(header, 0, bytes, 0, header.length);
    Files.write(path, bytes);
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
