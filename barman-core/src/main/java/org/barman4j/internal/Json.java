package org.barman4j.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.barman4j.internal.PyLiteral;

/**
 * A small JSON writer producing what Python's {@code json.dumps} produces with its defaults, so that
 * {@code --format json} output matches Barman's byte for byte: {@code ", "} and {@code ": "} separators,
 * non-ASCII characters escaped as {@code \\uXXXX}, floats as Python prints them.
 *
 * <p>Values: {@link Map} (keys written with {@link String#valueOf}, in the map's iteration order),
 * {@link Collection} and arrays of objects, {@link CharSequence}, {@link Number}, {@link Boolean},
 * {@link Optional} (empty is {@code null}), {@link OptionalInt}/{@link OptionalLong}, {@link #NULL} and
 * {@link PyLiteral.Value}.
 */
public final class Json {
  private Json() {}

  /** JSON {@code null}. */
  public static final Object NULL = Optional.empty();

  /**
   * {@code value} as JSON text.
   *
   * @throws IllegalArgumentException for a value of a type listed nowhere above
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null || value == NULL || value == PyLiteral.PyNone.NONE) {
      out.append("null");
    } else if (value instanceof Optional<?> o) {
      append(out, o.orElse(null));
    } else if (value instanceof OptionalInt o) {
      append(out, o.isPresent() ? (Object) o.getAsInt() : null);
    } else if (value instanceof OptionalLong o) {
      append(out, o.isPresent() ? (Object) o.getAsLong() : null);
    } else if (value instanceof CharSequence s) {
      appendString(out, s.toString());
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Double || value instanceof Float) {
      appendFloat(out, ((Number) value).doubleValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof BigDecimal d) {
      out.append(d.toString());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        appendString(out, String.valueOf(e.getKey()));
        out.append(": ");
        append(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        append(out, item);
      }
      out.append(']');
    } else if (value instanceof Object[] array) {
      append(out, java.util.Arrays.asList(array));
    } else if (value instanceof PyLiteral.Value py) {
      appendPython(out, py);
    } else {
      throw new IllegalArgumentException("Cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  // json.dumps of what ast.literal_eval returned: tuples become arrays, dict keys become strings.
  private static void appendPython(StringBuilder out, PyLiteral.Value value) {
    if (value instanceof PyLiteral.PyStr s) {
      appendString(out, s.value());
    } else if (value instanceof PyLiteral.PyInt i) {
      out.append(i.value());
    } else if (value instanceof PyLiteral.PyFloat f) {
      appendFloat(out, f.value());
    } else if (value instanceof PyLiteral.PyBool b) {
      out.append(b.value() ? "true" : "false");
    } else if (value instanceof PyLiteral.PyNone) {
      out.append("null");
    } else if (value instanceof PyLiteral.PyList l) {
      append(out, l.items());
    } else if (value instanceof PyLiteral.PyTuple t) {
      append(out, t.items());
    } else if (value instanceof PyLiteral.PyDict d) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<PyLiteral.Value, PyLiteral.Value> e : d.entries().entrySet()) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        appendString(out, keyText(e.getKey()));
        out.append(": ");
        appendPython(out, e.getValue());
      }
      out.append('}');
    }
  }

  private static String keyText(PyLiteral.Value key) {
    if (key instanceof PyLiteral.PyStr s) {
      return s.value();
    }
    if (key instanceof PyLiteral.PyBool b) {
      return b.value() ? "true" : "false";
    }
    if (key instanceof PyLiteral.PyNone) {
      return "null";
    }
    if (key instanceof PyLiteral.PyFloat f) {
      return floatText(f.value());
    }
    if (key instanceof PyLiteral.PyInt i) {
      return i.value().toString();
    }
    throw new IllegalArgumentException("Cannot write a Python " + key.getClass().getSimpleName() + " as a JSON key");
  }

  private static void appendFloat(StringBuilder out, double d) {
    out.append(floatText(d));
  }

  private static String floatText(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return PyLiteral.reprFloat(d);
  }

  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
