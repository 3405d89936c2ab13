package io.paystream.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.persistence.ledger.LedgerStore.CurrencySum;
import io.paystream.persistence.testing.LedgerAssertions;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * Assertions shared by the money-path integration tests: what every error body must look like
 * (CONTRACT.md, Conventions), proof that a refused request moved nothing, and the ledger check.
 */
public final class MoneyAssertions {

  /** Text that would mean an exception, a class or a SQL statement leaked into a body. */
  private static final List<String> LEAKS =
      List.of(
          "Exception",
          "exception",
          "java.",
          "SQL",
          "sql",
          "tools.jackson",
          "io.paystream",
          "org.springframework",
          "reactor.",
          "\tat ",
          "Caused by",
          "at line",
          "column:");

  private MoneyAssertions() {}

  /** Asserts a problem+json answer with this status and code; returns the body. */
  public static JsonNode assertProblem(
      EntityExchangeResult<byte[]> result, HttpStatus status, String code) {
    JsonNode problem = assertWellFormedProblem(result);
    assertThat(result.getStatus().value()).as(describe(result)).isEqualTo(status.value());
    assertThat(problem.get("code").asString()).as(describe(result)).isEqualTo(code);
    return problem;
  }

  /**
   * Asserts a 4xx (never 5xx) RFC 9457 body with every member the contract names, nothing that
   * looks like a stack trace, class name or SQL, and an X-Request-Id header; returns the body.
   */
  public static JsonNode assertWellFormedProblem(EntityExchangeResult<byte[]> result) {
    String text = body(result);
    assertThat(result.getStatus().is4xxClientError()).as(describe(result)).isTrue();
    MediaType type = result.getResponseHeaders().getContentType();
    assertThat(type).as("content type of " + describe(result)).isNotNull();
    assertThat(type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .as("content type of " + describe(result))
        .isTrue();
    assertThat(result.getResponseHeaders().getFirst("X-Request-Id"))
        .as("X-Request-Id of " + describe(result))
        .isNotBlank();
    JsonNode problem = PaystreamClient.json(result);
    assertThat(problem.isObject()).as(describe(result)).isTrue();
    for (String member : List.of("type", "title", "detail", "code")) {
      assertThat(
              problem.has(member)
                  && problem.get(member).isString()
                  && !problem.get(member).asString().isBlank())
          .as("problem member '" + member + "' in " + describe(result))
          .isTrue();
    }
    assertThat(problem.get("status").isIntegralNumber()).as(describe(result)).isTrue();
    assertThat(problem.get("status").asInt())
        .as(describe(result))
        .isEqualTo(result.getStatus().value());
    assertThat(problem.get("code").asString()).matches("[a-z]+(_[a-z]+)*");
    for (String leak : LEAKS) {
      assertThat(text).as("body must not leak internals: " + describe(result)).doesNotContain(leak);
    }
    return problem;
  }

  /** The field names listed in a validation problem's {@code errors}. */
  public static List<String> errorFields(JsonNode problem) {
    assertThat(problem.has("errors")).as("errors[] in " + problem).isTrue();
    return problem.get("errors").valueStream().map(error -> error.get("field").asString()).toList();
  }

  public static String body(EntityExchangeResult<byte[]> result) {
    byte[] body = result.getResponseBody();
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }

  public static String describe(EntityExchangeResult<byte[]> result) {
    return result.getMethod()
        + " "
        + result.getUrl().getPath()
        + " -> "
        + result.getStatus()
        + " "
        + body(result);
  }

  /**
   * The operators' ledger check ({@code GET /api/v1/ops/ledger/check}) judged by {@link
   * LedgerAssertions}, the rule the persistence and messaging tests apply to the same two sums, and
   * the endpoint's own verdict with it. Returns the check, for tests of its shape.
   */
  public static JsonNode assertLedgerBalanced(PaystreamClient client, User ops) {
    JsonNode check = client.get(ops, "/api/v1/ops/ledger/check");
    LedgerAssertions.assertBalanced(
        check
            .get("byCurrency")
            .valueStream()
            .map(sum -> new CurrencySum(sum.get("currency").asString(), sum.get("sum").asLong()))
            .toList(),
        check.get("unreconciledAccounts").asLong());
    assertThat(check.get("balanced").asBoolean()).as("verdict of %s", check).isTrue();
    return check;
  }

  /** Starts a snapshot of balances and ledger entries, read through the public API. */
  public static Snapshot.Builder snapshot(PaystreamClient client) {
    return new Snapshot.Builder(client);
  }

  /**
   * Balances and ledger entry ids of some accounts at one moment. {@link #assertUnchanged()} proves
   * that nothing moved since: not a balance, not a ledger entry.
   */
  public static final class Snapshot {

    private final PaystreamClient client;
    private final Map<UUID, User> owners;
    private final Map<UUID, State> states;

    private Snapshot(PaystreamClient client, Map<UUID, User> owners) {
      this.client = client;
      this.owners = Map.copyOf(owners);
      this.states = read(client, owners);
    }

    public long balance(UUID account) {
      return states.get(account).balance();
    }

    public void assertUnchanged() {
      assertThat(read(client, owners))
          .as("balances, available balances and ledger entries")
          .isEqualTo(states);
    }

    private static Map<UUID, State> read(PaystreamClient client, Map<UUID, User> owners) {
      Map<UUID, State> read = new LinkedHashMap<>();
      owners.forEach(
          (account, owner) -> {
            JsonNode document = client.account(owner, account);
            read.put(
                account,
                new State(
                    document.get("balance").asLong(),
                    document.get("availableBalance").asLong(),
                    client
                        .get(owner, "/api/v1/accounts/" + account + "/transactions?limit=100")
                        .get("items")
                        .valueStream()
                        .map(entry -> entry.get("id").asString())
                        .toList()));
          });
      return read;
    }

    /** An account's balance, what of it is available (not held), and its entries. */
    private record State(long balance, long availableBalance, List<String> entryIds) {}

    public static final class Builder {

      private final PaystreamClient client;
      private final Map<UUID, User> owners = new LinkedHashMap<>();

      private Builder(PaystreamClient client) {
        this.client = client;
      }

      public Builder of(User owner, UUID... accounts) {
        for (UUID account : accounts) {
          owners.put(account, owner);
        }
        return this;
      }

      public Snapshot take() {
        return new Snapshot(client, owners);
      }
    }
  }
}
