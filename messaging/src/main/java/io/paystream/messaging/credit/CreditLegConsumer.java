package io.paystream.messaging.credit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.credit.CreditLeg.Delivery;
import io.paystream.messaging.credit.CreditLeg.Outcome;
import io.paystream.messaging.kafka.PoisonMessageException;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.recent.RecentEntriesUpdater;
import io.paystream.messaging.tracing.SagaTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import reactor.util.retry.Retry;

/**
 * The credit leg as a Kafka consumer: the one consumer group that reads every event, and in one
 * pass per batch settles the pending transfers, sequences the events, queues their webhooks ({@link
 * CreditLeg#applyAll}, one transaction) and then updates the recent-entries cache ({@link
 * RecentEntriesUpdater}). One poll is one batch, applied in the poll's order (the topic is keyed by
 * payee, and a poll keeps each partition's order, so one payee's credits keep theirs). The next
 * poll is taken when the batch is done, so a batch is whatever arrived meanwhile, up to {@code
 * creditBatchMax} records, and a lone record goes at once. One transaction for the whole poll
 * rather than one per partition: every pass ends on the event log's lock, so parallel partitions
 * would queue there anyway, and each commit (a WAL flush) costs as much as several transfers'
 * statements; locks are still taken in id order, whatever the partitions. An offset is acknowledged
 * only after its database transaction committed, and acknowledged offsets are committed every
 * {@code consumerCommitIntervalMillis}: a crash in between redelivers, and the inbox turns the
 * redelivery into a no-op.
 *
 * <p>The price of cutting batches by the poll: while a batch is retried (a database error, up to
 * about 11 s of backoff, then message by message), the next poll waits, so every partition of this
 * instance waits, not only the one whose message failed. A database that fails fails them all
 * anyway; a message it refuses alone is rare and ends in the dead-letter topic, and {@link
 * PendingTransfers} warns if the wait grows past a minute.
 *
 * <p>Batches are cut by the poll, not by {@code bufferTimeout}: the fair-backpressure variant of
 * that operator (reactor-core 3.8.6) can keep the tail of a burst in its buffer with no timeout
 * ever releasing it, which here would leave transfers PENDING without any error; see {@code
 * BufferTimeoutStallReproduction} in this module's tests.
 */
@Component
public class CreditLegConsumer {

  private static final Logger log = LoggerFactory.getLogger(CreditLegConsumer.class);

  private final CreditLeg creditLeg;
  private final RecentEntriesUpdater recent;
  private final KafkaSender<String, String> sender;
  private final MessagingProperties properties;
  private final MeterRegistry meters;
  private final SagaTracing tracing;
  private final Counter deadLettered;
  private final DistributionSummary batchSizes;
  private final AtomicLong lag = new AtomicLong();

  public CreditLegConsumer(
      CreditLeg creditLeg,
      RecentEntriesUpdater recent,
      KafkaSender<String, String> sender,
      MessagingProperties properties,
      SagaTracing tracing,
      MeterRegistry meters) {
    this.creditLeg = creditLeg;
    this.recent = recent;
    this.tracing = tracing;
    this.sender = sender;
    this.properties = properties;
    this.meters = meters;
    this.deadLettered =
        Counter.builder("paystream.consumer.dead.lettered")
            .description("messages sent to the dead-letter topic")
            .tag("consumer", CreditLeg.CONSUMER)
            .register(meters);
    this.batchSizes =
        DistributionSummary.builder("paystream.consumer.batch.size")
            .description(
                "records of one poll handled together; their pending credits share one"
                    + " database transaction")
            .baseUnit("messages")
            .tag("consumer", CreditLeg.CONSUMER)
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue((double) properties.creditBatchMax())
            .register(meters);
    Gauge.builder("paystream.consumer.lag", lag, AtomicLong::get)
        .description("largest record lag of the credit-leg consumer, as last measured")
        .tag("consumer", CreditLeg.CONSUMER)
        .register(meters);
  }

  /** Consumes until cancelled; emits each applied outcome (tests observe them). */
  public Flux<Outcome> run() {
    Map<String, Object> config =
        new HashMap<>(
            MessagingConfiguration.consumerConfig(properties, properties.consumerGroup()));
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.creditBatchMax());
    ReceiverOptions<String, String> options =
        MessagingConfiguration.receiverOptions(config, meters)
            .commitInterval(Duration.ofMillis(properties.consumerCommitIntervalMillis()))
            .subscription(List.of(Topics.EVENTS));
    KafkaReceiver<String, String> receiver = KafkaReceiver.create(options);
    // Group commit: while one poll's batches are applied nothing more is requested; reactor-kafka
    // holds at most one poll ahead and pauses the consumer, so under load a poll carries what
    // accumulated meanwhile.
    Flux<Outcome> applied =
        receiver.receiveBatch().concatMap(poll -> poll.collectList().flatMapMany(this::handle), 0);
    Flux<Void> lagProbe =
        Flux.interval(properties.consumerLagProbeInterval())
            .concatMap(
                tick ->
                    receiver.doOnConsumer(consumer -> consumer.metrics()).doOnNext(this::recordLag))
            .onErrorResume(error -> Mono.empty())
            .thenMany(Flux.empty());
    return Flux.merge(applied, lagProbe.cast(Outcome.class));
  }

  /**
   * Applies one poll's records, in their order: the decodable ones in one transaction, the poison
   * ones dead-lettered alone. Each record's offset is acknowledged once its outcome is final
   * (committed, or parked), in order. Package-private: tests hand it a batch of real records whose
   * composition they choose.
   */
  Flux<Outcome> handle(List<ReceiverRecord<String, String>> batch) {
    batchSizes.record(batch.size());
    List<ReceiverRecord<String, String>> applicable = new ArrayList<>(batch.size());
    List<Delivery> deliveries = new ArrayList<>(batch.size());
    Map<ReceiverRecord<String, String>, PoisonMessageException> poison = new HashMap<>();
    Map<ReceiverRecord<String, String>, Span> spans = new HashMap<>();
    Map<ReceiverRecord<String, String>, UUID> transfers = new HashMap<>();
    Set<UUID> movements = new LinkedHashSet<>();
    for (ReceiverRecord<String, String> record : batch) {
      try {
        Delivery delivery = creditLeg.decode(record.value());
        if (delivery.transferId() != null) {
          transfers.put(record, delivery.transferId());
        }
        deliveries.add(delivery.tracedBy(trace(record, delivery, spans)));
        applicable.add(record);
        movements.add(delivery.movementId());
      } catch (PoisonMessageException e) {
        poison.put(record, e);
      }
    }
    // The recent-entries cache after the commit, before the offsets are acknowledged: a crash in
    // between redelivers the batch, and the update (idempotent) runs again.
    return applyTogether(applicable, deliveries)
        .flatMap(outcomes -> recent.update(movements).thenReturn(outcomes))
        .flatMapMany(
            outcomes -> {
              Map<ReceiverRecord<String, String>, Outcome> applied = new HashMap<>();
              for (int i = 0; i < applicable.size(); i++) {
                applied.put(applicable.get(i), outcomes.get(i));
              }
              return Flux.fromIterable(batch)
                  .concatMap(
                      record ->
                          (poison.containsKey(record)
                                  ? deadLetter(record, poison.get(record))
                                  : Mono.just(applied.get(record)))
                              .doOnNext(
                                  outcome -> {
                                    end(spans.get(record), outcome);
                                    logApplied(record, transfers.get(record), outcome);
                                    meters
                                        .counter(
                                            "paystream.consumer.applied",
                                            "consumer",
                                            CreditLeg.CONSUMER,
                                            "outcome",
                                            outcome.name())
                                        .increment();
                                    record.receiverOffset().acknowledge();
                                  }));
            });
  }

  /**
   * Continues the trace the record carries: a span for applying it when that trace is sampled (a
   * pending transfer's credit or refund, or any other event's sequencing), and what the event's
   * stream position and the transfer's terminal event pass on: that span's traceparent, or the
   * record's own.
   */
  private String trace(
      ReceiverRecord<String, String> record,
      Delivery delivery,
      Map<ReceiverRecord<String, String>, Span> spans) {
    String traceParent = SagaTracing.traceParent(record.headers());
    Span span =
        tracing.child(
            traceParent,
            delivery.transferId() != null ? "credit leg" : "event sequencer",
            Span.Kind.CONSUMER);
    if (span != null) {
      span.remoteServiceName("kafka")
          .tag("messaging.destination.name", record.topic())
          .tag("paystream.event.type", delivery.received().event().type());
      if (delivery.transferId() != null) {
        span.tag("paystream.transfer.id", delivery.transferId().toString());
      }
      spans.put(record, span);
    }
    return SagaTracing.passedOn(span, traceParent);
  }

  /**
   * At DEBUG, one line per transfer record with its outcome and the trace id its {@code
   * traceparent} header carries (sampled or not), so that a transfer's trace id, answered to the
   * client in the {@code traceparent} response header, leads from the access line to its credit in
   * the logs.
   */
  private static void logApplied(
      ReceiverRecord<String, String> record, UUID transfer, Outcome outcome) {
    if (transfer == null || !log.isDebugEnabled()) {
      return;
    }
    log.atDebug()
        .addKeyValue("traceId", SagaTracing.traceId(SagaTracing.traceParent(record.headers())))
        .addKeyValue("transferId", transfer)
        .log("credit leg: transfer {} {}", transfer, outcome);
  }

  /** Ends a record's span with its outcome: COMPLETED (credited) or REFUNDED, mostly. */
  private static void end(Span span, Outcome outcome) {
    if (span != null) {
      span.tag("paystream.outcome", outcome.name()).end();
    }
  }

  /**
   * One transaction for the whole batch, retried with backoff while it fails. Should it keep
   * failing, the messages are applied one by one, each with its own retries, so that one message
   * the database refuses cannot hold back the others; those that still fail are dead-lettered.
   */
  private Mono<List<Outcome>> applyTogether(
      List<ReceiverRecord<String, String>> records, List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return Mono.just(List.of());
    }
    Mono<List<Outcome>> together = creditLeg.applyAll(deliveries).retryWhen(retry(records));
    if (deliveries.size() == 1) {
      return together.onErrorResume(error -> deadLetter(records.get(0), error).map(List::of));
    }
    return together.onErrorResume(
        error -> {
          log.warn(
              "credit leg gives up on the batch {} ({}); applying its messages one by one",
              describe(records),
              cause(error).toString());
          return Flux.range(0, deliveries.size())
              .concatMap(
                  i ->
                      creditLeg
                          .applyAll(List.of(deliveries.get(i)))
                          .map(outcomes -> outcomes.get(0))
                          .retryWhen(retry(List.of(records.get(i))))
                          .onErrorResume(alone -> deadLetter(records.get(i), alone)))
              .collectList();
        });
  }

  private Retry retry(List<ReceiverRecord<String, String>> records) {
    return Retry.backoff(
            properties.creditRetryAttemptsMax(),
            Duration.ofMillis(properties.creditRetryBackoffMinMillis()))
        .maxBackoff(Duration.ofMillis(properties.creditRetryBackoffMaxMillis()))
        .jitter(MessagingProperties.RETRY_JITTER)
        .filter(error -> !(error instanceof PoisonMessageException))
        .doBeforeRetry(
            signal ->
                log.warn(
                    "credit leg retry {} of {}: {}",
                    signal.totalRetries() + 1,
                    describe(records),
                    signal.failure().toString()));
  }

  /** {@code topic-partition@first..last (n)}: where a batch's records are. */
  private static String describe(List<ReceiverRecord<String, String>> records) {
    ReceiverRecord<String, String> first = records.get(0);
    ReceiverRecord<String, String> last = records.get(records.size() - 1);
    return first.topic()
        + "-"
        + first.partition()
        + "@"
        + first.offset()
        + (records.size() == 1 ? "" : ".." + last.offset() + " (" + records.size() + ")");
  }

  private static Throwable cause(Throwable error) {
    return error.getCause() != null && Exceptions.isRetryExhausted(error)
        ? error.getCause()
        : error;
  }

  /**
   * Parks a message that cannot be applied, so that one bad record does not stop its partition. The
   * original key, value and position travel with it; a person decides what happens next.
   */
  private Mono<Outcome> deadLetter(ConsumerRecord<String, String> record, Throwable error) {
    Throwable cause = cause(error);
    log.error(
        "credit leg gives up on {}-{}@{} and dead-letters it: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        cause.toString());
    ProducerRecord<String, String> parked =
        new ProducerRecord<>(
            Topics.EVENTS_DEAD_LETTER, record.key(), record.value() == null ? "" : record.value());
    parked
        .headers()
        .add(
            "paystream-dlt-source",
            (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes());
    parked.headers().add("paystream-dlt-error", String.valueOf(cause).getBytes());
    return sender
        .send(Mono.just(SenderRecord.create(parked, record.offset())))
        .next()
        .flatMap(
            result ->
                result.exception() == null ? Mono.just(result) : Mono.error(result.exception()))
        .doOnNext(result -> deadLettered.increment())
        .thenReturn(Outcome.IGNORED);
  }

  private void recordLag(
      java.util.Map<org.apache.kafka.common.MetricName, ? extends Metric> metrics) {
    metrics.forEach(
        (name, metric) -> {
          if ("records-lag-max".equals(name.name())
              && metric.metricValue() instanceof Double value
              && !value.isNaN()) {
            lag.set(value.longValue());
          }
        });
  }

  private static final class Exceptions {
    static boolean isRetryExhausted(Throwable error) {
      return reactor.core.Exceptions.isRetryExhausted(error);
    }
  }
}
