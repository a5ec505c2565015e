package org.barman4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.barman4j.internal.PyLiteral.PyBool;
import org.barman4j.internal.PyLiteral.PyDict;
import org.barman4j.internal.PyLiteral.PyFloat;
import org.barman4j.internal.PyLiteral.PyInt;
import org.barman4j.internal.PyLiteral.PyList;
import org.barman4j.internal.PyLiteral.PyNone;
import org.barman4j.internal.PyLiteral.PyStr;
import org.barman4j.internal.PyLiteral.PyTuple;
import org.junit.jupiter.api.Test;

class PyLiteralTest {
  @Test
  void stringsAreQuotedAndEscapedAsPythonReprDoes() {
    assertThat(PyLiteral.repr("plain")).isEqualTo("'plain'");
    assertThat(PyLiteral.repr("a\nb\tc\rd\\e")).isEqualTo("'a\\nb\\tc\\rd\\\\e'");
    assertThat(PyLiteral.repr("it's")).isEqualTo("\"it's\"");
    assertThat(PyLiteral.repr("it's \"x\"")).isEqualTo("'it\\'s \"x\"'");
    assertThat(PyLiteral.repr("\u0001\u007f")).isEqualTo("'\\x01\\x7f'");
    assertThat(PyLiteral.repr("caf\u00e9 \u20ac \ud83d\ude00")).isEqualTo("'caf\u00e9 \u20ac \ud83d\ude00'");
    assertThat(PyLiteral.repr("\u00a0\u2028")).isEqualTo("'\\xa0\\u2028'");
  }

  @Test
  void stringsParseWithEveryEscapePythonWrites() {
    assertThat(PyLiteral.parse("'a\\nb\\tc\\\\d\\'e'")).isEqualTo(new PyStr("a\nb\tc\\d'e"));
    assertThat(PyLiteral.parse("\"it's\"")).isEqualTo(new PyStr("it's"));
    assertThat(PyLiteral.parse("'\\x41\\u00e9\\U0001F600\\101\\q'")).isEqualTo(new PyStr("A\u00e9\ud83d\ude00A\\q"));
    assertThat(PyLiteral.parse("u'x'")).isEqualTo(new PyStr("x"));
    assertThat(PyLiteral.parse("r'a\\n'")).isEqualTo(new PyStr("a\\n"));
    assertThat(PyLiteral.parse("'''multi\nline'''")).isEqualTo(new PyStr("multi\nline"));
  }

  @Test
  void everyStringSurvivesAReprParseRoundTrip() {
    for (String s : List.of("", "'", "\"", "'\"", "\\", "\u0000\u001f", "tab\there", "\u00e9\u00ff\u0100\uffff",
        "\ud83d\ude00", "x\u2029y")) {
      assertThat(PyLiteral.parse(PyLiteral.repr(s))).isEqualTo(new PyStr(s));
    }
  }

  @Test
  void containersAndScalarsParseAndPrintLikePython() {
    String copyStats = "{'total_time': 12.199953, 'number_of_workers': 2, 'analysis_time': 0, "
        + "'analysis_time_per_item': {'16384': 0, 'data': 0}, 'flags': [True, False, None], 'pair': (1,), 'empty': ()}";
    PyLiteral.Value value = PyLiteral.parse(copyStats);

    assertThat(value).isInstanceOf(PyDict.class);
    PyDict dict = (PyDict) value;
    assertThat(dict.entries().get(new PyStr("total_time"))).isEqualTo(new PyFloat(12.199953));
    assertThat(dict.entries().get(new PyStr("number_of_workers"))).isEqualTo(PyInt.of(2));
    assertThat(dict.entries().get(new PyStr("flags")))
        .isEqualTo(new PyList(List.of(new PyBool(true), new PyBool(false), PyNone.NONE)));
    assertThat(dict.entries().get(new PyStr("pair"))).isEqualTo(new PyTuple(List.of(PyInt.of(1))));
    assertThat(PyLiteral.repr(value)).isEqualTo(copyStats);
  }

  @Test
  void parenthesesWithoutACommaAreNotATuple() {
    assertThat(PyLiteral.parse("(1)")).isEqualTo(PyInt.of(1));
    assertThat(PyLiteral.parse(" ( 1 , 2 , ) ")).isEqualTo(new PyTuple(List.of(PyInt.of(1), PyInt.of(2))));
    assertThat(PyLiteral.parse("[1, 2,]")).isEqualTo(new PyList(List.of(PyInt.of(1), PyInt.of(2))));
  }

  @Test
  void numbersParseInEveryFormPythonAccepts() {
    assertThat(PyLiteral.parse("-5")).isEqualTo(PyInt.of(-5));
    assertThat(PyLiteral.parse("1_000")).isEqualTo(PyInt.of(1000));
    assertThat(PyLiteral.parse("0x1F")).isEqualTo(PyInt.of(31));
    assertThat(PyLiteral.parse("123456789012345678901234567890")).isInstanceOf(PyInt.class);
    assertThat(PyLiteral.parse("1e-05")).isEqualTo(new PyFloat(1e-5));
    assertThat(PyLiteral.parse(".5")).isEqualTo(new PyFloat(0.5));
    assertThat(PyLiteral.parse("-0.0")).isEqualTo(new PyFloat(-0.0));
  }

  @Test
  void floatsPrintAsPythonsShortestRepr() {
    assertThat(PyLiteral.reprFloat(12.199953)).isEqualTo("12.199953");
    assertThat(PyLiteral.reprFloat(0.0)).isEqualTo("0.0");
    assertThat(PyLiteral.reprFloat(-0.0)).isEqualTo("-0.0");
    assertThat(PyLiteral.reprFloat(1.0)).isEqualTo("1.0");
    assertThat(PyLiteral.reprFloat(0.0001)).isEqualTo("0.0001");
    assertThat(PyLiteral.reprFloat(0.00001)).isEqualTo("1e-05");
    assertThat(PyLiteral.reprFloat(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(PyLiteral.reprFloat(1e16)).isEqualTo("1e+16");
    assertThat(PyLiteral.reprFloat(1234567890123456.0)).isEqualTo("1234567890123456.0");
    assertThat(PyLiteral.reprFloat(123.456)).isEqualTo("123.456");
    assertThat(PyLiteral.reprFloat(1e100)).isEqualTo("1e+100");
    assertThat(PyLiteral.reprFloat(Double.POSITIVE_INFINITY)).isEqualTo("inf");
  }

  @Test
  void malformedLiteralsAreRejectedWithTheirOffset() {
    assertThatThrownBy(() -> PyLiteral.parse("'open")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unterminated");
    assertThatThrownBy(() -> PyLiteral.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 5");
    assertThatThrownBy(() -> PyLiteral.parse("{1, 2}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PyLiteral.parse("os.system('x')")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PyLiteral.parse("1 2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after the literal");
    assertThatThrownBy(() -> PyLiteral.parse("b'bytes'")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PyLiteral.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PyLiteral.parse("[".repeat(1000))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deep");
  }

  @Test
  void truthinessFollowsPython() {
    assertThat(PyLiteral.parse("{}").isTruthy()).isFalse();
    assertThat(PyLiteral.parse("[]").isTruthy()).isFalse();
    assertThat(PyLiteral.parse("''").isTruthy()).isFalse();
    assertThat(PyLiteral.parse("0").isTruthy()).isFalse();
    assertThat(PyLiteral.parse("None").isTruthy()).isFalse();
    assertThat(PyLiteral.parse("[0]").isTruthy()).isTrue();
  }
}
