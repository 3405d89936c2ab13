package io.paystream.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.deadletter.DeadLetterStore;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * docs/CONTRACT.md, Operations: the overview. Each figure is moved by the test (a transfer, a stuck
 * PENDING row, a dead letter, a stream) and seen to move, so none can be a constant.
 */
class OpsOverviewIntegrationTest extends ApiIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String OVERVIEW = "/api/v1/ops/overview";
  private static final List<String> SAMPLE_FIELDS =
      List.of(
          "at",
          "acceptedPerSecond",
          "completedPerSecond",
          "failedPerSecond",
          "pending",
          "oldestPendingAgeSeconds",
          "outboxBacklog",
          "consumerLag",
          "deadLetters",
          "sseSubscribers");

  @Autowired OpsOverview overview;
  @Autowired DeadLetterStore deadLetters;

  private OpsRequests requests;
  private User ops;

  @BeforeEach
  void opsUser() {
    requests = new OpsRequests(http, port);
    ops = client.ops();
  }

  @Test
  void theOverviewAnswersTheCurrentSampleAndTheSampledHistoryOldestFirst() {
    overview.sampleOnce().block(TIMEOUT);
    overview.sampleOnce().block(TIMEOUT);

    JsonNode answer = client.get(ops, OVERVIEW);

    assertThat(answer.propertyNames())
        .containsExactlyInAnyOrder("at", "sampleSeconds", "current", "samples");
    assertThat(answer.get("sampleSeconds").asLong()).isEqualTo(10);
    Instant at = Instant.parse(answer.get("at").asString());
    assertThat(at).isBetween(Instant.now().minusSeconds(30), Instant.now().plusSeconds(1));
    assertSample(answer.get("current"));
    assertThat(answer.get("current").get("at").asString()).isEqualTo(answer.get("at").asString());
    List<Instant> sampledAt = new ArrayList<>();
    for (JsonNode sample : answer.get("samples")) {
      assertSample(sample);
      sampledAt.add(Instant.parse(sample.get("at").asString()));
    }
    assertThat(sampledAt).hasSizeBetween(2, OverviewHistory.SAMPLES_MAX).isSorted();
    assertThat(sampledAt.get(sampledAt.size() - 1)).isBeforeOrEqualTo(at);
  }

  @Test
  void acceptedCompletedAndFailedTransfersShowAsRatesOverTheLastWindow() throws SQLException {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(bob, "EUR");
    client.deposit(alice, from, 10_000, "EUR");
    List<UUID> completed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      completed.add(client.acceptedTransfer(alice, from, to, 100, "EUR"));
    }
    UUID failed = failedTransfer(alice, from, bob);
    for (UUID transfer : completed) {
      assertThat(client.awaitTerminal(alice, transfer, TIMEOUT).get("status").asString())
          .isEqualTo("COMPLETED");
    }
    assertThat(client.awaitTerminal(alice, failed, TIMEOUT).get("status").asString())
        .isEqualTo("FAILED");

    // 4 accepted, 3 completed and 1 failed within the 10 s window: 0.4, 0.3 and 0.1 per second at
    // least, once the event log has sequenced them.
    JsonNode current =
        Eventually.await(
            TIMEOUT,
            "the transfers in the overview's rates",
            () -> client.get(ops, OVERVIEW).get("current"),
            sample ->
                sample.get("acceptedPerSecond").asDouble() >= 0.4
                    && sample.get("completedPerSecond").asDouble() >= 0.3
                    && sample.get("failedPerSecond").asDouble() >= 0.1);
    assertThat(current.get("acceptedPerSecond").isNumber()).isTrue();
  }

  @Test
  void aTransferStuckInPendingIsCountedWithItsAge() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    JsonNode before = client.get(ops, OVERVIEW).get("current");
    UUID stuck = UUID.randomUUID();
    // A PENDING transfer whose message never reached Kafka, an hour old: what a stalled credit leg
    // leaves behind. Written behind the application's back, and removed again below.
    TestDatabase.sql(
        "INSERT INTO transfer (id, from_account_id, to_account_id, amount, currency, status,"
            + " created_by, created_at, updated_at) VALUES ('"
            + stuck
            + "', '"
            + from
            + "', '"
            + to
            + "', 100, 'EUR', 'PENDING', '"
            + alice.id()
            + "', now() - interval '1 hour', now() - interval '1 hour')");
    try {
      JsonNode during = client.get(ops, OVERVIEW).get("current");
      assertThat(during.get("pending").asLong()).isEqualTo(before.get("pending").asLong() + 1);
      assertThat(during.get("oldestPendingAgeSeconds").asLong()).isBetween(3_600L, 3_700L);
    } finally {
      TestDatabase.sql("DELETE FROM transfer WHERE id = '" + stuck + "'");
    }
    JsonNode after = client.get(ops, OVERVIEW).get("current");
    assertThat(after.get("pending").asLong()).isEqualTo(before.get("pending").asLong());
    assertThat(after.get("oldestPendingAgeSeconds").asLong()).isLessThan(3_600L);
  }

  @Test
  void aDeadLetterCountsUntilItIsReplayed() {
    // Webhook deliveries of earlier tests may die meanwhile and move the same count: an attempt
    // counts only when nothing else moved it, and a wrong count fails every attempt.
    Eventually.await(
        TIMEOUT,
        "a recorded dead letter counted once, and no longer once replayed",
        this::deadLetterCountedUntilReplayed);
  }

  private boolean deadLetterCountedUntilReplayed() {
    long before = currentDeadLetters();
    String position = "paystream.events.dlt-0@" + UUID.randomUUID();
    deadLetters.record(position, "test", "test", "boom", "k", "{}").block(TIMEOUT);
    long recorded = currentDeadLetters();
    UUID id = null;
    for (JsonNode letter : client.get(ops, "/api/v1/ops/dead-letters?limit=20").get("items")) {
      if ("KAFKA".equals(letter.get("kind").asString())
          && "boom".equals(letter.get("error").asString())
          && !letter.hasNonNull("replayedAt")) {
        id = UUID.fromString(letter.get("id").asString());
        break;
      }
    }
    assertThat(id).as("the recorded dead letter").isNotNull();
    deadLetters.markReplayed(id).block(TIMEOUT);
    long replayed = currentDeadLetters();
    return recorded == before + 1 && replayed == before;
  }

  private long currentDeadLetters() {
    return client.get(ops, OVERVIEW).get("current").get("deadLetters").asLong();
  }

  @Test
  void anOpenStreamCountsAsAnSseSubscriberUntilItCloses() {
    long before = client.get(ops, OVERVIEW).get("current").get("sseSubscribers").asLong();
    Disposable stream = listen("/api/v1/ops/events");
    try {
      Eventually.await(
          TIMEOUT,
          "the open stream in sseSubscribers",
          () -> client.get(ops, OVERVIEW).get("current").get("sseSubscribers").asLong(),
          n -> n == before + 1);
    } finally {
      stream.dispose();
    }
    Eventually.await(
        TIMEOUT,
        "the closed stream gone from sseSubscribers",
        () -> client.get(ops, OVERVIEW).get("current").get("sseSubscribers").asLong(),
        n -> n == before);
  }

  @Test
  void theOverviewIsForOpsOnly() {
    requests.assertForbiddenFor(client.newCustomer(), OVERVIEW);
    requests.assertNeedsAToken(OVERVIEW);
  }

  private static void assertSample(JsonNode sample) {
    assertThat(sample.propertyNames()).containsExactlyInAnyOrderElementsOf(SAMPLE_FIELDS);
    Instant.parse(sample.get("at").asString());
    for (String rate : List.of("acceptedPerSecond", "completedPerSecond", "failedPerSecond")) {
      double value = sample.get(rate).asDouble();
      assertThat(value).as(rate).isNotNegative();
      assertThat(Math.round(value * 10) / 10.0).as(rate + " has one decimal").isEqualTo(value);
    }
    for (String count : SAMPLE_FIELDS.subList(4, SAMPLE_FIELDS.size())) {
      assertThat(sample.get(count).isIntegralNumber()).as(count).isTrue();
      assertThat(sample.get(count).asLong()).as(count).isNotNegative();
    }
  }

  /**
   * A transfer accepted while the payee's freeze is being committed: accepted (the payer's side
   * does not lock the payee), then refunded by the credit leg, which finds the payee frozen.
   */
  private UUID failedTransfer(User alice, UUID from, User bob) throws SQLException {
    UUID payee = client.openAccount(bob, "EUR");
    UUID transfer;
    try (Connection db =
        DriverManager.getConnection(
            TestDatabase.jdbcUrl(),
            System.getenv().getOrDefault("PAYSTREAM_TEST_PG_USER", "postgres"),
            System.getenv().getOrDefault("PAYSTREAM_TEST_PG_PASSWORD", ""))) {
      db.setAutoCommit(false);
      try (PreparedStatement freeze =
          db.prepareStatement("UPDATE account SET status = 'FROZEN' WHERE id = ?")) {
        freeze.setObject(1, payee);
        assertThat(freeze.executeUpdate()).isEqualTo(1);
      }
      transfer = client.acceptedTransfer(alice, from, payee, 100, "EUR");
      db.commit();
    }
    return transfer;
  }

  /** Opens an SSE stream on a connection of its own; returns once its first frame arrived. */
  private Disposable listen(String path) {
    AtomicBoolean opened = new AtomicBoolean();
    Disposable stream =
        WebClient.builder()
            .baseUrl("http://localhost:" + port)
            .clientConnector(new ReactorClientHttpConnector(HttpClient.newConnection()))
            .build()
            .get()
            .uri(path)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .headers(h -> h.setBearerAuth(ops.token()))
            .retrieve()
            .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
            .subscribe(event -> opened.set(true), error -> {});
    Eventually.await(TIMEOUT, "the opening frame of " + path, opened::get);
    return stream;
  }
}
