package io.paystream.api.ops;

import io.paystream.api.ops.OpsOverview.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The samples this instance took, oldest first, bounded twice: by count and by age. Memory and the
 * size of the answer stay fixed however the sample interval is configured.
 */
final class OverviewHistory {

  /** 15 minutes of samples at the default 10 s interval. */
  static final int SAMPLES_MAX = 90;

  /** Older samples are dropped: the console shows the recent past; Prometheus keeps the rest. */
  static final Duration AGE_MAX = Duration.ofMinutes(15);

  private final ArrayDeque<Sample> samples = new ArrayDeque<>(SAMPLES_MAX + 1);

  synchronized void add(Sample sample) {
    samples.addLast(sample);
    while (samples.size() > SAMPLES_MAX) {
      samples.removeFirst();
    }
    dropOlderThan(sample.at().minus(AGE_MAX));
  }

  /** The samples taken within {@link #AGE_MAX} before {@code now}, oldest first. */
  synchronized List<Sample> at(Instant now) {
    dropOlderThan(now.minus(AGE_MAX));
    return List.copyOf(samples);
  }

  private void dropOlderThan(Instant oldest) {
    while (!samples.isEmpty() && samples.peekFirst().at().isBefore(oldest)) {
      samples.removeFirst();
    }
  }
}
