package io.paystream.messaging.recent;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.BackgroundStreams;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.events.EventDecoder;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.Topics;
import io.paystream.persistence.events.NewEvent;
import io.paystream.persistence.ledger.SequencedEntries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.util.retry.Retry;

/**
 * Keeps the recent-entries cache ({@link RecentEntriesRedis}) current from ledger events: for each
 * money event (one Kafka group across instances) it reads the customer entries the movement wrote
 * and adds them to their accounts' sets. Adding is idempotent, so a redelivery is harmless. A Redis
 * failure is retried with backoff and the offsets are not acknowledged meanwhile; past {@code
 * updateRetryAttemptsMax} the consumer restarts from its last committed offset. Either way, after
 * an outage the cache catches up instead of missing entries. Latency from commit to cache: the
 * outbox relay's NOTIFY, one Kafka hop and one PostgreSQL read, typically tens of milliseconds
 * (tested under 5 s).
 *
 * <p>One Kafka poll is one batch: one PostgreSQL read for all its movements and one Redis script
 * per account, so a hot account's burst costs one script, not one per event. The next poll is
 * requested when the batch is in Redis.
 */
@Component
@ConditionalOnProperty(
    name = "paystream.messaging.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class RecentEntriesUpdater extends BackgroundStreams {

  /** The name under which this consumer counts the messages it skips. */
  static final String CONSUMER = "recent-entries";

  private static final Logger log = LoggerFactory.getLogger(RecentEntriesUpdater.class);

  private final RecentEntriesRedis recent;
  private final SequencedEntries entries;
  private final EventDecoder decoder;
  private final MessagingProperties messaging;
  private final RecentProperties properties;
  private final MeterRegistry meters;

  public RecentEntriesUpdater(
      RecentEntriesRedis recent,
      SequencedEntries entries,
      EventDecoder decoder,
      MessagingProperties messaging,
      RecentProperties properties,
      KafkaAdmin admin,
      MeterRegistry meters) {
    super(admin, messaging);
    this.recent = recent;
    this.entries = entries;
    this.decoder = decoder;
    this.messaging = messaging;
    this.properties = properties;
    this.meters = meters;
  }

  /** Consumes until cancelled; emits each applied event. */
  Flux<NewEvent> run() {
    Map<String, Object> config =
        new HashMap<>(MessagingConfiguration.consumerConfig(messaging, properties.consumerGroup()));
    // Never let a metadata request create the topic with the broker's default single partition:
    // KafkaAdmin creates it with the partitions the ordering per payee relies on.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    ReceiverOptions<String, String> options =
        MessagingConfiguration.receiverOptions(config, meters)
            .commitInterval(Duration.ofMillis(messaging.consumerCommitIntervalMillis()))
            .subscription(List.of(Topics.EVENTS));
    return KafkaReceiver.create(options)
        .receiveBatch()
        .concatMap(poll -> poll.collectList().flatMapMany(this::apply), 0);
  }

  private Flux<NewEvent> apply(List<ReceiverRecord<String, String>> poll) {
    List<NewEvent> events = new ArrayList<>(poll.size());
    Set<UUID> movements = new LinkedHashSet<>();
    for (ReceiverRecord<String, String> record : poll) {
      decoder
          .decode(record.value(), CONSUMER)
          .ifPresent(
              event -> {
                events.add(event);
                movements.add(event.resourceId());
              });
    }
    Mono<Void> update =
        movements.isEmpty()
            ? Mono.empty()
            : entries
                .ofMovements(movements)
                .collectList()
                .flatMap(recent::add)
                // Bounded: when the retries run out the error ends run() before anything of this
                // poll is acknowledged, and BackgroundStreams starts it again from the last
                // committed offset, so the poll is delivered again, never skipped.
                .retryWhen(
                    Retry.backoff(
                            properties.updateRetryAttemptsMax(), properties.updateRetryBackoffMin())
                        .maxBackoff(properties.updateRetryBackoffMax())
                        .jitter(MessagingProperties.RETRY_JITTER)
                        .doBeforeRetry(
                            signal ->
                                log.warn(
                                    "recent-entries update retry {} of {}: {}",
                                    signal.totalRetries() + 1,
                                    properties.updateRetryAttemptsMax(),
                                    signal.failure().toString())));
    return update
        .then(
            Mono.fromRunnable(() -> poll.forEach(record -> record.receiverOffset().acknowledge())))
        .thenMany(Flux.fromIterable(events));
  }

  @Override
  protected Map<String, Flux<?>> streams() {
    return Map.of("recent-entries updater", run());
  }
}
