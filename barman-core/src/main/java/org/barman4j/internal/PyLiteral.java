package org.barman4j.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The subset of Python literals that {@code backup.info} holds ({@code repr()} on write,
 * {@code ast.literal_eval} on read): strings, integers, floats, booleans, {@code None}, lists, tuples
 * and dicts. {@link #repr(Value)} prints exactly what Python 3 prints, so files we write read back in
 * Barman unchanged.
 */
public final class PyLiteral {
  private PyLiteral() {}

  /** A parsed Python value. */
  public sealed interface Value permits PyStr, PyInt, PyFloat, PyBool, PyNone, PyList, PyTuple, PyDict {
    /** Python's truth value: false for None, False, zero and empty containers. */
    boolean isTruthy();
  }

  /** A {@code str}. */
  public record PyStr(String value) implements Value {
    public PyStr {
      Objects.requireNonNull(value, "value is null");
    }

    @Override
    public boolean isTruthy() {
      return !value.isEmpty();
    }
  }

  /** An {@code int}, of any size. */
  public record PyInt(BigInteger value) implements Value {
    public PyInt {
      Objects.requireNonNull(value, "value is null");
    }

    /** The integer {@code value}. */
    public static PyInt of(long value) {
      return new PyInt(BigInteger.valueOf(value));
    }

    @Override
    public boolean isTruthy() {
      return value.signum() != 0;
    }
  }

  /** A {@code float}. */
  public record PyFloat(double value) implements Value {
    @Override
    public boolean isTruthy() {
      return value != 0.0;
    }
  }

  /** {@code True} or {@code False}. */
  public record PyBool(boolean value) implements Value {
    @Override
    public boolean isTruthy() {
      return value;
    }
  }

  /** {@code None}. */
  public enum PyNone implements Value {
    /** The only instance. */
    NONE;

    @Override
    public boolean isTruthy() {
      return false;
    }
  }

  /** A {@code list}. */
  public record PyList(List<Value> items) implements Value {
    public PyList {
      items = List.copyOf(Objects.requireNonNull(items, "items is null"));
    }

    @Override
    public boolean isTruthy() {
      return !items.isEmpty();
    }
  }

  /** A {@code tuple}. */
  public record PyTuple(List<Value> items) implements Value {
    public PyTuple {
      items = List.copyOf(Objects.requireNonNull(items, "items is null"));
    }

    @Override
    public boolean isTruthy() {
      return !items.isEmpty();
    }
  }

  /** A {@code dict}, in insertion order (which {@code repr} preserves). */
  public record PyDict(Map<Value, Value> entries) implements Value {
    public PyDict {
      Objects.requireNonNull(entries, "entries is null");
      Map<Value, Value> copy = new LinkedHashMap<>();
      entries.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key is null"), Objects.requireNonNull(v, "value is null")));
      entries = Collections.unmodifiableMap(copy);
    }

    @Override
    public boolean isTruthy() {
      return !entries.isEmpty();
    }
  }

  /**
   * Parses one literal, as {@code ast.literal_eval} would.
   *
   * @throws IllegalArgumentException naming the offset of the first unexpected character
   */
  public static Value parse(String text) {
    Objects.requireNonNull(text, "text is null");
    Parser parser = new Parser(text);
    parser.skipSpace();
    Value value = parser.value();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected text after the literal");
    }
    return value;
  }

  /** Python's {@code repr()} of {@code value}. */
  public static String repr(Value value) {
    StringBuilder out = new StringBuilder();
    appendRepr(out, Objects.requireNonNull(value, "value is null"));
    return out.toString();
  }

  /** Python's {@code repr()} of the string {@code s}: {@code 'a\nb'}. */
  public static String repr(String s) {
    StringBuilder out = new StringBuilder();
    appendStr(out, Objects.requireNonNull(s, "s is null"));
    return out.toString();
  }

  /** Python's {@code repr()} of a float: the shortest text that reads back to {@code d}. */
  public static String reprFloat(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    String sign = (d < 0 || (d == 0.0 && 1 / d < 0)) ? "-" : "";
    if (d == 0.0) {
      return sign + "0.0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = decimal.unscaledValue().toString();
    int point = digits.length() - decimal.scale(); // digits before the decimal point
    StringBuilder out = new StringBuilder(sign);
    if (point < -3 || point > 16) {
      int exponent = point - 1;
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      return out.append(abs).toString();
    }
    if (point <= 0) {
      out.append("0.");
      out.append("0".repeat(-point)).append(digits);
    } else if (point >= digits.length()) {
      out.append(digits).append("0".repeat(point - digits.length())).append(".0");
    } else {
      out.append(digits, 0, point).append('.').append(digits, point, digits.length());
    }
    return out.toString();
  }

  private static void appendRepr(StringBuilder out, Value value) {
    if (value instanceof PyStr s) {
      appendStr(out, s.value());
    } else if (value instanceof PyInt i) {
      out.append(i.value());
    } else if (value instanceof PyFloat f) {
      out.append(reprFloat(f.value()));
    } else if (value instanceof PyBool b) {
      out.append(b.value() ? "True" : "False");
    } else if (value instanceof PyNone) {
      out.append("None");
    } else if (value instanceof PyList l) {
      appendItems(out, '[', l.items(), ']');
    } else if (value instanceof PyTuple t) {
      appendItems(out, '(', t.items(), ')');
      if (t.items().size() == 1) {
        out.insert(out.length() - 1, ',');
      }
    } else if (value instanceof PyDict d) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<Value, Value> e : d.entries().entrySet()) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        appendRepr(out, e.getKey());
        out.append(": ");
        appendRepr(out, e.getValue());
      }
      out.append('}');
    }
  }

  private static void appendItems(StringBuilder out, char open, List<Value> items, char close) {
    out.append(open);
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      appendRepr(out, items.get(i));
    }
    out.append(close);
  }

  // CPython's unicode_repr: single quotes unless the text holds ' and no ".
  private static void appendStr(StringBuilder out, String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (cp == '\t') {
        out.append("\\t");
      } else if (cp == '\n') {
        out.append("\\n");
      } else if (cp == '\r') {
        out.append("\\r");
      } else if (cp < ' ' || cp == 0x7f) {
        out.append(String.format("\\x%02x", cp));
      } else if (cp < 0x7f || isPrintable(cp)) {
        out.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        out.append(String.format("\\x%02x", cp));
      } else if (cp <= 0xffff) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.append(String.format("\\U%08x", cp));
      }
    }
    out.append(quote);
  }

  // Python's str.isprintable: not Cc, Cf, Cs, Co, Cn, Zl, Zp, and not Zs other than the space.
  private static boolean isPrintable(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return false;
      case Character.SPACE_SEPARATOR:
        return cp == ' ';
      default:
        return true;
    }
  }

  private static final class Parser {
    private final String text;
    private int pos;
    private int depth;

    Parser(String text) {
      this.text = text;
    }

    IllegalArgumentException error(String what) {
      String near = text.substring(pos, Math.min(text.length(), pos + 20));
      return new IllegalArgumentException(
          "Invalid Python literal: " + what + " at offset " + pos + (near.isEmpty() ? " (end of text)" : " near '" + near + "'"));
    }

    void skipSpace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
          pos++;
        } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
          pos += 2;
        } else {
          return;
        }
      }
    }

    Value value() {
      if (pos >= text.length()) {
        throw error("expected a value");
      }
      if (++depth > 200) {
        throw error("nesting too deep");
      }
      try {
        char c = text.charAt(pos);
        switch (c) {
          case '[':
            pos++;
            return new PyList(items(']').items);
          case '(':
            return parenthesized();
          case '{':
            return dict();
          case '\'':
          case '"':
            return new PyStr(string(false));
          default:
            break;
        }
        if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
          return number();
        }
        if (Character.isLetter(c) || c == '_') {
          int start = pos;
          while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
          }
          String word = text.substring(start, pos);
          if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
            String prefix = word.toLowerCase(java.util.Locale.ROOT);
            if (prefix.equals("u")) {
              return new PyStr(string(false));
            }
            if (prefix.equals("r")) {
              return new PyStr(string(true));
            }
            pos = start;
            throw error("unsupported string prefix '" + word + "'");
          }
          switch (word) {
            case "True":
              return new PyBool(true);
            case "False":
              return new PyBool(false);
            case "None":
              return PyNone.NONE;
            default:
              pos = start;
              throw error("unexpected name '" + word + "'");
          }
        }
        throw error("unexpected character");
      } finally {
        depth--;
      }
    }

    private static final class Items {
      final List<Value> items = new ArrayList<>();
      boolean trailingComma;
    }

    // Parses comma-separated values up to and including 'close'; the opener is already consumed.
    Items items(char close) {
      Items result = new Items();
      skipSpace();
      while (true) {
        if (pos < text.length() && text.charAt(pos) == close) {
          pos++;
          return result;
        }
        result.items.add(value());
        result.trailingComma = false;
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          result.trailingComma = true;
          skipSpace();
        } else if (pos >= text.length() || text.charAt(pos) != close) {
          throw error("expected ',' or '" + close + "'");
        }
      }
    }

    Value parenthesized() {
      pos++;
      Items items = items(')');
      if (items.items.size() == 1 && !items.trailingComma) {
        return items.items.get(0);
      }
      return new PyTuple(items.items);
    }

    Value dict() {
      pos++;
      Map<Value, Value> entries = new LinkedHashMap<>();
      skipSpace();
      while (true) {
        if (pos < text.length() && text.charAt(pos) == '}') {
          pos++;
          return new PyDict(entries);
        }
        Value key = value();
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != ':') {
          throw error("expected ':' in a dict (sets are not supported)");
        }
        pos++;
        skipSpace();
        entries.put(key, value());
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          skipSpace();
        } else if (pos >= text.length() || text.charAt(pos) != '}') {
          throw error("expected ',' or '}'");
        }
      }
    }

    Value number() {
      int start = pos;
      boolean negative = false;
      while (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
        negative ^= text.charAt(pos) == '-';
        pos++;
        skipSpace();
      }
      int digitsStart = pos;
      if (text.startsWith("0x", pos) || text.startsWith("0X", pos) || text.startsWith("0o", pos)
          || text.startsWith("0O", pos) || text.startsWith("0b", pos) || text.startsWith("0B", pos)) {
        int radix = switch (Character.toLowerCase(text.charAt(pos + 1))) {
          case 'x' -> 16;
          case 'o' -> 8;
          default -> 2;
        };
        pos += 2;
        int from = pos;
        while (pos < text.length() && (Character.digit(text.charAt(pos), radix) >= 0 || text.charAt(pos) == '_')) {
          pos++;
        }
        String body = text.substring(from, pos).replace("_", "");
        if (body.isEmpty()) {
          throw error("invalid integer");
        }
        BigInteger v = new BigInteger(body, radix);
        return new PyInt(negative ? v.negate() : v);
      }
      boolean isFloat = false;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if ((c >= '0' && c <= '9') || c == '_') {
          pos++;
        } else if (c == '.') {
          isFloat = true;
          pos++;
        } else if ((c == 'e' || c == 'E') && pos > digitsStart) {
          isFloat = true;
          pos++;
          if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
            pos++;
          }
        } else {
          break;
        }
      }
      String body = text.substring(digitsStart, pos).replace("_", "");
      try {
        if (isFloat) {
          if (body.equals(".")) {
            throw new NumberFormatException();
          }
          double v = Double.parseDouble(body);
          return new PyFloat(negative ? -v : v);
        }
        if (body.isEmpty() || (body.length() > 1 && body.charAt(0) == '0' && !body.chars().allMatch(ch -> ch == '0'))) {
          throw new NumberFormatException();
        }
        BigInteger v = new BigInteger(body);
        return new PyInt(negative ? v.negate() : v);
      } catch (NumberFormatException e) {
        pos = start;
        throw error("invalid number");
      }
    }

    String string(boolean raw) {
      char quote = text.charAt(pos);
      boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
      pos += triple ? 3 : 1;
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(pos);
        if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), pos))) {
          pos += triple ? 3 : 1;
          return out.toString();
        }
        if (c == '\n' && !triple) {
          throw error("newline inside a string");
        }
        if (c != '\\') {
          out.append(c);
          pos++;
          continue;
        }
        if (pos + 1 >= text.length()) {
          throw error("unterminated string");
        }
        char e = text.charAt(pos + 1);
        if (raw) {
          out.append(c).append(e);
          pos += 2;
          continue;
        }
        pos += 2;
        switch (e) {
          case '\n' -> { }
          case '\\' -> out.append('\\');
          case '\'' -> out.append('\'');
          case '"' -> out.append('"');
          case 'a' -> out.append('\u0007');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'v' -> out.append('\u000b');
          case 'x' -> out.appendCodePoint(hex(2));
          case 'u' -> out.appendCodePoint(hex(4));
          case 'U' -> out.appendCodePoint(hex(8));
          default -> {
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int n = 0; n < 2 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '7'; n++) {
                v = v * 8 + (text.charAt(pos++) - '0');
              }
              out.appendCodePoint(v);
            } else {
              out.append('\\').append(e);
            }
          }
        }
      }
    }

    private int hex(int count) {
      if (pos + count > text.length()) {
        throw error("truncated escape");
      }
      int v = 0;
      for (int i = 0; i < count; i++) {
        int d = Character.digit(text.charAt(pos + i), 16);
        if (d < 0) {
          throw error("invalid escape");
        }
        v = v * 16 + d;
      }
      if (v > Character.MAX_CODE_POINT) {
        throw error("invalid escape");
      }
      pos += count;
      return v;
    }
  }
}
