package org.barman4j.internal;

import java.io.EOFException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * The reason of a failure in words, for the error lines that name the object and then say why. Java's
 * exceptions do not all carry one in {@link Throwable#getMessage()}: an {@link AccessDeniedException}'s message
 * is only the path (the "Permission denied" is its class), a truncated stream's {@link EOFException} has none.
 */
public final class Causes {
  private Causes() {}

  /**
   * What went wrong, in one line: the operating system's reason and the file for file-system errors
   * ({@code Permission denied (/var/lib/pg/x)}), the message otherwise, or the exception's kind in words
   * when it has no message ({@code unexpected end of data (truncated)}), followed by its cause's reason.
   */
  public static String describe(Throwable e) {
    if (e instanceof FileSystemException fs) {
      StringBuilder sb = new StringBuilder(fs.getReason() != null ? fs.getReason() : fileSystemReason(fs));
      if (fs.getFile() != null) {
        sb.append(" (").append(fs.getFile());
        if (fs.getOtherFile() != null) {
          sb.append(" -> ").append(fs.getOtherFile());
        }
        sb.append(')');
      }
      return oneLine(sb.toString());
    }
    String message = e.getMessage();
    Throwable cause = e.getCause();
    // A wrapper made as new XException(cause) has cause.toString() for message: the cause says it better.
    if (cause != null && cause != e && message != null && message.equals(cause.toString())) {
      return describe(cause);
    }
    if (message == null || message.isBlank()) {
      String words = e instanceof EOFException ? "unexpected end of data (truncated)" : words(e.getClass());
      return cause == null || cause == e ? words : words + ": " + describe(cause);
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + oneLine(message);
    }
    return oneLine(message);
  }

  private static String fileSystemReason(FileSystemException e) {
    // The strerror(3) texts that the JDK puts in other FileSystemExceptions' reasons.
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "Directory not empty";
    }
    if (e instanceof NotDirectoryException) {
      return "Not a directory";
    }
    if (e instanceof NotLinkException) {
      return "Not a symbolic link";
    }
    if (e instanceof FileSystemLoopException) {
      return "Too many levels of symbolic links";
    }
    return words(e.getClass());
  }

  /** {@code SocketTimeoutException} → "socket timeout". */
  private static String words(Class<?> type) {
    String name = type.getSimpleName().replaceFirst("(Exception|Error)$", "");
    if (name.isEmpty()) {
      name = type.getSimpleName();
    }
    if (name.equals("IO")) {
      return "I/O error";
    }
    String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2");
    StringBuilder sb = new StringBuilder();
    for (String word : spaced.split(" ")) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      // Acronyms (EOF, URI) keep their case.
      sb.append(word.length() > 1 && word.equals(word.toUpperCase(Locale.ROOT)) ? word : word.toLowerCase(Locale.ROOT));
    }
    return sb.toString();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
