package org.barman4j.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeysUtf8OrderTest {
  @Test
  void supplementaryCharactersSortAfterTheEndOfTheBasicPlane() {
    List<String> keys = new ArrayList<>(List.of("x\uD83D\uDE00", "x\uFFFD", "x\uE000", "xa", "x"));
    keys.sort(Keys.UTF8_ORDER);
    assertThat(keys).containsExactly("x", "xa", "x\uE000", "x\uFFFD", "x\uD83D\uDE00");
  }

  @Test
  void orderMatchesComparingTheUtf8Bytes() {
    Random random = new Random(42);
    int[] pool = {'a', '/', '-', 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x1F600, 0x10FFFF};
    for (int round = 0; round < 2000; round++) {
      String a = randomString(random, pool);
      String b = randomString(random, pool);
      int expected = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
      assertThat(Integer.signum(Keys.UTF8_ORDER.compare(a, b))).as("%s vs %s", a, b).isEqualTo(Integer.signum(expected));
    }
  }

  private static String randomString(Random random, int[] pool) {
    StringBuilder sb = new StringBuilder();
    int length = random.nextInt(4);
    for (int i = 0; i < length; i++) {
      sb.appendCodePoint(pool[random.nextInt(pool.length)]);
    }
    return sb.toString();
  }
}
