package org.barman4j.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AbstractUploadTest {
  /** Records what the state machine calls. */
  private static final class Recording extends AbstractUpload {
    final List<String> calls = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    IOException commitFailure;
    IOException abortFailure;

    Recording() {
      super("srv/wals/x");
    }

    @Override
    protected void doWrite(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    @Override
    protected void doFlush() {
      calls.add("flush");
    }

    @Override
    protected ObjectInfo doCommit() throws IOException {
      calls.add("commit " + bytes.size() + (isOpen() ? " open" : ""));
      if (commitFailure != null) {
        throw commitFailure;
      }
      return new ObjectInfo(name(), bytes.size(), Instant.EPOCH, Optional.empty(), Map.of());
    }

    @Override
    protected void doAbort() throws IOException {
      calls.add("abort");
      if (abortFailure != null) {
        throw abortFailure;
      }
    }
  }

  @Test
  void commitStoresOnceAndCloseThenDoesNothing() throws IOException {
    Recording upload = new Recording();
    upload.stream().write(new byte[] {1, 2, 3});
    upload.stream().write(4);
    assertThat(upload.commit().size()).isEqualTo(4);
    upload.close();
    upload.close();
    assertThat(upload.calls).containsExactly("commit 4");
    assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class)
        .hasMessage("Upload of srv/wals/x is already committed");
    assertThatThrownBy(() -> upload.stream().write(5)).isInstanceOf(IOException.class)
        .hasMessage("Cannot write to the upload of srv/wals/x: it is committed or closed");
  }

  @Test
  void closeWithoutCommitAbortsOnce() throws IOException {
    Recording upload = new Recording();
    upload.stream().write(1);
    upload.close();
    upload.close();
    assertThat(upload.calls).containsExactly("abort");
    assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class)
        .hasMessage("Upload of srv/wals/x is already closed");
    assertThatThrownBy(() -> upload.stream().write(new byte[1], 0, 1)).isInstanceOf(IOException.class);
  }

  @Test
  void aFailedCommitAbortsAndEndsTheUpload() throws IOException {
    Recording upload = new Recording();
    upload.commitFailure = new IOException("network down");
    upload.abortFailure = new IOException("abort failed too");
    assertThatThrownBy(upload::commit).isSameAs(upload.commitFailure)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(upload.abortFailure));
    upload.close();
    assertThat(upload.calls).containsExactly("commit 0", "abort");
    assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingTheStreamFlushesAndRefusesWritesButTheUploadGoesOn() throws IOException {
    Recording upload = new Recording();
    OutputStream out = upload.stream();
    out.write(1);
    out.close();
    out.close();
    assertThatThrownBy(() -> out.write(2)).isInstanceOf(IOException.class)
        .hasMessage("Cannot write to the upload of srv/wals/x: its stream is closed");
    upload.commit();
    assertThat(upload.calls).containsExactly("flush", "commit 1");
  }

  @Test
  void badArgumentsAreRejectedBeforeTheTarget() {
    Recording upload = new Recording();
    assertThatThrownBy(() -> upload.stream().write(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(upload.bytes.size()).isZero();
  }
}
