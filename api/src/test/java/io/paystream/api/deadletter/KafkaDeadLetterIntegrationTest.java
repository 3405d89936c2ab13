package io.paystream.api.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.messaging.kafka.Topics;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import tools.jackson.databind.JsonNode;

/** A poison Kafka message reaches the operators' dead-letter list, and replay re-sends it. */
class KafkaDeadLetterIntegrationTest extends ApiIntegrationTest {

  private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(30);

  @Autowired KafkaSender<String, String> sender;

  @Test
  void aPoisonMessageIsListedForOperatorsAndAReplaySendsItThroughTheConsumersAgain() {
    String key = "poison-" + UUID.randomUUID();
    sender
        .send(
            Mono.just(
                SenderRecord.create(
                    new ProducerRecord<>(Topics.EVENTS, key, "{this is not an event"), key)))
        .blockLast(ARRIVAL_TIMEOUT);
    User ops = client.ops();

    List<JsonNode> first = awaitKafkaLetters(ops, key, 1);
    JsonNode letter = first.get(0);
    assertThat(letter.get("payload").asString()).isEqualTo("{this is not an event");
    assertThat(letter.get("error").asString()).isNotBlank();
    assertThat(letter.get("replayedAt").isNull()).isTrue();

    http.post()
        .uri("/api/v1/ops/dead-letters/{id}/replay", letter.get("id").asString())
        .headers(h -> h.setBearerAuth(ops.token()))
        .exchange()
        .expectStatus()
        .isAccepted();

    // Still poison: the credit leg parks it again, as a new dead letter.
    List<JsonNode> after = awaitKafkaLetters(ops, key, 2);
    assertThat(
            after.stream()
                .filter(l -> l.get("id").asString().equals(letter.get("id").asString()))
                .findFirst()
                .orElseThrow()
                .get("replayedAt")
                .isNull())
        .as("the replayed letter is marked")
        .isFalse();
  }

  private List<JsonNode> awaitKafkaLetters(User ops, String key, int count) {
    return Eventually.await(
        ARRIVAL_TIMEOUT,
        count + " dead letters with key " + key,
        () ->
            client
                .get(ops, "/api/v1/ops/dead-letters?limit=100")
                .get("items")
                .valueStream()
                .filter(
                    item ->
                        "KAFKA".equals(item.get("kind").asString())
                            && key.equals(item.path("key").asString()))
                .toList(),
        letters -> letters.size() >= count);
  }
}
