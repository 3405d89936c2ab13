package io.paystream.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.ops.OpsOverview.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverviewHistoryTest {

  private static final Instant START = Instant.parse("2026-12-07T08:00:00Z");

  @Test
  void keepsTheNewestNinetySamplesOldestFirst() {
    OverviewHistory history = new OverviewHistory();
    for (int i = 0; i < 100; i++) {
      history.add(sample(START.plusSeconds(i), i));
    }

    List<Sample> kept = history.at(START.plusSeconds(100));

    assertThat(kept).hasSize(OverviewHistory.SAMPLES_MAX);
    assertThat(kept.get(0).pending()).isEqualTo(10);
    assertThat(kept.get(kept.size() - 1).pending()).isEqualTo(99);
    assertThat(kept).extracting(Sample::at).isSorted();
  }

  @Test
  void dropsSamplesOlderThanFifteenMinutes() {
    OverviewHistory history = new OverviewHistory();
    history.add(sample(START, 1));
    history.add(sample(START.plus(Duration.ofMinutes(10)), 2));

    assertThat(history.at(START.plus(Duration.ofMinutes(15))))
        .extracting(Sample::pending)
        .containsExactly(1L, 2L);
    assertThat(history.at(START.plus(Duration.ofMinutes(15)).plusSeconds(1)))
        .extracting(Sample::pending)
        .containsExactly(2L);

    history.add(sample(START.plus(Duration.ofMinutes(26)), 3));
    assertThat(history.at(START.plus(Duration.ofMinutes(26))))
        .extracting(Sample::pending)
        .containsExactly(3L);
  }

  private static Sample sample(Instant at, long pending) {
    return new Sample(at, 0, 0, 0, pending, 0, 0, 0, 0, 0);
  }
}
