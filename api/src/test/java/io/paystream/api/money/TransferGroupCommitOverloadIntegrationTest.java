package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.MoneyAssertions;
import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import io.paystream.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Group commit when things go wrong, end to end, with one lane and room for two waiting transfers.
 * A test holds the payer's row lock over JDBC, so the lane's transaction waits for it and the next
 * transfers queue behind it in a known state:
 *
 * <ul>
 *   <li>a transfer beyond the queue bound is refused 503 with Retry-After, moves nothing, and is
 *       accepted when retried with the same key;
 *   <li>a batch whose transaction fails is re-run one transfer at a time, and each transfer is
 *       accepted once, debited once and completed.
 * </ul>
 */
@TestPropertySource(
    properties = {
      "paystream.transfers.group-commit.lanes=1",
      "paystream.transfers.group-commit.queue-max="
          + TransferGroupCommitOverloadIntegrationTest.QUEUE,
      // Its own consumer group: this context and the shared one each apply every credit leg once
      // (the inbox makes the second a no-op) instead of fighting over partitions.
      "paystream.kafka.consumer-group=paystream-credit-leg-group-commit-overload-test",
    })
@DirtiesContext
class TransferGroupCommitOverloadIntegrationTest extends ApiIntegrationTest {

  static final int QUEUE = 2;
  static final long AMOUNT = 700;
  static final long FUNDING = 100_000;

  /** Transfers with this description fail any statement that inserts more than one of them. */
  static final String BREAKER = "batch-breaker";

  /** Transfers reach the lane's queue in milliseconds once sent. */
  private static final Duration QUEUED_TIMEOUT = Duration.ofSeconds(10);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired MeterRegistry meters;

  @Test
  void aTransferBeyondTheQueueIsRefused503MovesNothingAndIsAcceptedWhenRetried() {
    Parties parties = parties();
    String refusedKey = UUID.randomUUID().toString();
    List<Answer> waited;
    MoneyAssertions.Snapshot before;
    try (PayerLock lock = new PayerLock(parties.aliceAccount())) {
      // One transfer waits in the lane's transaction for the payer's lock, two in the queue.
      Mono<List<Answer>> inFlight = sendTogether(parties, QUEUE + 1, "queued");
      awaitQueued(QUEUE);
      before = parties.snapshot(client);

      EntityExchangeResult<byte[]> refused =
          client.transfer(
              parties.alice(),
              refusedKey,
              parties.aliceAccount(),
              parties.bobAccount(),
              AMOUNT,
              "EUR");

      assertThat(refused.getStatus())
          .as(MoneyAssertions.describe(refused))
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
      assertThat(
              refused
                  .getResponseHeaders()
                  .getContentType()
                  .isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .isTrue();
      assertThat(PaystreamClient.json(refused).get("code").asString())
          .isEqualTo("service_unavailable");
      assertThat(refused.getResponseHeaders().getFirst("Retry-After")).matches("[1-9][0-9]*");
      before.assertUnchanged();
      lock.release();
      waited = inFlight.block(Duration.ofSeconds(30));
    }

    List<UUID> accepted = new ArrayList<>(waited.stream().map(Answer::accepted).toList());
    EntityExchangeResult<byte[]> retried =
        client.transfer(
            parties.alice(),
            refusedKey,
            parties.aliceAccount(),
            parties.bobAccount(),
            AMOUNT,
            "EUR");
    assertThat(retried.getStatus())
        .as(MoneyAssertions.describe(retried))
        .isEqualTo(HttpStatus.ACCEPTED);
    accepted.add(UUID.fromString(PaystreamClient.json(retried).get("id").asString()));
    awaitCompleted(parties.alice(), accepted);
    assertThat(client.balance(parties.alice(), parties.aliceAccount()))
        .isEqualTo(FUNDING - (QUEUE + 2) * AMOUNT);
    assertThat(client.balance(parties.bob(), parties.bobAccount())).isEqualTo((QUEUE + 2) * AMOUNT);
    assertLedgerBalanced(client, client.ops());
  }

  @Test
  void aBatchWhoseTransactionFailsIsAcceptedOneTransferAtATime() {
    Parties parties = parties();
    double failuresBefore =
        meters.get("paystream.transfer.accept.batch.failures").counter().count();
    List<Answer> answers;
    TestDatabase.sql(
        """
        CREATE FUNCTION refuse_batch_breakers() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT count(*) FROM added WHERE description = '%s') > 1 THEN
            RAISE EXCEPTION 'a test refuses batches of batch breakers';
          END IF;
          RETURN NULL;
        END $$;
        CREATE TRIGGER refuse_batch_breakers AFTER INSERT ON transfer
          REFERENCING NEW TABLE AS added FOR EACH STATEMENT
          EXECUTE FUNCTION refuse_batch_breakers();
        """
            .formatted(BREAKER));
    try {
      try (PayerLock lock = new PayerLock(parties.aliceAccount())) {
        // The first waits alone for the lock; the two queued behind it become one batch.
        Mono<List<Answer>> sent = sendTogether(parties, QUEUE + 1, BREAKER);
        awaitQueued(QUEUE);
        lock.release();
        answers = sent.block(Duration.ofSeconds(30));
      }
    } finally {
      TestDatabase.sql(
          "DROP TRIGGER refuse_batch_breakers ON transfer;"
              + " DROP FUNCTION refuse_batch_breakers()");
    }

    assertThat(meters.get("paystream.transfer.accept.batch.failures").counter().count())
        .isEqualTo(failuresBefore + 1);
    List<UUID> accepted = answers.stream().map(Answer::accepted).distinct().toList();
    assertThat(accepted).hasSize(QUEUE + 1);
    awaitCompleted(parties.alice(), accepted);
    // Debited once each: the failed batch left nothing behind.
    assertThat(client.balance(parties.alice(), parties.aliceAccount()))
        .isEqualTo(FUNDING - (QUEUE + 1) * AMOUNT);
    assertThat(client.balance(parties.bob(), parties.bobAccount())).isEqualTo((QUEUE + 1) * AMOUNT);
    assertLedgerBalanced(client, client.ops());
  }

  /** One answer to a transfer sent without waiting. */
  private record Answer(int status, JsonNode body) {

    UUID accepted() {
      assertThat(status).as(body.toString()).isEqualTo(HttpStatus.ACCEPTED.value());
      return UUID.fromString(body.get("id").asString());
    }
  }

  /** Alice pays Bob. An instance field: each test registers its own two customers. */
  private final Parties.Customers customers = new Parties.Customers();

  private Parties parties() {
    return customers.open(client, "EUR", FUNDING);
  }

  /** Sends {@code count} transfers at once, each with its own key; answers in no set order. */
  private Mono<List<Answer>> sendTogether(Parties parties, int count, String description) {
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();
    List<String> keys =
        IntStream.range(0, count).mapToObj(i -> UUID.randomUUID().toString()).toList();
    Mono<List<Answer>> answers =
        Flux.fromIterable(keys)
            .flatMap(
                key ->
                    web.post()
                        .uri("/api/v1/transfers")
                        .headers(h -> h.setBearerAuth(parties.alice().token()))
                        .header("Idempotency-Key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                            Map.of(
                                "fromAccountId",
                                parties.aliceAccount().toString(),
                                "toAccountId",
                                parties.bobAccount().toString(),
                                "amount",
                                AMOUNT,
                                "currency",
                                "EUR",
                                "description",
                                description))
                        .exchangeToMono(
                            response ->
                                response
                                    .bodyToMono(String.class)
                                    .map(
                                        body ->
                                            new Answer(
                                                response.statusCode().value(),
                                                JSON.readTree(body)))))
            .collectList()
            .cache();
    answers.subscribe();
    return answers;
  }

  private void awaitQueued(int expected) {
    Eventually.await(
        QUEUED_TIMEOUT,
        expected + " transfers queued in the lane",
        () -> meters.get("paystream.transfer.accept.queued").gauge().value(),
        queued -> queued == expected);
  }

  private void awaitCompleted(User payer, List<UUID> transfers) {
    for (UUID transfer : transfers) {
      assertThat(
              client
                  .awaitTerminal(payer, transfer, Duration.ofSeconds(30))
                  .get("status")
                  .asString())
          .isEqualTo("COMPLETED");
    }
  }

  /** The payer's account row, locked FOR UPDATE in an open transaction until released. */
  private static final class PayerLock implements AutoCloseable {

    private final Connection connection;

    PayerLock(UUID account) {
      try {
        connection = DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "");
        connection.setAutoCommit(false);
        try (PreparedStatement lock =
            connection.prepareStatement("SELECT id FROM account WHERE id = ? FOR UPDATE")) {
          lock.setObject(1, account);
          lock.executeQuery().close();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    void release() {
      try {
        if (!connection.isClosed()) {
          connection.rollback();
          connection.close();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      release();
    }
  }
}
