package org.barman4j.cloud;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.PyLiteral;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageException;

/** What the catalogue tools share: {@code --test}, integer options as barman-cloud checks them, list printing. */
final class CatalogTools {
  private CatalogTools() {}

  /** {@code --test}: the storage is reachable (exit 0), or a {@link StorageFailureException} (exit 2). */
  static ExitCode test(StorageBackend backend) throws IOException {
    try {
      backend.check();
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    }
    return ExitCode.OK;
  }

  /** An integer option checked like barman-cloud's {@code check_non_negative} / {@code check_positive}. */
  static OptionalInt integer(ArgParser.Parsed args, String option, String checker, int minimum) throws UsageException {
    if (args.value(option).isEmpty()) {
      return OptionalInt.empty();
    }
    String text = args.value(option).get();
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= minimum) {
        return OptionalInt.of(value);
      }
    } catch (NumberFormatException e) {
      // reported below, as argparse reports it
    }
    throw new UsageException("argument " + option + ": invalid " + checker + " value: '" + text + "'");
  }

  /** Python's {@code repr} of a list of strings, as Barman prints object keys: {@code ['a', 'b']}. */
  static String pythonList(List<String> items) {
    List<PyLiteral.Value> values = new ArrayList<>();
    for (String item : items) {
      values.add(new PyLiteral.PyStr(item));
    }
    return PyLiteral.repr(new PyLiteral.PyList(values));
  }
}
