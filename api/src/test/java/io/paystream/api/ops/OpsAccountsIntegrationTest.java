package io.paystream.api.ops;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * docs/CONTRACT.md, Operations: accounts looked up with their (masked) owner, and the optional
 * reason of freeze, unfreeze and close, which lands in the audit trail.
 */
class OpsAccountsIntegrationTest extends ApiIntegrationTest {

  private OpsRequests requests;

  @BeforeEach
  void requests() {
    requests = new OpsRequests(http, port);
  }

  @Test
  void accountsOfACustomerAreFoundByTheirEmailInAnyCaseWithTheOwnerMasked() {
    User ops = client.ops();
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID first = client.openAccount(alice, "EUR");
    UUID second = client.openAccount(alice, "USD");
    client.openAccount(bob, "EUR");

    for (String email : List.of(alice.email(), alice.email().toUpperCase())) {
      EntityExchangeResult<byte[]> raw =
          requests.get(ops.token(), "/api/v1/ops/accounts?email=" + email);
      assertThat(raw.getStatus()).isEqualTo(HttpStatus.OK);
      JsonNode page = json(raw);
      assertThat(accountIds(page)).containsExactly(second.toString(), first.toString());
      assertThat(page.get("nextCursor").isNull()).isTrue();
      for (JsonNode item : page.get("items")) {
        JsonNode owner = item.get("owner");
        assertThat(owner.get("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(owner.get("email").asString()).isEqualTo("u***@example.com");
        assertThat(owner.get("name").asString()).isEqualTo("Test User");
        assertThat(item.get("account").get("ownerId").asString()).isEqualTo(alice.id().toString());
        assertThat(item.get("account").get("balance").asLong()).isZero();
      }
      assertThat(new String(raw.getResponseBodyContent(), StandardCharsets.UTF_8))
          .doesNotContain(alice.email())
          .doesNotContain(alice.email().substring(1, alice.email().indexOf('@')));
    }
    assertThat(
            client
                .get(ops, "/api/v1/ops/accounts?email=nobody-" + UUID.randomUUID() + "@example.com")
                .get("items")
                .isEmpty())
        .isTrue();
  }

  @Test
  void theAccountListingPagesNewestFirstWithAndWithoutAnEmail() {
    User ops = client.ops();
    User alice = client.newCustomer();
    List<String> opened = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      opened.add(0, client.openAccount(alice, "EUR").toString());
    }

    List<JsonNode> all =
        OpsRequests.allPages(
            path -> client.get(ops, path),
            "/api/v1/ops/accounts?limit=1&email=" + alice.email(),
            3);
    assertThat(all).extracting(item -> item.get("account").get("id").asString()).isEqualTo(opened);

    JsonNode newest = client.get(ops, "/api/v1/ops/accounts?limit=3");
    List<String> ids = accountIds(newest);
    assertThat(ids).hasSize(3);
    assertThat(ids).isSortedAccordingTo((a, b) -> UUID.fromString(b).compareTo(UUID.fromString(a)));
    String next = newest.get("nextCursor").asString();
    List<String> after = accountIds(client.get(ops, "/api/v1/ops/accounts?limit=3&cursor=" + next));
    assertThat(after).isNotEmpty().doesNotContainAnyElementsOf(ids);
    assertThat(UUID.fromString(after.get(0))).isLessThan(UUID.fromString(ids.get(2)));
  }

  @Test
  void oneAccountIsShownWithItsOwnerAndAnUnknownOneIs404() {
    User ops = client.ops();
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 1_234, "EUR");

    JsonNode found = client.get(ops, "/api/v1/ops/accounts/" + account);
    assertThat(found.get("account").get("id").asString()).isEqualTo(account.toString());
    assertThat(found.get("account").get("balance").asLong()).isEqualTo(1_234);
    assertThat(found.get("account").get("status").asString()).isEqualTo("ACTIVE");
    assertThat(found.get("owner").get("userId").asString()).isEqualTo(alice.id().toString());
    assertThat(found.get("owner").get("email").asString()).isEqualTo("u***@example.com");

    EntityExchangeResult<byte[]> unknown =
        requests.get(ops.token(), "/api/v1/ops/accounts/" + UUID.randomUUID());
    assertThat(unknown.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(json(unknown).get("code").asString()).isEqualTo("account_not_found");
  }

  @Test
  void opsReadsTheEntriesOfAnyCustomersAccount() {
    User ops = client.ops();
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");
    client.deposit(alice, account, 777, "EUR");

    JsonNode entries = client.get(ops, "/api/v1/accounts/" + account + "/transactions");
    assertThat(entries.get("items").size()).isEqualTo(1);
    assertThat(entries.get("items").get(0).get("amount").asLong()).isEqualTo(777);
    assertThat(entries.get("items").get(0).get("direction").asString()).isEqualTo("CREDIT");
    assertThat(client.get(ops, "/api/v1/accounts/" + account + "/transactions/recent").get("items"))
        .hasSize(1);
  }

  @Test
  void theAccountLookupRefusesABadEmailLimitCursorAndId() {
    User ops = client.ops();
    requests.assertBadRequest(ops, "/api/v1/ops/accounts?email=not-an-email", "email");
    requests.assertBadRequest(ops, "/api/v1/ops/accounts?email=", "email");
    requests.assertBadRequest(ops, "/api/v1/ops/accounts?email=a%01b@example.com", "email");
    requests.assertBadRequest(ops, "/api/v1/ops/accounts?limit=0", "limit");
    requests.assertBadRequest(ops, "/api/v1/ops/accounts?limit=101", "limit");
    requests.assertBadRequest(ops, "/api/v1/ops/accounts?cursor=not-a-cursor", "cursor");
    String transfersCursor = transfersCursor(ops);
    requests.assertBadRequest(ops, "/api/v1/ops/accounts?cursor=" + transfersCursor, "cursor");
    requests.assertBadRequest(ops, "/api/v1/ops/accounts/not-an-id", "id");
  }

  @Test
  void aCustomerIsForbiddenAndAnonymousIsUnauthorizedOnTheAccountLookup() {
    User customer = client.newCustomer();
    UUID account = client.openAccount(customer, "EUR");
    for (String path :
        List.of(
            "/api/v1/ops/accounts",
            "/api/v1/ops/accounts?email=" + customer.email(),
            "/api/v1/ops/accounts/" + account)) {
      requests.assertForbiddenFor(customer, path);
      requests.assertNeedsAToken(path);
    }
  }

  @Test
  void aReasonGivenToFreezeUnfreezeAndCloseIsRecordedInTheAuditEvent() {
    User ops = client.ops();
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");

    assertThat(
            statusChange(ops, account, "freeze", Map.of("reason", "ticket 4711: fraud report"))
                .getStatus())
        .isEqualTo(HttpStatus.OK);
    assertThat(client.account(alice, account).get("status").asString()).isEqualTo("FROZEN");
    assertThat(
            statusChange(
                    ops, account, "unfreeze", Map.of("reason", "cleared by the customer — über"))
                .getStatus())
        .isEqualTo(HttpStatus.OK);
    assertThat(statusChange(alice, account, "close", Map.of("reason", "moving banks")).getStatus())
        .isEqualTo(HttpStatus.OK);

    assertThat(auditEvent(ops, "account.frozen", account).get("metadata").get("reason").asString())
        .isEqualTo("ticket 4711: fraud report");
    assertThat(
            auditEvent(ops, "account.unfrozen", account).get("metadata").get("reason").asString())
        .isEqualTo("cleared by the customer — über");
    JsonNode closed = auditEvent(ops, "account.closed", account).get("metadata");
    assertThat(closed.get("reason").asString()).isEqualTo("moving banks");
    assertThat(closed.get("to").asString()).isEqualTo("CLOSED");
  }

  @Test
  void withoutABodyOrWithoutAReasonTheStatusChangesAsTheContractSaysAndNoReasonIsRecorded() {
    User ops = client.ops();
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");

    JsonNode frozen =
        json(
            http.post()
                .uri("/api/v1/accounts/" + account + "/freeze")
                .headers(h -> h.setBearerAuth(ops.token()))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());
    assertThat(frozen.get("status").asString()).isEqualTo("FROZEN");
    assertThat(statusChange(ops, account, "unfreeze", Map.of()).getStatus())
        .isEqualTo(HttpStatus.OK);
    assertThat(client.account(alice, account).get("status").asString()).isEqualTo("ACTIVE");

    assertThat(auditEvent(ops, "account.frozen", account).get("metadata").has("reason")).isFalse();
    assertThat(auditEvent(ops, "account.unfrozen", account).get("metadata").has("reason"))
        .isFalse();
  }

  @Test
  void aReasonThatIsEmptyTooLongOrNotPlainTextIsRefusedAndTheAccountStaysAsItWas() {
    User ops = client.ops();
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");

    for (String reason :
        List.of("", "   ", "x".repeat(501), "line\nbreak", "nul\u0000", "bell\u0007")) {
      EntityExchangeResult<byte[]> refused =
          statusChange(ops, account, "freeze", Map.of("reason", reason));
      assertThat(refused.getStatus()).as(reason).isEqualTo(HttpStatus.BAD_REQUEST);
      JsonNode problem = json(refused);
      assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
      assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("reason");
    }
    EntityExchangeResult<byte[]> closeRefused =
        statusChange(alice, account, "close", Map.of("reason", "x".repeat(501)));
    assertThat(closeRefused.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(client.account(alice, account).get("status").asString()).isEqualTo("ACTIVE");

    String longest = "y".repeat(500);
    assertThat(statusChange(ops, account, "freeze", Map.of("reason", longest)).getStatus())
        .isEqualTo(HttpStatus.OK);
    assertThat(auditEvent(ops, "account.frozen", account).get("metadata").get("reason").asString())
        .isEqualTo(longest);
  }

  private EntityExchangeResult<byte[]> statusChange(
      User user, UUID account, String action, Map<String, ?> body) {
    return http.post()
        .uri("/api/v1/accounts/" + account + "/" + action)
        .headers(h -> h.setBearerAuth(user.token()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** The newest audit event of {@code type} about {@code account}; fails when there is none. */
  private JsonNode auditEvent(User ops, String type, UUID account) {
    for (JsonNode event :
        client.get(ops, "/api/v1/ops/audit?limit=100&type=" + type).get("items")) {
      if (account.toString().equals(event.get("metadata").get("accountId").asString())) {
        return event;
      }
    }
    throw new AssertionError("no " + type + " event for account " + account);
  }

  private String transfersCursor(User ops) {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 200, "EUR");
    client.acceptedTransfer(alice, from, to, 100, "EUR");
    client.acceptedTransfer(alice, from, to, 100, "EUR");
    return client
        .get(ops, "/api/v1/ops/transfers?limit=1&accountId=" + from)
        .get("nextCursor")
        .asString();
  }

  private static List<String> accountIds(JsonNode page) {
    return page.get("items").values().stream()
        .map(item -> item.get("account").get("id").asString())
        .toList();
  }
}
