package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LivePropertiesTest {

  @Test
  void refusedSubscribersAreToldToComeBackSpreadOverTheJitter() {
    LiveProperties properties = new LiveProperties(10, 10_000, 20, 5, 10, 2_000, 32);
    Random random = new Random(7);
    Set<Long> told = new HashSet<>();

    for (int i = 0; i < 1_000; i++) {
      long seconds = properties.retryAfter(random);
      assertThat(seconds).isBetween(5L, 15L);
      told.add(seconds);
    }

    // 1 000 refusals at once come back over the whole range, not at one instant.
    assertThat(told).hasSize(11);
  }

  @Test
  void withoutJitterEveryRefusalIsToldTheSame() {
    LiveProperties properties = new LiveProperties(10, 10_000, 20, 5, 0, 2_000, 32);

    assertThat(properties.retryAfter(new Random(1))).isEqualTo(5);
  }

  @Test
  void aRetryAfterBelowOneSecondOrANegativeJitterIsRefused() {
    assertThatThrownBy(() -> new LiveProperties(10, 10_000, 20, 0, 10, 2_000, 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LiveProperties(10, 10_000, 20, 5, -1, 2_000, 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noRoomForStreamRequestsToBeAnsweredIsRefused() {
    assertThatThrownBy(() -> new LiveProperties(10, 10_000, 20, 5, 10, 2_000, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openings-max");
  }
}
