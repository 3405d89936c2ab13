package io.paystream.messaging.deadletter;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.Topics;
import io.paystream.persistence.deadletter.DeadLetterStore;
import io.paystream.persistence.deadletter.DeadLetterStore.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;

/**
 * Kafka dead letters for operators: {@link #record} copies every message of the dead-letter topic
 * into PostgreSQL (its own consumer group), where the API can list it; {@link #replay} sends a dead
 * letter's original key and value back to the event topic. Replaying is safe because every consumer
 * applies an event at most once (inbox); a message that was poison is poison again and returns to
 * the dead-letter topic.
 */
@Component
public class DeadLetters {

  static final String GROUP = "paystream-dead-letters";

  private final DeadLetterStore store;
  private final KafkaSender<String, String> sender;
  private final MessagingProperties properties;
  private final MeterRegistry meters;

  public DeadLetters(
      DeadLetterStore store,
      KafkaSender<String, String> sender,
      MessagingProperties properties,
      MeterRegistry meters) {
    this.store = store;
    this.meters = meters;
    this.sender = sender;
    this.properties = properties;
  }

  /** Copies dead letters until cancelled. */
  public Flux<Void> record() {
    ReceiverOptions<String, String> options =
        MessagingConfiguration.receiverOptions(
                MessagingConfiguration.consumerConfig(properties, GROUP), meters)
            .commitInterval(Duration.ofMillis(properties.consumerCommitIntervalMillis()))
            .subscription(List.of(Topics.EVENTS_DEAD_LETTER));
    return KafkaReceiver.create(options).receive().concatMap(this::copy);
  }

  private Mono<Void> copy(ReceiverRecord<String, String> record) {
    Headers headers = record.headers();
    return store
        .record(
            record.topic() + "-" + record.partition() + "@" + record.offset(),
            header(headers, "paystream-dlt-source"),
            header(headers, "paystream-dlt-consumer"),
            header(headers, "paystream-dlt-error"),
            record.key(),
            record.value() == null ? "" : record.value())
        .doOnSuccess(done -> record.receiverOffset().acknowledge());
  }

  /** Sends the dead letter back to the event topic and marks it replayed. */
  public Mono<Void> replay(DeadLetter letter) {
    ProducerRecord<String, String> again =
        new ProducerRecord<>(Topics.EVENTS, letter.key(), letter.payload());
    again
        .headers()
        .add("paystream-replay-of", letter.id().toString().getBytes(StandardCharsets.UTF_8));
    return sender
        .send(Mono.just(SenderRecord.create(again, letter.id())))
        .next()
        .flatMap(
            result ->
                result.exception() == null ? Mono.<Void>empty() : Mono.error(result.exception()))
        .then(store.markReplayed(letter.id()));
  }

  private static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
