package org.barman4j.demo;

import java.util.List;
import org.barman4j.testing.postgres.PostgresCluster;

/**
 * The rows both recovery demos write and check: four events one second apart, the recovery target taken
 * between the second and the third.
 */
final class DemoEvents {
  /** The events, in the order they are written. */
  static final List<String> NOTES =
      List.of("order placed", "order paid", "order deleted by mistake", "table truncated by mistake");
  /** The events a recovery to the target keeps. */
  static final List<String> EXPECTED = NOTES.subList(0, 2);

  private DemoEvents() {}

  /** Creates {@code demo_events}, writes the events and returns the target: the time after the second. */
  static String write(PostgresCluster primary) throws InterruptedException {
    primary.execute("create table demo_events (id int primary key, note text, at timestamptz default clock_timestamp())");
    String target = "";
    for (int i = 0; i < NOTES.size(); i++) {
      primary.execute("insert into demo_events (id, note) values (" + (i + 1) + ", '" + NOTES.get(i) + "')");
      Thread.sleep(1100);
      if (i == 1) {
        target = primary.queryValue("select clock_timestamp()");
        Thread.sleep(1100);
      }
    }
    return target;
  }

  /**
   * Prints step 5: what the {@code done} (recovered, restored) server holds; {@return true when it is exactly
   * the pgbench rows and the events committed before the target}
   */
  static boolean check(PostgresCluster server, String done) {
    String rows = server.queryValue("select string_agg(note, ', ' order by id) from demo_events");
    String accounts = server.queryValue("select count(*) from pgbench_accounts");
    boolean ok = String.join(", ", EXPECTED).equals(rows) && "1000000".equals(accounts);
    System.out.println("  5. the " + done + " server replayed the archive up to the target: " + accounts
        + " pgbench rows and the events [" + rows + "] " + (ok ? "- exactly the rows committed before the target"
            : "- WRONG, expected [" + String.join(", ", EXPECTED) + "]"));
    return ok;
  }
}
