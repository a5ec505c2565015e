package org.barman4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class CausesTest {
  @Test
  void anAccessDeniedExceptionSaysPermissionDeniedAndNamesTheFile() {
    // Its getMessage() is only the path: "Cannot archive X: X" lost the reason.
    assertThat(Causes.describe(new AccessDeniedException("/srv/pg_wal/000000010000000000000001")))
        .isEqualTo("Permission denied (/srv/pg_wal/000000010000000000000001)");
    assertThat(Causes.describe(new UncheckedIOException(new AccessDeniedException("/srv/archive/.incoming"))))
        .isEqualTo("Permission denied (/srv/archive/.incoming)");
  }

  @Test
  void fileSystemExceptionsKeepTheOperatingSystemsReasonAndBothFiles() {
    assertThat(Causes.describe(new FileSystemException("/srv/a", null, "No space left on device")))
        .isEqualTo("No space left on device (/srv/a)");
    assertThat(Causes.describe(new NoSuchFileException("/srv/a", "/srv/b", null)))
        .isEqualTo("No such file or directory (/srv/a -> /srv/b)");
    assertThat(Causes.describe(new FileAlreadyExistsException("/srv/a"))).isEqualTo("File exists (/srv/a)");
  }

  @Test
  void exceptionsWithoutAMessageAreDescribedInWordsNeverAsNull() {
    assertThat(Causes.describe(new EOFException())).isEqualTo("unexpected end of data (truncated)");
    assertThat(Causes.describe(new IOException("reading x", new EOFException()))).isEqualTo("reading x");
    assertThat(Causes.describe(new IOException(new EOFException()))).isEqualTo("unexpected end of data (truncated)");
    assertThat(Causes.describe(new IOException((String) null))).isEqualTo("I/O error");
    assertThat(Causes.describe(new SocketTimeoutException())).isEqualTo("socket timeout");
    assertThat(Causes.describe(new IllegalStateException((String) null, new EOFException())))
        .isEqualTo("illegal state: unexpected end of data (truncated)");
    assertThat(Causes.describe(new NullPointerException())).isEqualTo("null pointer");
  }

  @Test
  void messagesAreKeptOnOneLine() {
    assertThat(Causes.describe(new SocketTimeoutException("Read timed out"))).isEqualTo("Read timed out");
    assertThat(Causes.describe(new UnknownHostException("s3.example"))).isEqualTo("unknown host s3.example");
    assertThat(Causes.describe(new IOException("first\n  second"))).isEqualTo("first second");
  }
}
