package io.paystream.api.browser.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.messaging.kafka.Topics;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import tools.jackson.databind.JsonNode;

/** A dead letter is replayed from the console, and the list then shows it replayed. */
class ConsoleDeadLetterIntegrationTest extends ConsoleIntegrationTest {

  private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(30);

  @Autowired KafkaSender<String, String> sender;

  @Test
  void anOperatorReplaysADeadLetterFromTheConsole() {
    // A poison message on the events topic: the consumers park it as a dead letter.
    String key = "console-poison-" + UUID.randomUUID();
    sender
        .send(
            Mono.just(
                SenderRecord.create(
                    new ProducerRecord<>(Topics.EVENTS, key, "{not an event either"), key)))
        .blockLast(ARRIVAL_TIMEOUT);
    User ops = client.ops();
    String letter = awaitLetter(ops, key).get("id").asString();

    console.logIn("#dead-letters");
    By row = By.cssSelector("#dead-letters-list tr[data-id='" + letter + "']");
    assertThat(console.waitFor(row).getText()).contains(key).contains("{not an event either");
    console.waitFor(row).findElement(By.cssSelector("button.replay")).click();

    console.waitForText(row, "replayed");
    assertThat(
            console.all(
                By.cssSelector("#dead-letters-list tr[data-id='" + letter + "'] button.replay")))
        .as("a replayed letter offers no second replay")
        .isEmpty();
    assertThat(awaitLetter(ops, key, letter).get("replayedAt").isNull())
        .as("the API marks the letter replayed")
        .isFalse();
    assertNoConsoleErrors();
  }

  private JsonNode awaitLetter(User ops, String key) {
    return awaitLetter(ops, key, null);
  }

  private JsonNode awaitLetter(User ops, String key, String id) {
    return Eventually.await(
        ARRIVAL_TIMEOUT,
        "a dead letter with key " + key,
        () ->
            client
                .get(ops, "/api/v1/ops/dead-letters?limit=100")
                .get("items")
                .valueStream()
                .filter(item -> key.equals(item.path("key").asString()))
                .filter(item -> id == null || id.equals(item.get("id").asString()))
                .findFirst()
                .orElse(null),
        letter -> letter != null);
  }
}
