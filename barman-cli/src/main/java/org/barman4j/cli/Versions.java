package org.barman4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the build, from the resource the build fills in. */
final class Versions {
  private Versions() {}

  static String barman4j() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // no version resource: an IDE build
    }
    return p.getProperty("version", "unknown");
  }
}
