package io.paystream.api.account;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/** CONTRACT.md, Accounts: opening, reading, and the status changes with who may make them. */
class AccountIntegrationTest extends ApiIntegrationTest {

  @Test
  void openingAnAccountAnswersCreatedWithItsLocationAndAZeroBalance() {
    User owner = client.newCustomer();
    Instant before = Instant.now().minusSeconds(5);

    EntityExchangeResult<byte[]> result = open(owner, "EUR");

    assertThat(result.getStatus()).isEqualTo(HttpStatus.CREATED);
    JsonNode account = json(result);
    assertThat(account.propertyNames())
        .containsExactlyInAnyOrder(
            "id", "ownerId", "currency", "balance", "availableBalance", "status", "createdAt");
    assertThat(account.get("availableBalance").asLong()).isZero();
    UUID id = UUID.fromString(account.get("id").asString());
    assertThat(id.version()).isEqualTo(7);
    assertThat(result.getResponseHeaders().getLocation()).hasToString("/api/v1/accounts/" + id);
    assertThat(account.get("ownerId").asString()).isEqualTo(owner.id().toString());
    assertThat(account.get("currency").asString()).isEqualTo("EUR");
    assertThat(account.get("balance").isIntegralNumber()).isTrue();
    assertThat(account.get("balance").asLong()).isZero();
    assertThat(account.get("status").asString()).isEqualTo("ACTIVE");
    assertThat(Instant.parse(account.get("createdAt").asString())).isAfter(before);
    assertThat(account.get("createdAt").asString()).endsWith("Z");
    assertThat(client.account(owner, id)).isEqualTo(account);
  }

  @Test
  void accountsOpenInCurrenciesWithZeroTwoAndThreeMinorDigits() {
    User owner = client.newCustomer();

    for (String currency : List.of("EUR", "JPY", "KWD")) {
      EntityExchangeResult<byte[]> result = open(owner, currency);
      assertThat(result.getStatus()).as(currency).isEqualTo(HttpStatus.CREATED);
      JsonNode account = json(result);
      assertThat(account.get("currency").asString()).isEqualTo(currency);
      UUID id = UUID.fromString(account.get("id").asString());
      client.deposit(owner, id, 1_234, currency);
      assertThat(client.balance(owner, id)).as(currency).isEqualTo(1_234);
    }
  }

  @Test
  void anInvalidCurrencyIsRefusedNamingTheCurrencyField() {
    User owner = client.newCustomer();

    for (String currency : List.of("eur", "EURO", "ABC", "XAU", "")) {
      EntityExchangeResult<byte[]> result = open(owner, currency);
      JsonNode problem = assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed");
      assertThat(problem.get("errors").get(0).get("field").asString())
          .as(currency)
          .isEqualTo("currency");
    }
  }

  @Test
  void theListShowsOnlyTheCallersOwnAccounts() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID aliceEur = client.openAccount(alice, "EUR");
    UUID aliceJpy = client.openAccount(alice, "JPY");
    UUID bobEur = client.openAccount(bob, "EUR");

    JsonNode aliceList = client.get(alice, "/api/v1/accounts");
    JsonNode bobList = client.get(bob, "/api/v1/accounts");

    assertThat(ids(aliceList)).containsExactlyInAnyOrder(aliceEur.toString(), aliceJpy.toString());
    assertThat(ids(bobList)).containsExactly(bobEur.toString());
    aliceList
        .get("items")
        .forEach(
            account ->
                assertThat(account.get("ownerId").asString()).isEqualTo(alice.id().toString()));
  }

  @Test
  void aNewCustomerHasAnEmptyList() {
    assertThat(client.get(client.newCustomer(), "/api/v1/accounts").get("items").isEmpty())
        .isTrue();
  }

  @Test
  void anotherCustomersAccountIsNotFoundRatherThanForbidden() {
    User owner = client.newCustomer();
    User stranger = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");

    JsonNode hidden =
        assertProblem(
            get(stranger, "/api/v1/accounts/" + account),
            HttpStatus.NOT_FOUND,
            "account_not_found");
    JsonNode missing =
        assertProblem(
            get(stranger, "/api/v1/accounts/" + UUID.randomUUID()),
            HttpStatus.NOT_FOUND,
            "account_not_found");

    assertThat(hidden.get("detail")).isEqualTo(missing.get("detail"));
    assertThat(hidden.get("title")).isEqualTo(missing.get("title"));
  }

  @Test
  void opsCanReadAnyAccount() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, 500, "EUR");

    JsonNode seen = client.account(client.ops(), account);

    assertThat(seen.get("id").asString()).isEqualTo(account.toString());
    assertThat(seen.get("ownerId").asString()).isEqualTo(owner.id().toString());
    assertThat(seen.get("balance").asLong()).isEqualTo(500);
  }

  @Test
  void opsFreezesAndUnfreezesAnAccount() {
    User owner = client.newCustomer();
    User ops = client.ops();
    UUID account = client.openAccount(owner, "EUR");

    JsonNode frozen = statusChange(ops, account, "freeze", HttpStatus.OK);
    assertThat(frozen.get("status").asString()).isEqualTo("FROZEN");
    assertThat(frozen.get("id").asString()).isEqualTo(account.toString());
    assertThat(client.account(owner, account).get("status").asString()).isEqualTo("FROZEN");

    JsonNode active = statusChange(ops, account, "unfreeze", HttpStatus.OK);
    assertThat(active.get("status").asString()).isEqualTo("ACTIVE");
    assertThat(client.account(owner, account).get("status").asString()).isEqualTo("ACTIVE");
  }

  @Test
  void theOwnerCannotFreezeOrUnfreezeTheirOwnAccount() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");

    for (String action : List.of("freeze", "unfreeze")) {
      JsonNode problem = statusChange(owner, account, action, HttpStatus.FORBIDDEN);
      assertThat(problem.get("code").asString()).isEqualTo("forbidden");
    }
    assertThat(client.account(owner, account).get("status").asString()).isEqualTo("ACTIVE");
  }

  @Test
  void closingAnAccountThatHoldsMoneyIsRefused() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, 1, "EUR");

    JsonNode problem = statusChange(owner, account, "close", HttpStatus.UNPROCESSABLE_CONTENT);

    assertThat(problem.get("code").asString()).isEqualTo("balance_not_zero");
    assertThat(client.account(owner, account).get("status").asString()).isEqualTo("ACTIVE");
  }

  @Test
  void closingAnEmptyAccountAnswersItClosed() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");

    JsonNode closed = statusChange(owner, account, "close", HttpStatus.OK);

    assertThat(closed.get("status").asString()).isEqualTo("CLOSED");
    assertThat(closed.get("balance").asLong()).isZero();
    assertThat(client.account(owner, account).get("status").asString()).isEqualTo("CLOSED");
  }

  @Test
  void anAccountEmptiedByATransferCanBeClosed() {
    User owner = client.newCustomer();
    User payee = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    UUID payeeAccount = client.openAccount(payee, "EUR");
    client.deposit(owner, account, 700, "EUR");
    client.acceptedTransfer(owner, account, payeeAccount, 700, "EUR");

    JsonNode closed = statusChange(owner, account, "close", HttpStatus.OK);

    assertThat(closed.get("status").asString()).isEqualTo("CLOSED");
  }

  @Test
  void onlyAnOperatorClosesAFrozenAccount() {
    User owner = client.newCustomer();
    User ops = client.ops();
    UUID account = client.openAccount(owner, "EUR");
    statusChange(ops, account, "freeze", HttpStatus.OK);

    JsonNode problem = statusChange(owner, account, "close", HttpStatus.UNPROCESSABLE_CONTENT);

    assertThat(problem.get("code").asString()).isEqualTo("account_not_active");
    assertThat(problem.get("detail").asString()).contains("only an operator");
    assertThat(client.account(owner, account).get("status").asString()).isEqualTo("FROZEN");
    JsonNode closed = statusChange(ops, account, "close", HttpStatus.OK);
    assertThat(closed.get("status").asString()).isEqualTo("CLOSED");
  }

  @Test
  void aStrangerClosingSomeoneElsesAccountIsToldItDoesNotExist() {
    User owner = client.newCustomer();
    User stranger = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");

    JsonNode problem = statusChange(stranger, account, "close", HttpStatus.NOT_FOUND);

    assertThat(problem.get("code").asString()).isEqualTo("account_not_found");
    assertThat(client.account(owner, account).get("status").asString()).isEqualTo("ACTIVE");
  }

  @Test
  void opsFreezingAnUnknownAccountIsNotFound() {
    JsonNode problem =
        statusChange(client.ops(), UUID.randomUUID(), "freeze", HttpStatus.NOT_FOUND);

    assertThat(problem.get("code").asString()).isEqualTo("account_not_found");
  }

  @Test
  void aDepositIntoAFrozenAccountIsRefusedAsNotActiveAndMovesNothing() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, 100, "EUR");
    statusChange(client.ops(), account, "freeze", HttpStatus.OK);

    assertProblem(
        deposit(owner, account, 250), HttpStatus.UNPROCESSABLE_CONTENT, "account_not_active");
    assertThat(client.balance(owner, account)).isEqualTo(100);
  }

  @Test
  void aClosedAccountStaysClosedAndTakesNoDeposit() {
    User owner = client.newCustomer();
    User ops = client.ops();
    UUID account = client.openAccount(owner, "EUR");
    statusChange(owner, account, "close", HttpStatus.OK);

    for (String action : List.of("unfreeze", "freeze")) {
      JsonNode problem = statusChange(ops, account, action, HttpStatus.UNPROCESSABLE_CONTENT);
      assertThat(problem.get("code").asString()).as(action).isEqualTo("account_not_active");
    }
    assertProblem(
        deposit(owner, account, 100), HttpStatus.UNPROCESSABLE_CONTENT, "account_not_active");
    JsonNode after = client.account(owner, account);
    assertThat(after.get("status").asString()).isEqualTo("CLOSED");
    assertThat(after.get("balance").asLong()).isZero();
  }

  @Test
  void accountsNeedAToken() {
    http.get()
        .uri("/api/v1/accounts")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).startsWith("Bearer"));
    http.post()
        .uri("/api/v1/accounts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("currency", "EUR"))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void aMalformedAccountIdIsABadRequestNotAServerError() {
    User owner = client.newCustomer();

    EntityExchangeResult<byte[]> result = get(owner, "/api/v1/accounts/not-a-uuid");

    JsonNode problem = assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed");
    assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("id");
  }

  private EntityExchangeResult<byte[]> open(User user, String currency) {
    return http.post()
        .uri("/api/v1/accounts")
        .headers(h -> h.setBearerAuth(user.token()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("currency", currency))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> deposit(User user, UUID account, long amount) {
    return http.post()
        .uri("/api/v1/deposits")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "accountId",
                account.toString(),
                "amount",
                amount,
                "currency",
                "EUR",
                "reference",
                "account status test"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> get(User user, String path) {
    return http.get()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private EntityExchangeResult<byte[]> post(User user, String path) {
    return http.post()
        .uri(path)
        .headers(h -> h.setBearerAuth(user.token()))
        .exchange()
        .expectBody()
        .returnResult();
  }

  private JsonNode statusChange(User user, UUID account, String action, HttpStatus expected) {
    EntityExchangeResult<byte[]> result = post(user, "/api/v1/accounts/" + account + "/" + action);
    assertThat(result.getStatus()).as(action).isEqualTo(expected);
    return json(result);
  }

  private static JsonNode assertProblem(
      EntityExchangeResult<byte[]> result, HttpStatus status, String code) {
    assertThat(result.getStatus()).isEqualTo(status);
    assertThat(result.getResponseHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    JsonNode problem = json(result);
    assertThat(problem.get("code").asString()).isEqualTo(code);
    return problem;
  }

  private static List<String> ids(JsonNode page) {
    return page.get("items").values().stream().map(a -> a.get("id").asString()).toList();
  }
}
