package org.barman4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.barman4j.internal.PyLiteral;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void valuesAreWrittenAsPythonsJsonDumpsWritesThem() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "a\"b\\c\nd\u00e9\u0001\u007f\ud83d\ude00");
    map.put("i", 42L);
    map.put("big", new BigInteger("123456789012345678901234567890"));
    map.put("f", 12.5);
    map.put("tiny", 0.00001);
    map.put("t", true);
    map.put("n", Json.NULL);
    map.put("empty", Optional.empty());
    map.put("present", Optional.of("x"));
    map.put("oi", OptionalInt.empty());
    map.put("list", List.of(1, "two", List.of()));
    map.put("obj", Map.of());

    assertThat(Json.write(map)).isEqualTo("{\"s\": \"a\\\"b\\\\c\\nd\\u00e9\\u0001\\u007f\\ud83d\\ude00\", "
        + "\"i\": 42, \"big\": 123456789012345678901234567890, \"f\": 12.5, \"tiny\": 1e-05, \"t\": true, "
        + "\"n\": null, \"empty\": null, \"present\": \"x\", \"oi\": null, \"list\": [1, \"two\", []], \"obj\": {}}");
  }

  @Test
  void pythonLiteralsBecomeJsonAsJsonDumpsConvertsThem() {
    PyLiteral.Value value = PyLiteral.parse("{'a': (1, 2.0), 3: None, True: [False], 'x': 'y'}");

    assertThat(Json.write(value)).isEqualTo("{\"a\": [1, 2.0], \"3\": null, \"true\": [false], \"x\": \"y\"}");
  }

  @Test
  void specialFloatsFollowPython() {
    assertThat(Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e16)))
        .isEqualTo("[NaN, Infinity, -0.0, 1e+16]");
  }

  @Test
  void unknownTypesAreRejected() {
    assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
  }
}
