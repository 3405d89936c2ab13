package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6: many payers all paying one merchant, so every credit lands on one partition and one
 * balance row, with some requests sent twice at once under one key. The credit leg applies them in
 * batches (one transaction each); afterwards every transfer is COMPLETED, the merchant holds
 * exactly the sum of them, each key moved money once, no balance is negative, the merchant's
 * running balances chain entry by entry, the ledger balances, and batches of more than one message
 * really happened.
 */
class HotAccountCreditIntegrationTest extends ApiIntegrationTest {

  static final int CLIENTS = 8;
  static final int PAYERS = 8;
  static final int TRANSFERS = 320;
  static final long FUNDING = 30_000;
  static final long AMOUNT_MAX = 500;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired MeterRegistry meters;
  @Autowired DatabaseClient db;

  record Planned(String key, int payer, long amount, boolean twice) {}

  record Outcome(String key, int status, boolean replayed, String transferId, String code) {}

  @Test
  void manyPayersPayingOneMerchantAreCreditedInBatchesAndEachKeyMovesMoneyOnce() {
    User merchantOwner = client.newCustomer();
    UUID merchant = client.openAccount(merchantOwner, "EUR");
    List<User> owners = new ArrayList<>();
    List<UUID> payers = new ArrayList<>();
    for (int i = 0; i < PAYERS; i++) {
      User owner = client.newCustomer();
      UUID account = client.openAccount(owner, "EUR");
      client.deposit(owner, account, FUNDING, "EUR");
      owners.add(owner);
      payers.add(account);
    }
    SplittableRandom random = new SplittableRandom(20261122);
    List<Planned> plan = new ArrayList<>();
    for (int i = 0; i < TRANSFERS; i++) {
      plan.add(
          new Planned(
              UUID.randomUUID().toString(),
              i % PAYERS,
              1 + random.nextLong(AMOUNT_MAX),
              i % 5 == 0));
    }
    Batches before = batches();
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();

    List<Outcome> outcomes =
        Flux.fromIterable(plan)
            .flatMap(
                planned -> {
                  Mono<Outcome> once =
                      send(
                          web,
                          owners.get(planned.payer()),
                          payers.get(planned.payer()),
                          merchant,
                          planned);
                  return planned.twice()
                      ? Flux.merge(
                          once,
                          send(
                              web,
                              owners.get(planned.payer()),
                              payers.get(planned.payer()),
                              merchant,
                              planned))
                      : once;
                },
                CLIENTS)
            .collectList()
            .block(Duration.ofMinutes(3));

    assertThat(outcomes).hasSize(TRANSFERS + TRANSFERS / 5);
    Map<String, Set<String>> idsByKey = new HashMap<>();
    Map<String, Integer> freshAcceptsByKey = new HashMap<>();
    for (Outcome outcome : outcomes) {
      assertThat(outcome.status()).as("%s", outcome).isIn(202, 409);
      if (outcome.status() == 409) {
        assertThat(outcome.code()).isEqualTo("idempotency_key_in_use");
        continue;
      }
      idsByKey.computeIfAbsent(outcome.key(), k -> new HashSet<>()).add(outcome.transferId());
      if (!outcome.replayed()) {
        freshAcceptsByKey.merge(outcome.key(), 1, Integer::sum);
      }
    }
    // Every key was accepted (the second copy of a key may only have seen it in flight).
    assertThat(idsByKey).hasSize(TRANSFERS);
    assertThat(idsByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    assertThat(freshAcceptsByKey).hasSize(TRANSFERS);
    assertThat(freshAcceptsByKey.values()).allSatisfy(count -> assertThat(count).isEqualTo(1));

    User ops = client.ops();
    long[] sent = new long[PAYERS];
    long received = 0;
    for (Planned planned : plan) {
      UUID id = UUID.fromString(idsByKey.get(planned.key()).iterator().next());
      JsonNode transfer = client.awaitTerminal(ops, id, Duration.ofSeconds(60));
      assertThat(transfer.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(transfer.get("amount").asLong()).isEqualTo(planned.amount());
      sent[planned.payer()] += planned.amount();
      received += planned.amount();
    }

    assertThat(client.balance(merchantOwner, merchant)).isEqualTo(received);
    for (int i = 0; i < PAYERS; i++) {
      assertThat(client.balance(owners.get(i), payers.get(i)))
          .isNotNegative()
          .isEqualTo(FUNDING - sent[i]);
    }
    assertRunningBalancesChain(merchant, TRANSFERS, received);
    assertLedgerBalanced(client, ops);

    Batches during = batches().minus(before);
    assertThat(during.messages())
        .as("messages per transaction while the merchant was paid: %s", during)
        .isGreaterThan(during.transactions());
  }

  /**
   * The merchant's credits in the order they took its row lock (entry seq): each entry's balance is
   * the previous one plus its amount, from zero to the final balance. A batch that computed one
   * balance wrong, or two batches interleaving on the row, breaks the chain.
   */
  private void assertRunningBalancesChain(UUID account, int entries, long finalBalance) {
    List<long[]> rows =
        db.sql(
                "SELECT amount, balance_after FROM entry"
                    + " WHERE account_id = :account ORDER BY seq")
            .bind("account", account)
            .map(
                row ->
                    new long[] {
                      row.get("amount", Long.class), row.get("balance_after", Long.class)
                    })
            .all()
            .collectList()
            .block(Duration.ofSeconds(30));
    assertThat(rows).hasSize(entries);
    long running = 0;
    for (long[] row : rows) {
      running += row[0];
      assertThat(row[1]).isEqualTo(running);
    }
    assertThat(running).isEqualTo(finalBalance);
  }

  /** What the credit leg's batch-size summary has counted so far. */
  record Batches(long transactions, double messages) {

    Batches minus(Batches earlier) {
      return new Batches(transactions - earlier.transactions, messages - earlier.messages);
    }
  }

  private Batches batches() {
    DistributionSummary summary =
        meters.find("paystream.consumer.batch.size").tag("consumer", "credit-leg").summary();
    assertThat(summary).as("the credit leg's batch-size summary").isNotNull();
    return new Batches(summary.count(), summary.totalAmount());
  }

  private static Mono<Outcome> send(
      WebClient web, User owner, UUID from, UUID to, Planned planned) {
    return web.post()
        .uri("/api/v1/transfers")
        .headers(h -> h.setBearerAuth(owner.token()))
        .header("Idempotency-Key", planned.key())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "fromAccountId",
                from.toString(),
                "toAccountId",
                to.toString(),
                "amount",
                planned.amount(),
                "currency",
                "EUR",
                "description",
                "hot"))
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(String.class)
                    .map(
                        body -> {
                          JsonNode json = JSON.readTree(body);
                          return new Outcome(
                              planned.key(),
                              response.statusCode().value(),
                              "true"
                                  .equals(
                                      response
                                          .headers()
                                          .asHttpHeaders()
                                          .getFirst("Idempotent-Replayed")),
                              json.has("id") ? json.get("id").asString() : null,
                              json.has("code") ? json.get("code").asString() : null);
                        }));
  }
}
