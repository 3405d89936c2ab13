package io.paystream.messaging.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.paystream.domain.MoneyEvent;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.tracing.SagaTracing;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.events.EventLogStore;
import io.paystream.persistence.events.NewEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.util.retry.Retry;

/**
 * Gives every committed event its stream position. A Kafka consumer (one group across instances)
 * reads the events topic and appends each batch to the event log in one transaction that holds the
 * log's advisory lock ({@link EventLogStore#append}). The position is therefore taken after the
 * business transaction committed and in the order sequencing transactions commit, never in the
 * order business transactions started. Per partition (one payee account, or one deposit account)
 * Kafka keeps the order the outbox was written in, so a transfer's pending event always gets a
 * smaller position than its terminal one.
 *
 * <p>Offsets are acknowledged only after the append commits; a crash in between redelivers, and the
 * event id makes the second append a no-op. A failing append is retried {@code
 * sequencerRetryAttemptsMax} times, then the consumer restarts (see {@link
 * io.paystream.messaging.BackgroundStreams}) and reads the batch again.
 */
@Component
public class EventSequencer {

  private static final Logger log = LoggerFactory.getLogger(EventSequencer.class);

  /** The name under which this consumer counts the messages it skips. */
  static final String CONSUMER = "event-sequencer";

  private final EventLogStore eventLog;
  private final EventDecoder decoder;
  private final MessagingProperties messaging;
  private final EventsProperties properties;
  private final Clock clock;
  private final SagaTracing tracing;
  private final MeterRegistry meters;

  public EventSequencer(
      EventLogStore eventLog,
      EventDecoder decoder,
      MessagingProperties messaging,
      EventsProperties properties,
      Clock clock,
      SagaTracing tracing,
      MeterRegistry meters) {
    this.eventLog = eventLog;
    this.tracing = tracing;
    this.meters = meters;
    this.decoder = decoder;
    this.messaging = messaging;
    this.properties = properties;
    this.clock = clock;
  }

  /** Consumes until cancelled; emits the number of events appended per batch. */
  public Flux<Long> run() {
    Map<String, Object> config =
        new HashMap<>(
            MessagingConfiguration.consumerConfig(messaging, properties.sequencerGroup()));
    // Never let a metadata request create the topic with the broker's default single partition:
    // KafkaAdmin creates it with the partitions the ordering per payee relies on.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.sequencerBatchSizeMax());
    ReceiverOptions<String, String> options =
        MessagingConfiguration.receiverOptions(config, meters)
            .commitInterval(Duration.ofMillis(messaging.consumerCommitIntervalMillis()))
            .subscription(List.of(Topics.EVENTS));
    // One poll is one batch: while it is sequenced nothing more is requested (reactor-kafka holds
    // at most one poll ahead), so under load a poll carries what accumulated meanwhile, and a
    // lone event goes at once. Not bufferTimeout: its fair-backpressure variant can keep a
    // burst's tail buffered for good (see CreditLegConsumer).
    return KafkaReceiver.create(options)
        .receiveBatch()
        .concatMap(poll -> poll.collectList().flatMap(this::sequence), 0);
  }

  private Mono<Long> sequence(List<ReceiverRecord<String, String>> batch) {
    List<Span> spans = new ArrayList<>();
    List<NewEvent> decoded =
        batch.stream()
            .map(
                record ->
                    decoder.decode(record.value(), CONSUMER).map(e -> traced(e, record, spans)))
            .flatMap(Optional::stream)
            .toList();
    if (decoded.size() < batch.size()) {
      log.warn("event sequencer skipped {} undecodable message(s)", batch.size() - decoded.size());
    }
    // Internal saga commands (withdrawal.pending) are not the contract's events: no stream gets
    // them.
    List<NewEvent> events =
        decoded.stream().filter(event -> MoneyEvent.isPublic(event.type())).toList();
    // Bounded: when the retries run out the error ends run(), and BackgroundStreams starts it
    // again from the last committed offset, so the batch is delivered again, never skipped.
    return Mono.defer(() -> eventLog.append(events, Timestamps.now(clock)))
        .retryWhen(
            Retry.backoff(
                    properties.sequencerRetryAttemptsMax(), properties.sequencerRetryBackoffMin())
                .maxBackoff(properties.sequencerRetryBackoffMax())
                .jitter(MessagingProperties.RETRY_JITTER)
                .doBeforeRetry(
                    signal ->
                        log.warn(
                            "event sequencing retry {} of {}: {}",
                            signal.totalRetries() + 1,
                            properties.sequencerRetryAttemptsMax(),
                            signal.failure().toString())))
        .doOnNext(appended -> batch.forEach(record -> record.receiverOffset().acknowledge()))
        .doFinally(signal -> spans.forEach(Span::end));
  }

  /**
   * The event continuing the record's trace: through a span for sequencing it when that trace is
   * sampled, so that its deliveries hang under this step; else as the record passed it on.
   */
  private NewEvent traced(NewEvent event, ReceiverRecord<String, String> record, List<Span> spans) {
    String traceParent = SagaTracing.traceParent(record.headers());
    Span span = tracing.child(traceParent, "event sequencer", Span.Kind.CONSUMER);
    if (span != null) {
      span.tag("paystream.event.type", event.type());
      spans.add(span);
    }
    String passedOn = SagaTracing.passedOn(span, traceParent);
    return passedOn == null ? event : event.withTraceParent(passedOn);
  }
}
