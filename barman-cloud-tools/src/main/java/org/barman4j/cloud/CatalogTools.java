package org.barman4j.cloud;

import java.util.ArrayList;
import java.util.List;
import org.barman4j.internal.PyLiteral;

/** What the catalogue tools share: printing lists of keys as Barman does. */
final class CatalogTools {
  private CatalogTools() {}

  /** Python's {@code repr} of a list of strings, as Barman prints object keys: {@code ['a', 'b']}. */
  static String pythonList(List<String> items) {
    List<PyLiteral.Value> values = new ArrayList<>();
    for (String item : items) {
      values.add(new PyLiteral.PyStr(item));
    }
    return PyLiteral.repr(new PyLiteral.PyList(values));
  }
}
