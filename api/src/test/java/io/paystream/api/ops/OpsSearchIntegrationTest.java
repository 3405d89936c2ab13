package io.paystream.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * docs/CONTRACT.md, Operations: transfers and withdrawals searched by status, account, a customer's
 * e-mail, id and creation time. Each filter is checked against data that it must exclude, so a
 * filter that is ignored fails.
 */
class OpsSearchIntegrationTest extends ApiIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String DESTINATION = "DE89370400440532013000";

  private OpsRequests requests;
  private User ops;

  @BeforeEach
  void opsUser() {
    requests = new OpsRequests(http, port);
    ops = client.ops();
  }

  @Test
  void transfersAreFoundByEitherPartysEmailInAnyCase() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    User carol = client.newCustomer();
    UUID aliceAccount = client.openAccount(alice, "EUR");
    UUID bobAccount = client.openAccount(bob, "EUR");
    UUID carolAccount = client.openAccount(carol, "EUR");
    client.deposit(alice, aliceAccount, 1_000, "EUR");
    client.deposit(carol, carolAccount, 1_000, "EUR");
    UUID first = client.acceptedTransfer(alice, aliceAccount, bobAccount, 100, "EUR");
    UUID second = client.acceptedTransfer(alice, aliceAccount, bobAccount, 200, "EUR");
    UUID carolToAlice = client.acceptedTransfer(carol, carolAccount, aliceAccount, 300, "EUR");

    assertThat(transferIds("email=" + bob.email()))
        .containsExactly(second.toString(), first.toString());
    assertThat(transferIds("email=" + alice.email().toUpperCase()))
        .containsExactly(carolToAlice.toString(), second.toString(), first.toString());
    assertThat(transferIds("email=" + carol.email())).containsExactly(carolToAlice.toString());
    assertThat(transferIds("email=nobody-" + UUID.randomUUID() + "@example.com")).isEmpty();
    assertThat(transferIds("email=" + bob.email() + "&accountId=" + carolAccount)).isEmpty();
  }

  @Test
  void aTransferIsFoundByItsIdAndStatusNarrowsTheEmailSearch() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(bob, "EUR");
    client.deposit(alice, from, 1_000, "EUR");
    UUID one = client.acceptedTransfer(alice, from, to, 100, "EUR");
    UUID other = client.acceptedTransfer(alice, from, to, 100, "EUR");
    client.awaitTerminal(alice, one, TIMEOUT);
    client.awaitTerminal(alice, other, TIMEOUT);

    assertThat(transferIds("id=" + one)).containsExactly(one.toString());
    assertThat(transferIds("id=" + UUID.randomUUID())).isEmpty();
    assertThat(transferIds("id=" + one + "&status=PENDING")).isEmpty();
    assertThat(transferIds("status=COMPLETED&email=" + alice.email()))
        .containsExactly(other.toString(), one.toString());
    assertThat(transferIds("status=FAILED&email=" + alice.email())).isEmpty();
  }

  @Test
  void fromIsInclusiveAndToExclusiveOnCreatedAt() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 1_000, "EUR");
    List<UUID> transfers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      transfers.add(client.acceptedTransfer(alice, from, to, 100, "EUR"));
    }
    String secondCreated = client.getTransfer(alice, transfers.get(1)).get("createdAt").asString();
    String account = "accountId=" + from;

    assertThat(transferIds(account + "&from=" + secondCreated))
        .containsExactly(transfers.get(2).toString(), transfers.get(1).toString());
    assertThat(transferIds(account + "&to=" + secondCreated))
        .containsExactly(transfers.get(0).toString());
    String thirdCreated = client.getTransfer(alice, transfers.get(2)).get("createdAt").asString();
    assertThat(transferIds(account + "&from=" + secondCreated + "&to=" + thirdCreated))
        .containsExactly(transfers.get(1).toString());
    // An offset other than Z names the same instant.
    assertThat(
            OpsRequests.ids(
                PaystreamClient.json(
                    requests.get(
                        ops.token(),
                        "/api/v1/ops/transfers?" + account + "&from=2000-01-01T01:00:00%2B01:00"))))
        .hasSize(3);
    assertThat(transferIds(account + "&to=2000-01-01T00:00:00Z")).isEmpty();
  }

  @Test
  void theTransferSearchPagesThroughAnEmailsTransfers() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 1_000, "EUR");
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      accepted.add(0, client.acceptedTransfer(alice, from, to, 100, "EUR").toString());
    }

    List<JsonNode> all =
        OpsRequests.allPages(
            path -> client.get(ops, path),
            "/api/v1/ops/transfers?limit=2&email=" + alice.email(),
            3);

    assertThat(all).extracting(t -> t.get("id").asString()).isEqualTo(accepted);
  }

  @Test
  void theTransferSearchRefusesBadFilters() {
    String base = "/api/v1/ops/transfers?";
    requests.assertBadRequest(ops, base + "status=DONE", "status");
    requests.assertBadRequest(ops, base + "email=not-an-email", "email");
    requests.assertBadRequest(ops, base + "email=a%01@example.com", "email");
    requests.assertBadRequest(ops, base + "from=yesterday", "from");
    requests.assertBadRequest(ops, base + "from=2026-12-07", "from");
    requests.assertBadRequest(ops, base + "to=2026-12-07T08:00:00", "to");
    requests.assertBadRequest(ops, base + "to=2026-13-07T08:00:00Z", "to");
    requests.assertBadRequest(
        ops, base + "from=2026-12-07T08:00:00Z&to=2026-12-07T08:00:00Z", "to");
    requests.assertBadRequest(ops, base + "id=not-a-uuid", "id");
    requests.assertBadRequest(ops, base + "cursor=not-a-cursor", "cursor");
  }

  @Test
  void withdrawalsAreFoundByAccountEmailIdAndStatus() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID aliceAccount = client.openAccount(alice, "EUR");
    UUID aliceSecond = client.openAccount(alice, "EUR");
    UUID bobAccount = client.openAccount(bob, "EUR");
    client.deposit(alice, aliceAccount, 1_000, "EUR");
    client.deposit(alice, aliceSecond, 1_000, "EUR");
    client.deposit(bob, bobAccount, 1_000, "EUR");
    UUID first = withdraw(alice, aliceAccount);
    UUID second = withdraw(alice, aliceSecond);
    UUID bobs = withdraw(bob, bobAccount);

    assertThat(withdrawalIds("email=" + alice.email()))
        .containsExactly(second.toString(), first.toString());
    assertThat(withdrawalIds("accountId=" + aliceAccount)).containsExactly(first.toString());
    assertThat(withdrawalIds("id=" + bobs)).containsExactly(bobs.toString());
    assertThat(withdrawalIds("id=" + bobs + "&email=" + alice.email())).isEmpty();
    JsonNode item = client.get(ops, "/api/v1/ops/withdrawals?id=" + first).get("items").get(0);
    assertThat(item.propertyNames())
        .containsExactlyInAnyOrder(
            "id",
            "accountId",
            "amount",
            "currency",
            "destination",
            "metadata",
            "status",
            "failureReason",
            "externalReference",
            "createdAt",
            "updatedAt");
    assertThat(item.get("destination").asString()).isEqualTo("DE89**************3000");

    String status = terminalStatus(alice, first);
    String other = status.equals("COMPLETED") ? "FAILED" : "COMPLETED";
    String account = "&accountId=" + aliceAccount;
    assertThat(withdrawalIds("status=" + status + account)).containsExactly(first.toString());
    assertThat(withdrawalIds("status=" + other + account)).isEmpty();
    assertThat(withdrawalIds("status=PENDING" + account)).isEmpty();
    String created = item.get("createdAt").asString();
    assertThat(withdrawalIds("email=" + alice.email() + "&to=" + created)).isEmpty();
    assertThat(withdrawalIds("email=" + alice.email() + "&from=" + created))
        .containsExactly(second.toString(), first.toString());
  }

  @Test
  void theWithdrawalSearchRefusesBadFiltersAndIsForOpsOnly() {
    String base = "/api/v1/ops/withdrawals?";
    requests.assertBadRequest(ops, base + "status=DONE", "status");
    requests.assertBadRequest(ops, base + "status=processing", "status");
    requests.assertBadRequest(ops, base + "email=nope", "email");
    requests.assertBadRequest(ops, base + "from=now", "from");
    requests.assertBadRequest(ops, base + "to=1700000000", "to");
    requests.assertBadRequest(ops, base + "accountId=x", "accountId");
    requests.assertBadRequest(ops, base + "limit=101", "limit");
    requests.assertBadRequest(ops, base + "cursor=abc.def", "cursor");
    String transfersCursor =
        client.get(ops, "/api/v1/ops/transfers?limit=1").get("nextCursor").asString();
    requests.assertBadRequest(ops, base + "cursor=" + transfersCursor, "cursor");

    User customer = client.newCustomer();
    for (String path :
        List.of("/api/v1/ops/withdrawals", "/api/v1/ops/transfers?email=" + customer.email())) {
      requests.assertForbiddenFor(customer, path);
      requests.assertNeedsAToken(path);
    }
  }

  private List<String> transferIds(String query) {
    return OpsRequests.ids(client.get(ops, "/api/v1/ops/transfers?limit=100&" + query));
  }

  private List<String> withdrawalIds(String query) {
    return OpsRequests.ids(client.get(ops, "/api/v1/ops/withdrawals?limit=100&" + query));
  }

  private UUID withdraw(User user, UUID account) {
    JsonNode accepted =
        PaystreamClient.json(
            http.post()
                .uri("/api/v1/withdrawals")
                .headers(h -> h.setBearerAuth(user.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    Map.of(
                        "accountId",
                        account.toString(),
                        "amount",
                        100,
                        "currency",
                        "EUR",
                        "destination",
                        DESTINATION))
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody()
                .returnResult());
    return UUID.fromString(accepted.get("id").asString());
  }

  private String terminalStatus(User user, UUID withdrawal) {
    return Eventually.await(
            TIMEOUT,
            "withdrawal " + withdrawal + " to end",
            () -> client.get(user, "/api/v1/withdrawals/" + withdrawal).get("status").asString(),
            status -> Set.of("COMPLETED", "FAILED").contains(status))
        .toString();
  }
}
