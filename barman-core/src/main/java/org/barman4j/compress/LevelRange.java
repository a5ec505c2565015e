package org.barman4j.compress;

/** The integer levels a codec accepts and the ones Barman's {@code low|medium|high} stand for. */
record LevelRange(int min, int max, int low, int medium, int high) {
  LevelRange {
    if (min > max || low < min || low > max || medium < min || medium > max || high < min || high > max) {
      throw new IllegalArgumentException("Inconsistent level range: " + min + ".." + max);
    }
  }

  boolean contains(int level) {
    return level >= min && level <= max;
  }
}
