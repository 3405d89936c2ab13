package io.paystream.messaging.payout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.PoisonMessageException;
import io.paystream.messaging.kafka.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import reactor.util.retry.Retry;

/**
 * The payout leg as a Kafka consumer of the event topic, in its own group. Records of one partition
 * are applied one after another; the offset is acknowledged once the inbox transaction committed
 * and the provider attempt ended (however it ended: an unfinished payout belongs to the recovery
 * sweep from then on). Transient database failures before the inbox commit are retried with backoff
 * and jitter; a message that still cannot be applied goes to the dead-letter topic.
 */
public class PayoutLegConsumer {

  private static final Logger log = LoggerFactory.getLogger(PayoutLegConsumer.class);

  private final PayoutLeg leg;
  private final KafkaSender<String, String> sender;
  private final MessagingProperties messaging;
  private final PayoutProperties payout;
  private final MeterRegistry meters;
  private final Counter deadLettered;
  private final Counter passedOver;

  public PayoutLegConsumer(
      PayoutLeg leg,
      KafkaSender<String, String> sender,
      MessagingProperties messaging,
      PayoutProperties payout,
      MeterRegistry meters) {
    this.leg = leg;
    this.sender = sender;
    this.messaging = messaging;
    this.payout = payout;
    this.meters = meters;
    this.deadLettered =
        Counter.builder("paystream.consumer.dead.lettered")
            .description("messages sent to the dead-letter topic")
            .tag("consumer", PayoutLeg.CONSUMER)
            .register(meters);
    this.passedOver =
        meters.counter(
            "paystream.consumer.applied",
            "consumer",
            PayoutLeg.CONSUMER,
            "outcome",
            PayoutLeg.Skip.IGNORED.name());
  }

  /** Consumes until cancelled; emits each outcome (tests observe them). */
  public Flux<String> run() {
    ReceiverOptions<String, String> options =
        MessagingConfiguration.receiverOptions(
                MessagingConfiguration.consumerConfig(messaging, payout.consumerGroup()), meters)
            .commitInterval(Duration.ofMillis(messaging.consumerCommitIntervalMillis()))
            .subscription(List.of(Topics.EVENTS));
    return KafkaReceiver.create(options)
        .receive()
        .groupBy(record -> record.receiverOffset().topicPartition())
        .flatMap(partition -> partition.concatMap(this::handle), Integer.MAX_VALUE);
  }

  private Mono<String> handle(ReceiverRecord<String, String> record) {
    String type = Topics.type(record.headers());
    if (type != null && !type.equals(PayoutLeg.STARTS_PAYOUT)) {
      // Most events are transfers': passed over by their header, without decoding their JSON.
      passedOver.increment();
      record.receiverOffset().acknowledge();
      return Mono.just(PayoutLeg.Skip.IGNORED.name());
    }
    return leg.apply(record.value())
        .retryWhen(
            Retry.backoff(
                    messaging.creditRetryAttemptsMax(),
                    Duration.ofMillis(messaging.creditRetryBackoffMinMillis()))
                .maxBackoff(Duration.ofMillis(messaging.creditRetryBackoffMaxMillis()))
                .jitter(MessagingProperties.RETRY_JITTER)
                .filter(error -> !(error instanceof PoisonMessageException)))
        .onErrorResume(error -> deadLetter(record, error))
        .doOnNext(
            outcome -> {
              meters
                  .counter(
                      "paystream.consumer.applied",
                      "consumer",
                      PayoutLeg.CONSUMER,
                      "outcome",
                      outcome)
                  .increment();
              record.receiverOffset().acknowledge();
            });
  }

  private Mono<String> deadLetter(ReceiverRecord<String, String> record, Throwable error) {
    Throwable cause =
        Exceptions.isRetryExhausted(error) && error.getCause() != null ? error.getCause() : error;
    log.error(
        "payout leg gives up on {}-{}@{} and dead-letters it: {}",
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
    parked.headers().add("paystream-dlt-consumer", PayoutLeg.CONSUMER.getBytes());
    parked.headers().add("paystream-dlt-error", String.valueOf(cause).getBytes());
    return sender
        .send(Mono.just(SenderRecord.create(parked, record.offset())))
        .next()
        .flatMap(
            result ->
                result.exception() == null ? Mono.just(result) : Mono.error(result.exception()))
        .doOnNext(result -> deadLettered.increment())
        .thenReturn("DEAD_LETTERED");
  }
}
