package io.paystream.messaging.credit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingConfiguration;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.testing.MessagingTestApplication;
import io.paystream.messaging.testing.TestKafka;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import reactor.test.StepVerifier;

/**
 * A message no retry can make applicable is parked on the dead-letter topic with its origin,
 * counted, and the partition moves on.
 */
@SpringBootTest(
    classes = MessagingTestApplication.class,
    properties = {
      "paystream.messaging.enabled=false",
      "paystream.kafka.consumer-group=credit-leg-dead-letter-test",
    })
class CreditLegDeadLetterIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    TestKafka.register(registry);
  }

  @Autowired KafkaAdmin admin;
  @Autowired KafkaSender<String, String> sender;
  @Autowired CreditLegConsumer consumer;
  @Autowired MessagingProperties properties;
  @Autowired MeterRegistry meters;

  @Test
  void aPoisonMessageIsDeadLetteredWithItsOriginAndCounted() {
    admin.createTopics().as(StepVerifier::create).verifyComplete();
    String poison = "{not json " + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    sender
        .send(Mono.just(SenderRecord.create(new ProducerRecord<>(Topics.EVENTS, key, poison), 1)))
        .as(StepVerifier::create)
        .expectNextMatches(result -> result.exception() == null)
        .verifyComplete();
    double before = deadLettered();

    Disposable running = consumer.run().subscribe();
    try {
      KafkaReceiver.create(
              ReceiverOptions.<String, String>create(
                      MessagingConfiguration.consumerConfig(
                          properties, "dlt-reader-" + UUID.randomUUID()))
                  .subscription(List.of(Topics.EVENTS_DEAD_LETTER)))
          .receive()
          .filter(record -> poison.equals(record.value()))
          .next()
          .as(StepVerifier::create)
          .assertNext(
              parked -> {
                assertThat(parked.key()).isEqualTo(key);
                assertThat(
                        new String(
                            parked.headers().lastHeader("paystream-dlt-source").value(),
                            StandardCharsets.UTF_8))
                    .startsWith(Topics.EVENTS + "-");
                assertThat(parked.headers().lastHeader("paystream-dlt-error")).isNotNull();
              })
          .expectComplete()
          .verify(PATIENCE);
      // Counted when the dead-letter topic acknowledges the record, which may reach the
      // consumer after the reader above has already seen it: wait for the count.
      assertThat(
              Eventually.await(
                  PATIENCE,
                  "the dead-lettered count to rise",
                  this::deadLettered,
                  count -> count > before))
          .isEqualTo(before + 1);
    } finally {
      running.dispose();
    }
  }

  private double deadLettered() {
    return meters
        .counter("paystream.consumer.dead.lettered", "consumer", CreditLeg.CONSUMER)
        .count();
  }
}
