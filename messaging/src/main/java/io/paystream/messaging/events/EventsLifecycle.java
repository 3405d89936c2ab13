package io.paystream.messaging.events;

import io.paystream.persistence.notify.PostgresChannels;
import io.paystream.persistence.events.EventLogStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs the event sequencer (one Kafka group across instances), this instance's event-feed poller
 * and the retention purge, from after Flyway until shutdown. Each is an infinite stream restarted
 * with backoff on error.
 */
@Component
@ConditionalOnProperty(name = "paystream.messaging.enabled", havingValue = "true",
    matchIfMissing = true)
public class EventsLifecycle implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventsLifecycle.class);

  private final EventSequencer sequencer;
  private final EventFeed feed;
  private final PostgresChannels notifications;
  private final EventLogStore eventLog;
  private final EventsProperties properties;
  private final Clock clock;
  private volatile Disposable running;

  public EventsLifecycle(EventSequencer sequencer, EventFeed feed,
      PostgresChannels notifications, EventLogStore eventLog, EventsProperties properties,
      Clock clock) {
    this.sequencer = sequencer;
    this.feed = feed;
    this.notifications = notifications;
    this.eventLog = eventLog;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public void start() {
    Flux<Object> wakeUps = Flux.merge(notifications.listen(EventLogStore.CHANNEL),
        Flux.interval(Duration.ZERO, properties.pollInterval()));
    Flux<Long> purge = Flux.interval(Duration.ofMinutes(properties.purgeIntervalMinutes()))
        .concatMap(tick -> eventLog.purgeBefore(clock.instant().minus(properties.retention()))
            .onErrorResume(error -> {
              log.warn("event log purge failed, retried next time: {}", error.toString());
              return Mono.empty();
            }));
    running = Flux.merge(
            feed.run(wakeUps).retryWhen(restart("event feed")),
            sequencer.run().retryWhen(restart("event sequencer")),
            purge)
        .subscribe(null, error -> log.error("live events stopped", error));
  }

  private static Retry restart(String what) {
    return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30))
        .jitter(0.5)
        .doBeforeRetry(signal -> log.warn("{} restarting: {}", what, signal.failure().toString()));
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null && !running.isDisposed();
  }

  /** With the rest of messaging: before the web server takes requests, stopped after it. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }
}
