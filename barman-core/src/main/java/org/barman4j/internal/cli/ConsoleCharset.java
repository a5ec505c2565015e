package org.barman4j.internal.cli;

import java.nio.charset.Charset;
import java.util.List;

/** The charset a launcher prints with on its console streams. */
public final class ConsoleCharset {
  private ConsoleCharset() {}

  /**
   * {@return the charset the JVM chose for {@code System.out} or {@code System.err}, else the default one}
   *
   * @param stream {@code stdout} or {@code stderr}
   */
  public static Charset of(String stream) {
    for (String property : List.of(stream + ".encoding", "sun." + stream + ".encoding")) {
      String name = System.getProperty(property);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }
}
