package io.paystream.messaging.credit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.credit.CreditLeg.Outcome;
import io.paystream.persistence.outbox.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
 * The credit leg as a Kafka consumer. Records of one partition are applied strictly one after
 * another (the topic is keyed by payee, so one payee's credits keep their order); partitions run
 * in parallel. An offset is acknowledged only after its database transaction committed, and
 * acknowledged offsets are committed every {@code consumerCommitIntervalMillis}: a crash in
 * between redelivers, and the inbox turns the redelivery into a no-op.
 */
@Component
public class CreditLegConsumer {

  private static final Logger log = LoggerFactory.getLogger(CreditLegConsumer.class);

  private final CreditLeg creditLeg;
  private final KafkaSender<String, String> sender;
  private final MessagingProperties properties;
  private final MeterRegistry meters;
  private final Counter deadLettered;
  private final AtomicLong lag = new AtomicLong();

  public CreditLegConsumer(CreditLeg creditLeg, KafkaSender<String, String> sender,
      MessagingProperties properties, MeterRegistry meters) {
    this.creditLeg = creditLeg;
    this.sender = sender;
    this.properties = properties;
    this.meters = meters;
    this.deadLettered = Counter.builder("paystream.consumer.dead.lettered")
        .description("messages sent to the dead-letter topic").tag("consumer", CreditLeg.CONSUMER)
        .register(meters);
    Gauge.builder("paystream.consumer.lag", lag, AtomicLong::get)
        .description("largest record lag of the credit-leg consumer, as last measured")
        .tag("consumer", CreditLeg.CONSUMER).register(meters);
  }

  /** Consumes until cancelled; emits each applied outcome (tests observe them). */
  public Flux<Outcome> run() {
    ReceiverOptions<String, String> options = ReceiverOptions.<String, String>create(
            MessagingConfiguration.consumerConfig(properties, properties.consumerGroup()))
        .commitInterval(Duration.ofMillis(properties.consumerCommitIntervalMillis()))
        .subscription(List.of(Topics.EVENTS));
    KafkaReceiver<String, String> receiver = KafkaReceiver.create(options);
    Flux<Outcome> applied = receiver.receive()
        .groupBy(record -> record.receiverOffset().topicPartition())
        .flatMap(partition -> partition.concatMap(this::handle), Integer.MAX_VALUE);
    Flux<Void> lagProbe = Flux.interval(Duration.ofSeconds(5))
        .concatMap(tick -> receiver.doOnConsumer(consumer -> consumer.metrics()).doOnNext(this::recordLag))
        .onErrorResume(error -> Mono.empty())
        .thenMany(Flux.empty());
    return Flux.merge(applied, lagProbe.cast(Outcome.class));
  }

  private Mono<Outcome> handle(ReceiverRecord<String, String> record) {
    return creditLeg.apply(record.value())
        .retryWhen(Retry.backoff(properties.creditRetryAttemptsMax(),
                Duration.ofMillis(properties.creditRetryBackoffMinMillis()))
            .maxBackoff(Duration.ofMillis(properties.creditRetryBackoffMaxMillis()))
            .jitter(0.5)
            .filter(error -> !(error instanceof PoisonMessageException))
            .doBeforeRetry(signal -> log.warn("credit leg retry {} of {}-{}@{}: {}",
                signal.totalRetries() + 1, record.topic(), record.partition(), record.offset(),
                signal.failure().toString())))
        .onErrorResume(error -> deadLetter(record, error))
        .doOnNext(outcome -> {
          meters.counter("paystream.consumer.applied", "consumer", CreditLeg.CONSUMER,
              "outcome", outcome.name()).increment();
          record.receiverOffset().acknowledge();
        });
  }

  /**
   * Parks a message that cannot be applied, so that one bad record does not stop its partition.
   * The original key, value and position travel with it; a person decides what happens next.
   */
  private Mono<Outcome> deadLetter(ConsumerRecord<String, String> record, Throwable error) {
    Throwable cause = error.getCause() != null && Exceptions.isRetryExhausted(error)
        ? error.getCause() : error;
    log.error("credit leg gives up on {}-{}@{} and dead-letters it: {}", record.topic(),
        record.partition(), record.offset(), cause.toString());
    ProducerRecord<String, String> parked = new ProducerRecord<>(Topics.EVENTS_DEAD_LETTER,
        record.key(), record.value() == null ? "" : record.value());
    parked.headers().add("paystream-dlt-source",
        (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes());
    parked.headers().add("paystream-dlt-error", String.valueOf(cause).getBytes());
    return sender.send(Mono.just(SenderRecord.create(parked, record.offset())))
        .next()
        .flatMap(result -> result.exception() == null ? Mono.just(result)
            : Mono.error(result.exception()))
        .doOnNext(result -> deadLettered.increment())
        .thenReturn(Outcome.IGNORED);
  }

  private void recordLag(java.util.Map<org.apache.kafka.common.MetricName, ? extends Metric> metrics) {
    metrics.forEach((name, metric) -> {
      if ("records-lag-max".equals(name.name()) && metric.metricValue() instanceof Double value
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
