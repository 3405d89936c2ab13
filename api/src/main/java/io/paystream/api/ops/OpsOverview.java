package io.paystream.api.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.ops.OpsQueries;
import io.paystream.persistence.ops.OpsQueries.OverviewCounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The operators' overview: the state of the money pipeline now, and as this instance sampled it
 * over the last minutes. Every {@code paystream.ops.overview-sample-seconds} one sample goes into
 * {@link OverviewHistory}; a request measures the current state afresh.
 *
 * <p>Database figures (rates, PENDING transfers, outbox backlog, dead letters) are the whole
 * cluster's, from one indexed statement ({@link OpsQueries#overview}). The outbox backlog is read
 * there rather than from the relay's gauge, which is updated only after a successful pass and so
 * would stand still during a Kafka outage, exactly when the backlog matters. The consumer lag and
 * the SSE subscribers exist only in this process: they are this instance's gauges.
 */
@Component
public class OpsOverview implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OpsOverview.class);

  /** The credit leg's lag gauge ({@code CreditLegConsumer}), one per consumer tag. */
  static final String CONSUMER_LAG_GAUGE = "paystream.consumer.lag";

  /** Open SSE streams on this instance ({@code LiveSubscribers}). */
  static final String SSE_SUBSCRIBERS_GAUGE = "paystream.live.subscribers";

  /**
   * One moment of the pipeline. Rates are events per second over the sample window, with one
   * decimal: rates, not money, so a double is fine.
   */
  public record Sample(
      Instant at,
      double acceptedPerSecond,
      double completedPerSecond,
      double failedPerSecond,
      long pending,
      long oldestPendingAgeSeconds,
      long outboxBacklog,
      long consumerLag,
      long deadLetters,
      long sseSubscribers) {}

  /** The answer of {@code GET /api/v1/ops/overview}; {@code samples} oldest first. */
  public record Overview(Instant at, long sampleSeconds, Sample current, List<Sample> samples) {}

  private final OpsQueries queries;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Duration interval;
  private final OverviewHistory history = new OverviewHistory();
  private volatile Disposable running;

  public OpsOverview(
      OpsQueries queries, MeterRegistry meters, Clock clock, OpsProperties properties) {
    this.queries = queries;
    this.meters = meters;
    this.clock = clock;
    this.interval = properties.overviewSampleInterval();
  }

  public Mono<Overview> overview() {
    Instant now = Timestamps.now(clock);
    return measure(now)
        .map(current -> new Overview(now, interval.toSeconds(), current, history.at(now)));
  }

  /** Measures once and keeps the sample; a failed measurement is logged and leaves a gap. */
  Mono<Sample> sampleOnce() {
    return measure(Timestamps.now(clock))
        .doOnNext(history::add)
        .onErrorResume(
            error -> {
              log.debug("overview sample failed, sampling again later: {}", error.toString());
              return Mono.empty();
            });
  }

  private Mono<Sample> measure(Instant at) {
    return queries.overview(at.minus(interval), at).map(counts -> sample(at, counts));
  }

  private Sample sample(Instant at, OverviewCounts counts) {
    long oldestAge =
        counts.oldestPendingAt() == null
            ? 0
            : Math.max(0, Duration.between(counts.oldestPendingAt(), at).toSeconds());
    return new Sample(
        at,
        perSecond(counts.accepted()),
        perSecond(counts.completed()),
        perSecond(counts.failed()),
        counts.pending(),
        oldestAge,
        counts.outboxBacklog(),
        gaugeMax(CONSUMER_LAG_GAUGE),
        counts.deadLetters(),
        gaugeMax(SSE_SUBSCRIBERS_GAUGE));
  }

  /** Events per second over the window, rounded to one decimal. */
  private double perSecond(long events) {
    return Math.round(events * 10.0 / interval.toSeconds()) / 10.0;
  }

  /** The largest value among the gauges of this name; 0 when none is registered (yet). */
  private long gaugeMax(String name) {
    return Math.round(
        meters.find(name).gauges().stream().mapToDouble(Gauge::value).max().orElse(0));
  }

  @Override
  public void start() {
    running =
        Flux.interval(interval, interval)
            .onBackpressureDrop()
            .concatMap(tick -> sampleOnce())
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return running != null && !running.isDisposed();
  }
}
