package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The log of a whole customer journey (register, login, a failed login, refresh, deposit, transfer,
 * a withdrawal to an IBAN) is one JSON object per line, each request's lines carry its request id
 * (and user id, trace id where known), and no password, token, signing secret or full IBAN appears
 * anywhere in it.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogIntegrationTest extends ApiIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String JWT_SECRET = "integration-test-secret-0123456789abcdef";
  private static final String IBAN = "GB33BUKB20201555555555";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Autowired LoggingSystem logging;

  /** Request id sent by this test, to the user id the request ran as (empty: anonymous). */
  private final Map<String, String> requests = new LinkedHashMap<>();

  @BeforeEach
  void logEveryRequest() {
    logging.setLogLevel(AccessLog.LOGGER, LogLevel.DEBUG);
  }

  @AfterEach
  void quietAgain() {
    logging.setLogLevel(AccessLog.LOGGER, null);
  }

  @Test
  void aFullJourneyLogsJsonLinesWithRequestIdsAndNoSecrets(CapturedOutput output) {
    String email = "logs-" + UUID.randomUUID() + "@example.com";
    String password = "secret-pw-" + UUID.randomUUID();
    UUID userId =
        UUID.fromString(
            call(
                    "",
                    "POST",
                    "/api/v1/auth/register",
                    null,
                    Map.of("email", email, "password", password, "name", "Log Test"),
                    HttpStatus.CREATED)
                .get("userId")
                .asString());
    String wrongPassword = "wrong-pw-" + UUID.randomUUID();
    call(
        "",
        "POST",
        "/api/v1/auth/login",
        null,
        Map.of("email", email, "password", wrongPassword),
        HttpStatus.UNAUTHORIZED);
    JsonNode tokens =
        call(
            "",
            "POST",
            "/api/v1/auth/login",
            null,
            Map.of("email", email, "password", password),
            HttpStatus.OK);
    JsonNode refreshed =
        call(
            "",
            "POST",
            "/api/v1/auth/refresh",
            null,
            Map.of("refreshToken", tokens.get("refreshToken").asString()),
            HttpStatus.OK);
    String token = refreshed.get("accessToken").asString();
    User customer = new User(userId, email, token);
    String user = userId.toString();

    UUID from = client.openAccount(customer, "EUR");
    call(
        user,
        "POST",
        "/api/v1/deposits",
        token,
        Map.of("accountId", from.toString(), "amount", 50_00, "currency", "EUR"),
        HttpStatus.CREATED);
    User payee = client.newCustomer();
    UUID to = client.openAccount(payee, "EUR");
    call(
        user,
        "POST",
        "/api/v1/transfers",
        token,
        Map.of(
            "fromAccountId",
            from.toString(),
            "toAccountId",
            to.toString(),
            "amount",
            10_00,
            "currency",
            "EUR"),
        HttpStatus.ACCEPTED);
    String withdrawal =
        call(
                user,
                "POST",
                "/api/v1/withdrawals",
                token,
                Map.of(
                    "accountId",
                    from.toString(),
                    "amount",
                    5_00,
                    "currency",
                    "EUR",
                    "destination",
                    IBAN),
                HttpStatus.ACCEPTED)
            .get("id")
            .asString();
    Eventually.await(
        Duration.ofSeconds(30),
        "the withdrawal to finish",
        () ->
            !"PENDING"
                .equals(
                    client
                        .get(customer, "/api/v1/withdrawals/" + withdrawal)
                        .get("status")
                        .asString()));
    // With a client's traceparent, its trace id joins the request's lines.
    EntityExchangeResult<byte[]> traced =
        send(
            user,
            "GET",
            "/api/v1/me",
            token,
            null,
            headers -> headers.set("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));
    assertThat(traced.getStatus()).isEqualTo(HttpStatus.OK);

    Eventually.await(
        Duration.ofSeconds(10),
        "an access line for every request",
        () -> requests.keySet().stream().allMatch(id -> output.getOut().contains(id)));
    String log = output.getAll();

    assertThat(log)
        .doesNotContain(password)
        .doesNotContain(wrongPassword)
        .doesNotContain(tokens.get("accessToken").asString())
        .doesNotContain(tokens.get("refreshToken").asString())
        .doesNotContain(refreshed.get("refreshToken").asString())
        .doesNotContain(token)
        .doesNotContain(JWT_SECRET)
        .doesNotContain(IBAN)
        .doesNotContain(IBAN.substring(4));

    List<JsonNode> lines = new ArrayList<>();
    for (String line : log.split("\\R")) {
      if (!line.isBlank()) {
        lines.add(parse(line));
      }
    }
    requests.forEach(
        (requestId, runAs) -> {
          List<JsonNode> access =
              lines.stream().filter(line -> requestId.equals(text(line, "requestId"))).toList();
          assertThat(access).as("lines of request %s", requestId).isNotEmpty();
          assertThat(access)
              .as("lines of request %s", requestId)
              .allSatisfy(
                  line ->
                      assertThat(text(line, "userId")).isEqualTo(runAs.isEmpty() ? null : runAs));
        });
    assertThat(lines)
        .as("the traced request's line")
        .anySatisfy(line -> assertThat(text(line, "traceId")).isEqualTo(TRACE_ID));
  }

  private JsonNode call(
      String runAs,
      String method,
      String path,
      String token,
      Map<String, Object> body,
      HttpStatus expected) {
    EntityExchangeResult<byte[]> result = send(runAs, method, path, token, body, headers -> {});
    assertThat(result.getStatus()).as(method + " " + path).isEqualTo(expected);
    return PaystreamClient.json(result);
  }

  private EntityExchangeResult<byte[]> send(
      String runAs,
      String method,
      String path,
      String token,
      Map<String, Object> body,
      Consumer<HttpHeaders> more) {
    String requestId = "log-test-" + UUID.randomUUID();
    requests.put(requestId, runAs);
    RequestHeadersSpec<?> request =
        body == null
            ? http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
            : http.method(org.springframework.http.HttpMethod.valueOf(method))
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    return request
        .headers(
            headers -> {
              headers.set("X-Request-Id", requestId);
              headers.set("Idempotency-Key", UUID.randomUUID().toString());
              if (token != null) {
                headers.setBearerAuth(token);
              }
              more.accept(headers);
            })
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      return node;
    } catch (RuntimeException e) {
      throw new AssertionError("a log line that is not JSON: " + line, e);
    }
  }

  private static String text(JsonNode line, String field) {
    JsonNode value = line.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
