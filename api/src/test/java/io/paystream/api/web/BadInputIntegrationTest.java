package io.paystream.api.web;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static io.paystream.api.testing.MoneyAssertions.assertWellFormedProblem;
import static io.paystream.api.testing.MoneyAssertions.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.MoneyAssertions;
import io.paystream.api.testing.MoneyAssertions.Snapshot;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * Hostile and sloppy input against the three POSTs that create things: each gets a 4xx (never a
 * 5xx) problem+json that leaks nothing, and nothing moves or is created.
 *
 * <p>Every case is a valid request template with exactly one thing broken, and {@link
 * #everyUnbrokenTemplateIsAccepted} proves the templates are valid, so each case is refused for its
 * own defect and not for an accidental one.
 */
class BadInputIntegrationTest extends ApiIntegrationTest {

  /** Above paystream.request-body-bytes-max (64 KiB). */
  private static final int OVERSIZED_BODY_BYTES = 100 * 1024;

  /** Far deeper than any document of the contract (three levels) or any parser default. */
  private static final int NESTING_DEPTH = 2_000;

  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

  private static final String FROM = "$FROM";
  private static final String TO = "$TO";

  /** The three endpoints and a valid body for each, as ordered JSON members. */
  enum Endpoint {
    TRANSFERS(
        "/api/v1/transfers",
        true,
        members(
            "fromAccountId",
            quote(FROM),
            "toAccountId",
            quote(TO),
            "amount",
            "100",
            "currency",
            "\"EUR\"",
            "description",
            "\"bad input test\"")),
    DEPOSITS(
        "/api/v1/deposits",
        true,
        members(
            "accountId",
            quote(FROM),
            "amount",
            "100",
            "currency",
            "\"EUR\"",
            "reference",
            "\"bad input test\"")),
    HOLDS(
        "/api/v1/holds",
        true,
        members(
            "fromAccountId",
            quote(FROM),
            "toAccountId",
            quote(TO),
            "amount",
            "100",
            "currency",
            "\"EUR\"",
            "description",
            "\"bad input test\"")),
    ACCOUNTS("/api/v1/accounts", false, members("currency", "\"EUR\""));

    final String path;
    final boolean movesMoney;
    final Map<String, String> template;

    Endpoint(String path, boolean movesMoney, Map<String, String> template) {
      this.path = path;
      this.movesMoney = movesMoney;
      this.template = template;
    }

    String body() {
      return render(template);
    }

    /** The template with one member's JSON value replaced, or removed when {@code json} is null. */
    String with(String member, String json) {
      Map<String, String> changed = new LinkedHashMap<>(template);
      if (json == null) {
        changed.remove(member);
      } else {
        changed.put(member, json);
      }
      return render(changed);
    }
  }

  /** One broken request; {@code status} null means "some 4xx" where several are defensible. */
  record Case(String name, Endpoint endpoint, MediaType type, byte[] body, Integer status) {
    @Override
    public String toString() {
      return endpoint + ": " + name;
    }
  }

  static Stream<Arguments> brokenRequests() {
    List<Case> cases = new ArrayList<>();
    for (Endpoint e : Endpoint.values()) {
      String valid = e.body();
      json(cases, e, "malformed JSON", valid.substring(0, valid.length() / 2), 400);
      json(cases, e, "a JSON array", "[" + valid + "]", 400);
      json(cases, e, "an empty JSON array", "[]", 400);
      json(cases, e, "JSON null", "null", 400);
      json(cases, e, "a JSON string", "\"EUR\"", 400);
      json(cases, e, "an empty body", "", 400);
      json(cases, e, "a blank body", "  \n ", 400);
      json(cases, e, "two documents", valid + valid, 400);
      json(cases, e, "an unknown property", e.with("x", "1"), 400);
      json(cases, e, "single quotes", valid.replace('"', '\''), 400);
      json(cases, e, "a trailing comma", valid.substring(0, valid.length() - 1) + ",}", 400);
      json(cases, e, "a comment", "/* hi */" + valid, 400);
      json(
          cases,
          e,
          "nested arrays " + NESTING_DEPTH + " deep",
          "[".repeat(NESTING_DEPTH) + "]".repeat(NESTING_DEPTH),
          400);
      json(
          cases,
          e,
          "nested objects " + NESTING_DEPTH + " deep",
          "{\"a\":".repeat(NESTING_DEPTH) + "1" + "}".repeat(NESTING_DEPTH),
          400);
      json(
          cases,
          e,
          "a deep value in a known member",
          e.with("currency", "[".repeat(NESTING_DEPTH) + "]".repeat(NESTING_DEPTH)),
          400);
      cases.add(
          new Case(
              "invalid UTF-8",
              e,
              MediaType.APPLICATION_JSON,
              invalidUtf8(e.with("currency", "\"EU\"")),
              400));
      cases.add(new Case("a 100 KB body", e, MediaType.APPLICATION_JSON, oversized(e), 413));
      cases.add(new Case("text/plain", e, MediaType.TEXT_PLAIN, utf8(valid), 415));
      cases.add(
          new Case(
              "application/xml",
              e,
              MediaType.APPLICATION_XML,
              utf8("<currency>EUR</currency>"),
              415));
      cases.add(
          new Case(
              "application/x-www-form-urlencoded",
              e,
              MediaType.APPLICATION_FORM_URLENCODED,
              utf8("currency=EUR"),
              415));

      // currency: every endpoint has it.
      json(cases, e, "currency missing", e.with("currency", null), 400);
      json(cases, e, "currency null", e.with("currency", "null"), 400);
      json(cases, e, "currency lower-case", e.with("currency", "\"eur\""), 400);
      json(cases, e, "currency unknown", e.with("currency", "\"ABC\""), 400);
      json(cases, e, "currency without minor unit", e.with("currency", "\"XXX\""), 400);
      json(cases, e, "currency gold", e.with("currency", "\"XAU\""), 400);
      json(cases, e, "currency with spaces", e.with("currency", "\" EUR\""), 400);
      json(cases, e, "currency of four letters", e.with("currency", "\"EURO\""), 400);
      json(cases, e, "currency empty", e.with("currency", "\"\""), 400);
      json(cases, e, "currency as number", e.with("currency", "978"), 400);
      json(cases, e, "currency as array", e.with("currency", "[\"EUR\"]"), 400);
      if (e == Endpoint.ACCOUNTS) {
        continue;
      }
      // amount
      json(cases, e, "amount as string", e.with("amount", "\"12\""), 400);
      json(cases, e, "amount with fraction", e.with("amount", "12.5"), 400);
      json(cases, e, "amount as 12.0", e.with("amount", "12.0"), 400);
      json(cases, e, "amount in exponent form", e.with("amount", "1e3"), 400);
      json(cases, e, "amount as boolean", e.with("amount", "true"), 400);
      json(cases, e, "amount as object", e.with("amount", "{\"x\":1}"), 400);
      json(cases, e, "amount as array", e.with("amount", "[12]"), 400);
      json(cases, e, "amount null", e.with("amount", "null"), 400);
      json(cases, e, "amount missing", e.with("amount", null), 400);
      json(cases, e, "amount beyond a long", e.with("amount", "99999999999999999999"), null);
      json(cases, e, "amount as hex", e.with("amount", "0x10"), 400);
      json(cases, e, "amount with leading zero", e.with("amount", "0100"), 400);
      json(cases, e, "amount NaN", e.with("amount", "NaN"), 400);
      json(cases, e, "amount with plus sign", e.with("amount", "+100"), 400);
      // ids
      boolean payerAndPayee = e == Endpoint.TRANSFERS || e == Endpoint.HOLDS;
      String id = payerAndPayee ? "fromAccountId" : "accountId";
      json(cases, e, id + " not a UUID", e.with(id, "\"not-a-uuid\""), 400);
      json(
          cases,
          e,
          id + " with a non-hex digit",
          e.with(id, "\"00000000-0000-0000-0000-00000000000g\""),
          400);
      json(cases, e, id + " in short form", e.with(id, "\"1-1-1-1-1\""), 400);
      json(cases, e, id + " empty", e.with(id, "\"\""), 400);
      json(cases, e, id + " as number", e.with(id, "12"), 400);
      json(cases, e, id + " missing", e.with(id, null), 400);
      // free text
      String text = payerAndPayee ? "description" : "reference";
      json(cases, e, text + " of 141 characters", e.with(text, quote("d".repeat(141))), 400);
      json(cases, e, text + " with a NUL", e.with(text, "\"a\\u0000b\""), 400);
      json(cases, e, text + " with a newline", e.with(text, "\"a\\nb\""), 400);
      if (payerAndPayee) {
        json(cases, e, "toAccountId not a UUID", e.with("toAccountId", "\"nope\""), 400);
        json(cases, e, "toAccountId missing", e.with("toAccountId", null), 400);
      }
      if (e == Endpoint.HOLDS) {
        json(
            cases,
            e,
            "expiresAt in the past",
            e.with("expiresAt", "\"2020-01-01T00:00:00Z\""),
            400);
        json(
            cases, e, "expiresAt without offset", e.with("expiresAt", "\"2030-01-01T00:00\""), 400);
        json(cases, e, "expiresAt as number", e.with("expiresAt", "1"), 400);
      }
    }
    return cases.stream().map(Arguments::of);
  }

  // --- tests ----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRequests")
  void aBrokenRequestGetsA4xxProblemAndChangesNothing(Case broken) {
    Snapshot before = snapshot();
    int accountsBefore = accountCount();

    EntityExchangeResult<byte[]> result =
        http.post()
            .uri(broken.endpoint().path)
            .headers(h -> h.setBearerAuth(fixture.alice.token()))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .header("Content-Type", broken.type().toString())
            .bodyValue(substitute(broken.body()))
            .exchange()
            .expectBody()
            .returnResult();

    JsonNode problem = assertWellFormedProblem(result);
    if (broken.status() != null) {
      assertThat(result.getStatus().value()).as(describe(result)).isEqualTo(broken.status());
    }
    if (result.getStatus().value() == 400) {
      assertThat(problem.get("code").asString())
          .as(describe(result))
          .isEqualTo("validation_failed");
    }
    before.assertUnchanged();
    assertThat(accountCount()).as("no account opened").isEqualTo(accountsBefore);
  }

  /** Text members must be JSON strings, as the strict amount members must be JSON integers. */
  static Stream<Arguments> numbersWhereTextBelongs() {
    return Stream.of(
        Arguments.of(
            new Case(
                "description as number",
                Endpoint.TRANSFERS,
                MediaType.APPLICATION_JSON,
                utf8(Endpoint.TRANSFERS.with("description", "5")),
                400)),
        Arguments.of(
            new Case(
                "reference as number",
                Endpoint.DEPOSITS,
                MediaType.APPLICATION_JSON,
                utf8(Endpoint.DEPOSITS.with("reference", "5")),
                400)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numbersWhereTextBelongs")
  void aNumberWhereTextBelongsIsRefusedAndChangesNothing(Case broken) {
    aBrokenRequestGetsA4xxProblemAndChangesNothing(broken);
  }

  @Test
  void everyUnbrokenTemplateIsAccepted() {
    for (Endpoint e : Endpoint.values()) {
      EntityExchangeResult<byte[]> result =
          http.post()
              .uri(e.path)
              .headers(h -> h.setBearerAuth(fixture.alice.token()))
              .header("Idempotency-Key", UUID.randomUUID().toString())
              .contentType(MediaType.APPLICATION_JSON)
              .bodyValue(substitute(utf8(e.body())))
              .exchange()
              .expectBody()
              .returnResult();
      assertThat(result.getStatus().is2xxSuccessful()).as(describe(result)).isTrue();
      if (e == Endpoint.TRANSFERS) {
        // Settle now, so that the credit cannot land in the middle of another case's snapshot.
        UUID transfer = UUID.fromString(PaystreamClient.json(result).get("id").asString());
        assertThat(
                client
                    .awaitTerminal(fixture.alice, transfer, SETTLE_TIMEOUT)
                    .get("status")
                    .asString())
            .isEqualTo("COMPLETED");
      }
    }
  }

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(
      strings = {
        "/api/v1/accounts/not-a-uuid",
        "/api/v1/transfers/not-a-uuid",
        "/api/v1/accounts/12345/transactions",
        "/api/v1/accounts/xyz/transactions/recent",
        "/api/v1/accounts/nope/balance",
        "/api/v1/accounts/nope/holds",
        "/api/v1/holds/not-a-uuid",
        "/api/v1/transfers/00000000-0000-0000-0000-00000000000g"
      })
  void aPathIdThatIsNotAUuidIsRefusedWithValidationFailed(String path) {
    EntityExchangeResult<byte[]> result = get(path, fixture.alice, null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "validation_failed");
  }

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(
      strings = {"/api/v1/nothing-here", "/api/v2/accounts", "/api/v1/accounts/x/y/z", "/nothing"})
  void anUnknownPathIsAProblemNotFound(String path) {
    EntityExchangeResult<byte[]> result = get(path, fixture.alice, null);

    assertProblem(result, HttpStatus.NOT_FOUND, "not_found");
  }

  @Test
  void anUnsupportedMethodIsAProblemMethodNotAllowed() {
    EntityExchangeResult<byte[]> result =
        http.method(HttpMethod.PUT)
            .uri("/api/v1/transfers")
            .headers(h -> h.setBearerAuth(fixture.alice.token()))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{}")
            .exchange()
            .expectBody()
            .returnResult();

    assertProblem(result, HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
  }

  @Test
  void everyResponseCarriesARequestIdAndASaneClientIdIsEchoed() {
    String sent = "it-" + UUID.randomUUID();

    List<EntityExchangeResult<byte[]>> answers =
        List.of(
            get("/api/v1/accounts/" + fixture.from, fixture.alice, sent),
            get("/api/v1/nothing-here", fixture.alice, sent),
            get("/api/v1/accounts/" + fixture.from, null, sent),
            http.post()
                .uri("/api/v1/accounts")
                .headers(h -> h.setBearerAuth(fixture.alice.token()))
                .header("X-Request-Id", sent)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(oversized(Endpoint.ACCOUNTS))
                .exchange()
                .expectBody()
                .returnResult());

    assertThat(answers).extracting(a -> a.getStatus().value()).containsExactly(200, 404, 401, 413);
    for (EntityExchangeResult<byte[]> answer : answers) {
      assertThat(answer.getResponseHeaders().getFirst("X-Request-Id"))
          .as(describe(answer))
          .isEqualTo(sent);
    }
    String first =
        get("/api/v1/accounts/" + fixture.from, fixture.alice, null)
            .getResponseHeaders()
            .getFirst("X-Request-Id");
    String second =
        get("/api/v1/accounts/" + fixture.from, fixture.alice, null)
            .getResponseHeaders()
            .getFirst("X-Request-Id");
    assertThat(first).isNotBlank().isNotEqualTo(second);
  }

  // --- fixture --------------------------------------------------------------------------------

  /** One customer with two funded EUR accounts, shared by every case of this class. */
  private record Fixture(User alice, UUID from, UUID to) {}

  private static Fixture fixture;

  @BeforeEach
  void createFixtureOnce() {
    if (fixture == null) {
      User alice = client.newCustomer();
      UUID from = client.openAccount(alice, "EUR");
      UUID to = client.openAccount(alice, "EUR");
      client.deposit(alice, from, 1_000_000, "EUR");
      fixture = new Fixture(alice, from, to);
    }
  }

  private Snapshot snapshot() {
    return MoneyAssertions.snapshot(client).of(fixture.alice, fixture.from, fixture.to).take();
  }

  private int accountCount() {
    return client.get(fixture.alice, "/api/v1/accounts").get("items").size();
  }

  private byte[] substitute(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    return text.replace(FROM, fixture.from.toString())
        .replace(TO, fixture.to.toString())
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private EntityExchangeResult<byte[]> get(String path, User user, String requestId) {
    return http.get()
        .uri(path)
        .headers(
            h -> {
              if (user != null) {
                h.setBearerAuth(user.token());
              }
              if (requestId != null) {
                h.set("X-Request-Id", requestId);
              }
            })
        .exchange()
        .expectBody()
        .returnResult();
  }

  // --- building bodies ------------------------------------------------------------------------

  private static void json(
      List<Case> cases, Endpoint endpoint, String name, String body, Integer status) {
    cases.add(new Case(name, endpoint, MediaType.APPLICATION_JSON, utf8(body), status));
  }

  private static Map<String, String> members(String... namesAndValues) {
    Map<String, String> members = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      members.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return members;
  }

  private static String render(Map<String, String> members) {
    StringBuilder json = new StringBuilder("{");
    members.forEach(
        (name, value) ->
            json.append(json.length() > 1 ? "," : "")
                .append(quote(name))
                .append(':')
                .append(value));
    return json.append('}').toString();
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code "EU"} followed by a lone continuation byte: not UTF-8. */
  private static byte[] invalidUtf8(String bodyWithEu) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = utf8(bodyWithEu);
    int at = bodyWithEu.indexOf("\"EU\"") + 3;
    out.write(bytes, 0, at);
    out.write(0xC3);
    out.write(0x28);
    out.write(bytes, at, bytes.length - at);
    return out.toByteArray();
  }

  /** The valid body padded with whitespace (valid JSON) beyond the size limit. */
  private static byte[] oversized(Endpoint endpoint) {
    String body = endpoint.body();
    return utf8(body.substring(0, body.length() - 1) + " ".repeat(OVERSIZED_BODY_BYTES) + "}");
  }
}
