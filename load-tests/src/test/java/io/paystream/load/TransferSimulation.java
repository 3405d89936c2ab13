package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.paystream.load.Requests.authorized;
import static io.paystream.load.Requests.idempotent;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;

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

  private static final int USERS = LoadSettings.positive("users", 50);
  private static final int RAMP_SECONDS = LoadSettings.nonNegative("rampSeconds", 10);
  private static final int DURATION_SECONDS = LoadSettings.positive("durationSeconds", 60);

  /** Minor units per transfer (EUR cents). */
  private static final long TRANSFER_AMOUNT = LoadSettings.positiveLong("transferAmount", 100);

  /** Minor units deposited into each of the user's two accounts. */
  private static final long DEPOSIT_AMOUNT = LoadSettings.positiveLong("depositAmount", 1_000_000);

  /** Every n-th transfer is followed by a GET of that transfer and of the payer account. */
  private static final int READ_EVERY = LoadSettings.positive("readEvery", 10);

  /** 0: no Prefer header (the contract's 202 path); 1..10: {@code Prefer: wait=N}, 200 or 202. */
  private static final int PREFER_WAIT_SECONDS =
      LoadSettings.between("preferWaitSeconds", 0, 0, 10);

  /** A hard stop, whatever happens to the API: ramp + loop + time for setup and stragglers. */
  private static final Duration RUN_DURATION_MAX =
      Duration.ofSeconds(RAMP_SECONDS + DURATION_SECONDS + 120L);

  // --- the loop ---------------------------------------------------------------------------------

  private final ChainBuilder transfer =
      exec(session -> {
            boolean forth = session.getInt("i") % 2 == 0;
            return session
                .set("fromAccountId", session.getString(forth ? "accountA" : "accountB"))
                .set("toAccountId", session.getString(forth ? "accountB" : "accountA"));
          })
          .exec(transferRequest());

  private final ChainBuilder readBack =
      doIf(TransferSimulation::readTurn)
          .then(
              exec(
                  authorized(http("get transfer").get("/api/v1/transfers/#{transferId}"))
                      .check(status().is(200), jsonPath("$.id").isEL("#{transferId}"))),
              exec(
                  authorized(http("get account").get("/api/v1/accounts/#{fromAccountId}"))
                      .check(status().is(200), jsonPath("$.id").isEL("#{fromAccountId}"))));

  private final ScenarioBuilder scenario =
      scenario("Transfers between own accounts")
          .exec(Onboarding.onboard("load", 2, DEPOSIT_AMOUNT))
          .exec(
              session ->
                  session
                      .set("accountA", session.<String>getList("accounts").get(0))
                      .set("accountB", session.<String>getList("accounts").get(1)))
          .exec(
              during(Duration.ofSeconds(DURATION_SECONDS), "i")
                  .on(transfer, readBack, Onboarding.loginWhenDue()));

  {
    setUp(scenario.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP_SECONDS))))
        .protocols(LoadSettings.httpProtocol())
        .maxDuration(RUN_DURATION_MAX)
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  private static HttpRequestActionBuilder transferRequest() {
    HttpRequestActionBuilder request =
        idempotent(Requests.transfer("transfer", Long.toString(TRANSFER_AMOUNT)));
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
}
