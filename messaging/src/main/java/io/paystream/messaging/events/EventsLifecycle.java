package io.paystream.messaging.events;

import io.paystream.messaging.BackgroundStreams;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.persistence.events.EventLogStore;
import io.paystream.persistence.notify.PostgresChannels;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs this instance's event-feed poller and the event log's retention purge (the log is written by
 * the credit leg's pass), from after Flyway until shutdown. Each is an infinite stream restarted
 * with backoff on error.
 */
@Component
@ConditionalOnProperty(
    name = "paystream.messaging.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class EventsLifecycle extends BackgroundStreams {

  private static final Logger log = LoggerFactory.getLogger(EventsLifecycle.class);

  private final EventFeed feed;
  private final PostgresChannels notifications;
  private final EventLogStore eventLog;
  private final EventsProperties properties;
  private final Clock clock;

  public EventsLifecycle(
      KafkaAdmin admin,
      MessagingProperties messaging,
      EventFeed feed,
      PostgresChannels notifications,
      EventLogStore eventLog,
      EventsProperties properties,
      Clock clock) {
    super(admin, messaging);
    this.feed = feed;
    this.notifications = notifications;
    this.eventLog = eventLog;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  protected Map<String, Flux<?>> streams() {
    Flux<Object> wakeUps =
        Flux.merge(
            notifications.listen(EventLogStore.CHANNEL),
            Flux.interval(Duration.ZERO, properties.pollInterval()));
    Flux<Long> purge =
        Flux.interval(Duration.ofMinutes(properties.purgeIntervalMinutes()))
            .concatMap(
                tick ->
                    eventLog
                        .purgeBefore(clock.instant().minus(properties.retention()))
                        .onErrorResume(
                            error -> {
                              log.warn(
                                  "event log purge failed, retried next time: {}",
                                  error.toString());
                              return Mono.empty();
                            }));
    return Map.of("event feed", feed.run(wakeUps), "event log purge", purge);
  }
}
