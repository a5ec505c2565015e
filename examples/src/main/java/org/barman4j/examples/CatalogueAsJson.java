package org.barman4j.examples;

import org.barman4j.Barman;
import org.barman4j.catalog.BackupInfoJson;

/**
 * Recipe: list a server's backups as JSON, in the form of {@code barman-cloud-backup-list --format json}
 * ({@code {"backups_list": [...]}}, oldest first). Usage: {@code CatalogueAsJson URL SERVER}.
 */
public final class CatalogueAsJson {
  private CatalogueAsJson() {}

  /**
   * {@return every backup of the server as JSON}
   *
   * @param barman the server's backups
   */
  public static String json(Barman barman) {
    return BackupInfoJson.writeList(barman.list().backups());
  }

  /**
   * Prints the catalogue of {@code SERVER} in {@code URL}.
   *
   * @param args {@code URL SERVER}
   */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: CatalogueAsJson URL SERVER");
      System.exit(2);
    }
    try (Barman barman = Barman.builder().url(args[0]).serverName(args[1]).build()) {
      System.out.println(json(barman));
    }
  }
}
