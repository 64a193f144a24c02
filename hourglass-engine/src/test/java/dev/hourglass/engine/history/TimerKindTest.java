package dev.hourglass.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Timer kind codes are stored in timer rows: each names one kind, and retired ones stay unused. */
class TimerKindTest {
  /** Codes of kinds that were removed; a stored row with one must never be read as another kind. */
  private static final int[] RETIRED = {10};

  @Test
  void codesAreUniqueAndRoundTrip() {
    assertThat(Arrays.stream(TimerKind.values()).map(TimerKind::code)).doesNotHaveDuplicates();
    for (TimerKind kind : TimerKind.values()) {
      assertThat(TimerKind.fromCode(kind.code())).isEqualTo(kind);
    }
  }

  @Test
  void retiredCodesAreNotReused() {
    for (int code : RETIRED) {
      assertThatThrownBy(() -> TimerKind.fromCode(code)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
