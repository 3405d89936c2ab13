package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * The money path under load (CONTRACT.md "Auth", "Accounts", "Money movement").
 *
 * <p>Each virtual user registers, logs in, opens two EUR accounts, funds both with a deposit and
 * then, for {@code durationSeconds}, sends transfers back and forth between its own two accounts
 * (so it never runs out of money), reading a transfer and an account every {@code readEvery}
 * iterations. Users arrive evenly over {@code rampSeconds} (open model): the run registers exactly
 * {@code users} users and ends by itself, at the latest after {@link #RUN_DURATION_MAX}.
 *
 * <p>Settings are Java system properties ({@code -Dusers=100}); {@code baseUrl} may also come from
 * the {@code BASE_URL} environment variable. Only loopback targets are accepted.
 */
public class TransferSimulation extends Simulation {

  private static final String BASE_URL = loopbackOnly(
      setting("baseUrl", setting("BASE_URL", "http://localhost:8080")));
  private static final int USERS = positive("users", 50);
  private static final int RAMP_SECONDS = nonNegative("rampSeconds", 10);
  private static final int DURATION_SECONDS = positive("durationSeconds", 60);
  /** Minor units per transfer (EUR cents). */
  private static final long TRANSFER_AMOUNT = positive("transferAmount", 100);
  /** Minor units deposited into each of the user's two accounts. */
  private static final long DEPOSIT_AMOUNT = positive("depositAmount", 1_000_000);
  /** Every n-th transfer is followed by a GET of that transfer and of the payer account. */
  private static final int READ_EVERY = positive("readEvery", 10);
  /** 0: no Prefer header (the contract's 202 path); 1..10: {@code Prefer: wait=N}, 200 or 202. */
  private static final int PREFER_WAIT_SECONDS = atMost(nonNegative("preferWaitSeconds", 0), 10);
  /** Log in again this long before the access token expires. */
  private static final long TOKEN_MARGIN_MILLIS = 30_000;
  /** A hard stop, whatever happens to the API: ramp + loop + time for setup and stragglers. */
  private static final Duration RUN_DURATION_MAX =
      Duration.ofSeconds(RAMP_SECONDS + DURATION_SECONDS + 120L);

  private final HttpProtocolBuilder httpProtocol = http
      .baseUrl(BASE_URL)
      .disableWarmUp() // the default warm-up calls https://gatling.io
      .acceptHeader("application/json")
      .userAgentHeader("paystream-load-tests");

  // --- setup, once per virtual user -------------------------------------------------------------

  private final ChainBuilder newIdentity = exec(session -> {
    String id = UUID.randomUUID().toString();
    return session
        .set("email", "load-" + id + "@example.com")
        // 16 characters: within the contract's 12..128
        .set("password", id.replace("-", "").substring(0, 16))
        .set("name", "Load User " + session.userId());
  });

  private final ChainBuilder register = exec(http("register")
      .post("/api/v1/auth/register")
      .asJson()
      .body(StringBody(
          "{\"email\":\"#{email}\",\"password\":\"#{password}\",\"name\":\"#{name}\"}"))
      .check(status().is(201)));

  private final ChainBuilder login = exec(http("login")
      .post("/api/v1/auth/login")
      .asJson()
      .body(StringBody("{\"email\":\"#{email}\",\"password\":\"#{password}\"}"))
      .check(
          status().is(200),
          jsonPath("$.accessToken").saveAs("accessToken"),
          jsonPath("$.expiresIn").ofLong().optional().saveAs("expiresIn")))
      .exec(session -> {
        long expiresInSeconds = session.contains("expiresIn") ? session.getLong("expiresIn") : 300;
        long refreshAt = System.currentTimeMillis()
            + Math.max(expiresInSeconds * 1000 - TOKEN_MARGIN_MILLIS, 1000);
        return session.set("reloginAt", refreshAt);
      });

  private final ChainBuilder openAccounts = exec(
      openAccount("accountA"),
      openAccount("accountB"));

  private final ChainBuilder fundAccounts = exec(
      deposit("#{accountA}"),
      deposit("#{accountB}"));

  // --- the loop ---------------------------------------------------------------------------------

  private final ChainBuilder transfer = exec(session -> {
    boolean forth = session.getInt("i") % 2 == 0;
    return session
        .set("fromAccountId", session.getString(forth ? "accountA" : "accountB"))
        .set("toAccountId", session.getString(forth ? "accountB" : "accountA"));
  }).exec(transferRequest());

  private final ChainBuilder readBack = doIf(TransferSimulation::readTurn).then(
      exec(authorized(http("get transfer").get("/api/v1/transfers/#{transferId}"))
          .check(status().is(200), jsonPath("$.id").isEL("#{transferId}"))),
      exec(authorized(http("get account").get("/api/v1/accounts/#{fromAccountId}"))
          .check(status().is(200), jsonPath("$.id").isEL("#{fromAccountId}"))));

  private final ChainBuilder reloginWhenDue =
      doIf(session -> System.currentTimeMillis() >= session.getLong("reloginAt")).then(login);

  private final ScenarioBuilder scenario = scenario("Transfers between own accounts")
      .exec(newIdentity)
      // a user whose setup failed stops at its first failed step: it has nothing to transfer
      .exitBlockOnFail().on(register, login, openAccounts, fundAccounts)
      .exitHereIfFailed()
      .exec(during(Duration.ofSeconds(DURATION_SECONDS), "i")
          .on(transfer, readBack, reloginWhenDue));

  {
    setUp(scenario.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP_SECONDS))))
        .protocols(httpProtocol)
        .maxDuration(RUN_DURATION_MAX)
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  // --- request builders -------------------------------------------------------------------------

  private static HttpRequestActionBuilder authorized(HttpRequestActionBuilder request) {
    return request.header("Authorization", "Bearer #{accessToken}");
  }

  /** Every POST that moves money carries a fresh key: nothing here is a retry. */
  private static HttpRequestActionBuilder idempotent(HttpRequestActionBuilder request) {
    return request.header("Idempotency-Key", session -> UUID.randomUUID().toString());
  }

  private static ChainBuilder openAccount(String saveAs) {
    return exec(authorized(http("open account").post("/api/v1/accounts"))
        .asJson()
        .body(StringBody("{\"currency\":\"EUR\"}"))
        .check(status().is(201), jsonPath("$.id").saveAs(saveAs)));
  }

  private static ChainBuilder deposit(String accountIdEl) {
    return exec(idempotent(authorized(http("deposit").post("/api/v1/deposits")))
        .asJson()
        .body(StringBody("{\"accountId\":\"" + accountIdEl + "\",\"amount\":" + DEPOSIT_AMOUNT
            + ",\"currency\":\"EUR\",\"reference\":\"load-test funding\"}"))
        .check(status().is(201)));
  }

  private static HttpRequestActionBuilder transferRequest() {
    HttpRequestActionBuilder request =
        idempotent(authorized(http("transfer").post("/api/v1/transfers")))
            .asJson()
            .body(StringBody("{\"fromAccountId\":\"#{fromAccountId}\","
                + "\"toAccountId\":\"#{toAccountId}\",\"amount\":" + TRANSFER_AMOUNT
                + ",\"currency\":\"EUR\",\"description\":\"load test\"}"));
    if (PREFER_WAIT_SECONDS > 0) {
      return request
          .header("Prefer", "wait=" + PREFER_WAIT_SECONDS)
          .check(status().in(200, 202), jsonPath("$.id").saveAs("transferId"));
    }
    return request.check(status().is(202), jsonPath("$.id").saveAs("transferId"));
  }

  private static boolean readTurn(Session session) {
    return session.contains("transferId") && session.getInt("i") % READ_EVERY == READ_EVERY - 1;
  }

  // --- settings ---------------------------------------------------------------------------------

  private static String setting(String name, String fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static int positive(String name, int fallback) {
    int value = Integer.parseInt(setting(name, Integer.toString(fallback)));
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
    return value;
  }

  private static int nonNegative(String name, int fallback) {
    int value = Integer.parseInt(setting(name, Integer.toString(fallback)));
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
    return value;
  }

  /** The contract caps {@code Prefer: wait=N} at 10 seconds. */
  private static int atMost(int value, int max) {
    if (value > max) {
      throw new IllegalArgumentException(
          "preferWaitSeconds must be at most " + max + ", was " + value);
    }
    return value;
  }

  private static String loopbackOnly(String baseUrl) {
    URI uri = URI.create(baseUrl);
    String host = uri.getHost();
    boolean loopback = host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
            || host.equals("::1"));
    if (!loopback || uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "baseUrl must be an http(s) URL on this machine (localhost, 127.x, [::1]), was "
              + baseUrl);
    }
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }
}
