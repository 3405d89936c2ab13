package io.paystream.api.fuzz;

import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Real resources for the fuzz test's valid requests, so that a mutated request gets past
 * authentication and lookups to the code that reads what was mutated: a funded customer with two
 * EUR accounts, a transfer, a withdrawal, a webhook, this month's statement link, and a third
 * account that operators freeze and unfreeze.
 */
record FuzzFixtures(
    User customer,
    User ops,
    UUID payer,
    UUID payee,
    UUID operated,
    UUID transfer,
    UUID withdrawal,
    UUID webhook,
    Map<String, String> statementLink,
    YearMonth month,
    String refreshToken) {

  static final String IBAN = "DE89370400440532013000";

  static FuzzFixtures create(PaystreamClient client, WebTestClient http) {
    User customer = client.newCustomer();
    User ops = client.ops();
    UUID payer = client.openAccount(customer, "EUR");
    UUID payee = client.openAccount(customer, "EUR");
    UUID operated = client.openAccount(customer, "EUR");
    client.deposit(customer, payer, 10_000_000, "EUR");
    UUID transfer = client.acceptedTransfer(customer, payer, payee, 100, "EUR");
    UUID withdrawal =
        UUID.fromString(
            PaystreamClient.json(
                    http.post()
                        .uri("/api/v1/withdrawals")
                        .headers(h -> h.setBearerAuth(customer.token()))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                            Map.of(
                                "accountId",
                                payer.toString(),
                                "amount",
                                100,
                                "currency",
                                "EUR",
                                "destination",
                                IBAN))
                        .exchange()
                        .expectStatus()
                        .isAccepted()
                        .expectBody()
                        .returnResult())
                .get("id")
                .asString());
    UUID webhook =
        UUID.fromString(
            PaystreamClient.json(
                    http.post()
                        .uri("/api/v1/webhooks")
                        .headers(h -> h.setBearerAuth(customer.token()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                            Map.of(
                                "url", "http://127.0.0.1:9/fuzz", "events", List.of("deposit.*")))
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody()
                        .returnResult())
                .get("id")
                .asString());
    // The current month: an account has no statement for a month before it was opened.
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    JsonNode link =
        client.get(customer, "/api/v1/accounts/" + payer + "/statements/" + month + "?format=csv");
    // A login of its own: fuzzed refreshes and logouts spend and revoke it, never the login of
    // the customer's access token.
    String refreshToken =
        PaystreamClient.json(
                http.post()
                    .uri("/api/v1/auth/login")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(
                        Map.of("email", customer.email(), "password", PaystreamClient.PASSWORD))
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult())
            .get("refreshToken")
            .asString();
    return new FuzzFixtures(
        customer,
        ops,
        payer,
        payee,
        operated,
        transfer,
        withdrawal,
        webhook,
        query(link.get("downloadUrl").asString()),
        month,
        refreshToken);
  }

  /** The valid value of a path parameter of {@code path}. */
  String pathValue(String path, String name) {
    if (name.equals("month")) {
      return month.toString();
    }
    if (path.startsWith("/api/v1/accounts/{id}/freeze")
        || path.startsWith("/api/v1/accounts/{id}/unfreeze")) {
      return operated.toString();
    }
    if (path.startsWith("/api/v1/accounts/")) {
      return payer.toString();
    }
    if (path.startsWith("/api/v1/transfers/")) {
      return transfer.toString();
    }
    if (path.startsWith("/api/v1/withdrawals/")) {
      return withdrawal.toString();
    }
    if (path.startsWith("/api/v1/webhooks/")) {
      return webhook.toString();
    }
    return UUID.randomUUID().toString();
  }

  /** The valid value of a query parameter, or null to leave it out. */
  String queryValue(String path, String name) {
    if (path.equals("/api/v1/statements/download")) {
      return statementLink.get(name);
    }
    return switch (name) {
      case "status" ->
          path.endsWith("/webhook-deliveries")
              ? "DELIVERED"
              : path.endsWith("/holds") ? "HELD" : "COMPLETED";
      case "accountId" -> payer.toString();
      case "userId" -> customer.id().toString();
      case "limit" -> "5";
      case "type" -> "auth.login.succeeded";
      case "month" -> YearMonth.now(ZoneOffset.UTC).toString();
      case "format" -> "csv";
      default -> null;
    };
  }

  /** The valid JSON value of a body member of a request to {@code path}. */
  String bodyValue(String path, String member) {
    if (path.equals("/api/v1/auth/login") && member.equals("email")) {
      return quoted(customer.email());
    }
    return switch (member) {
      case "accountId", "fromAccountId" -> quoted(payer.toString());
      case "toAccountId" -> quoted(payee.toString());
      case "amount" -> "1";
      case "currency" -> quoted("EUR");
      case "description", "reference" -> quoted("fuzz");
      case "destination" -> quoted(IBAN);
      case "url" -> quoted("http://127.0.0.1:9/fuzz");
      case "events" -> "[\"transfer.*\"]";
      case "metadata" -> "{\"fuzz\": \"x\"}";
      case "expiresAt" -> quoted(Instant.now().plus(Duration.ofDays(1)).toString());
      case "transfers" -> "[{\"toAccountId\": " + quoted(payee.toString()) + ", \"amount\": 1}]";
      case "email" -> quoted("fuzz-" + UUID.randomUUID() + "@example.com");
      case "password" -> quoted(PaystreamClient.PASSWORD);
      case "name" -> quoted("Fuzz");
      case "refreshToken" -> quoted(refreshToken);
      default -> quoted("x");
    };
  }

  /** Whose token a request to {@code path} carries by default; null for the public ones. */
  User caller(String path) {
    if (path.startsWith("/api/v1/auth/") && !path.equals("/api/v1/auth/logout")
        || path.equals("/api/v1/statements/download")) {
      return null;
    }
    if (path.startsWith("/api/v1/ops/") || path.endsWith("/freeze") || path.endsWith("/unfreeze")) {
      return ops;
    }
    return customer;
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }

  private static Map<String, String> query(String url) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int equals = pair.indexOf('=');
      query.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return query;
  }
}
