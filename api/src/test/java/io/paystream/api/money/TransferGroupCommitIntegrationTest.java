package io.paystream.api.money;

import static io.paystream.api.testing.MoneyAssertions.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Group commit seen from outside: many concurrent transfers from one account share accept
 * transactions, yet each is answered for itself — accepted while the money lasts, refused with
 * {@code insufficient_funds} after — and each accepted one completes.
 */
class TransferGroupCommitIntegrationTest extends ApiIntegrationTest {

  /** Enough requests at once that several wait while the accept transactions are busy. */
  static final int TRANSFERS = 60;

  static final long AMOUNT = 500;

  /** Funds exactly half of them. */
  static final long FUNDING = TRANSFERS / 2 * AMOUNT;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired MeterRegistry meters;

  @Test
  void concurrentTransfersFromOneAccountAreBatchedAndRefusedOneByOneOnceItsMoneyRunsOut() {
    User payer = client.newCustomer();
    UUID from = client.openAccount(payer, "EUR");
    client.deposit(payer, from, FUNDING, "EUR");
    List<User> payees = new ArrayList<>();
    List<UUID> to = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      payees.add(client.newCustomer());
      to.add(client.openAccount(payees.get(i), "EUR"));
    }
    DistributionSummary batches = meters.get("paystream.transfer.accept.batch.size").summary();
    long batchesBefore = batches.count();
    double acceptsBefore = batches.totalAmount();
    WebClient web = WebClient.builder().baseUrl("http://localhost:" + port).build();

    List<JsonNode> answers =
        Flux.range(0, TRANSFERS)
            .flatMap(i -> send(web, payer, from, to.get(i % to.size())), TRANSFERS)
            .collectList()
            .block(Duration.ofMinutes(1));

    List<JsonNode> accepted =
        answers.stream()
            .filter(a -> a.has("status") && "PENDING".equals(a.get("status").asString()))
            .toList();
    assertThat(accepted).hasSize(TRANSFERS / 2);
    assertThat(answers)
        .filteredOn(a -> a.has("code"))
        .hasSize(TRANSFERS / 2)
        .allSatisfy(
            refused -> assertThat(refused.get("code").asString()).isEqualTo("insufficient_funds"));
    // Fewer transactions than transfers: some of them were accepted together.
    assertThat(batches.totalAmount() - acceptsBefore).isEqualTo(TRANSFERS);
    assertThat(batches.count() - batchesBefore).isLessThan(TRANSFERS);

    User ops = client.ops();
    for (JsonNode transfer : accepted) {
      assertThat(
              client
                  .awaitTerminal(
                      ops, UUID.fromString(transfer.get("id").asString()), Duration.ofSeconds(30))
                  .get("status")
                  .asString())
          .isEqualTo("COMPLETED");
    }
    assertThat(client.balance(payer, from)).isZero();
    long received = 0;
    for (int i = 0; i < to.size(); i++) {
      received += client.balance(payees.get(i), to.get(i));
    }
    assertThat(received).isEqualTo(FUNDING);
    assertLedgerBalanced(client, ops);
  }

  private static Mono<JsonNode> send(WebClient web, User payer, UUID from, UUID to) {
    return web.post()
        .uri("/api/v1/transfers")
        .headers(h -> h.setBearerAuth(payer.token()))
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "fromAccountId",
                from.toString(),
                "toAccountId",
                to.toString(),
                "amount",
                AMOUNT,
                "currency",
                "EUR",
                "description",
                "together"))
        .exchangeToMono(response -> response.bodyToMono(String.class).map(JSON::readTree));
  }
}
