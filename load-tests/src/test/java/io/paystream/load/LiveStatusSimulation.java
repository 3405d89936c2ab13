package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.paystream.load.Requests.authorized;
import static io.paystream.load.Requests.idempotent;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Live status and recent entries under load (CONTRACT.md "Live status", "History"): the SSE fan-out
 * scenario.
 *
 * <p>Each virtual user registers, opens two EUR accounts, funds the first, and opens {@code
 * subscribersPerAccount} SSE streams on the first account (a user's phone, tablet and browser),
 * which it holds for the whole run: every event of that account is fanned out to each of them.
 * Then, every {@code pauseSeconds}, it transfers from the first account to the second (the streams
 * receive {@code transfer.pending} and {@code transfer.completed}) and reads the latest 20 entries
 * twice: {@code recent-20} (Redis when warm) and {@code latest-20 (PostgreSQL)} (the same 20
 * entries through the paged month query, which always reads PostgreSQL). Compare the two rows of
 * the report.
 *
 * <p>Commit-to-delivery latency is measured by the API itself, where both ends are on one clock:
 * {@code paystream_events_delivery_lag_seconds} on {@code /actuator/prometheus}; heap per
 * subscriber from the API's heap after a full GC with and without the streams (see README).
 */
public class LiveStatusSimulation extends Simulation {

  private static final int USERS = LoadSettings.positive("users", 500);
  private static final int RAMP_SECONDS = LoadSettings.positive("rampSeconds", 30);
  private static final int DURATION_SECONDS = LoadSettings.positive("durationSeconds", 60);

  /** Seconds between one user's transfers: the stream is mostly idle, as a phone's would be. */
  private static final int PAUSE_SECONDS = LoadSettings.positive("pauseSeconds", 5);

  /** Streams each user holds on its account: every event is delivered this many times. */
  private static final int SUBSCRIBERS_PER_ACCOUNT =
      LoadSettings.between("subscribersPerAccount", 1, 1, 6);

  /** A hard stop whatever happens to the API: ramp + loop + time for setup and stragglers. */
  private static final Duration RUN_DURATION_MAX =
      Duration.ofSeconds(RAMP_SECONDS + DURATION_SECONDS + 120L);

  private final ChainBuilder setup =
      exec(Onboarding.onboard("live", 2, 0))
          .exec(
              session ->
                  session
                      .set("accountA", session.<String>getList("accounts").get(0))
                      .set("accountB", session.<String>getList("accounts").get(1))
                      .set("fromAccountId", session.<String>getList("accounts").get(0))
                      .set("toAccountId", session.<String>getList("accounts").get(1)))
          .exec(Onboarding.deposit("#{accountA}", 100_000_000))
          .exitHereIfFailed();

  private final ChainBuilder loop =
      exec(
              idempotent(Requests.transfer("transfer", "1")).check(status().is(202)),
              authorized(
                      http("recent-20 (Redis)")
                          .get("/api/v1/accounts/#{accountA}/transactions/recent"))
                  .check(status().is(200)),
              authorized(
                      http("latest-20 (PostgreSQL)")
                          .get("/api/v1/accounts/#{accountA}/transactions?limit=20"))
                  .check(status().is(200)))
          .pause(Duration.ofSeconds(PAUSE_SECONDS));

  private final ScenarioBuilder scenario =
      scenario("Watch an account while transferring")
          .exec(setup)
          // each stream has its own name within the user, so the user can hold several at once
          .exec(
              repeat(SUBSCRIBERS_PER_ACCOUNT, "stream")
                  .on(
                      exec(
                          sse("account stream")
                              .sseName(session -> "stream-" + session.getInt("stream"))
                              .get("/api/v1/accounts/#{accountA}/events")
                              .header("Authorization", "Bearer #{accessToken}"))))
          .exec(during(Duration.ofSeconds(DURATION_SECONDS)).on(loop))
          .exec(
              repeat(SUBSCRIBERS_PER_ACCOUNT, "stream")
                  .on(
                      exec(
                          sse("account stream")
                              .sseName(session -> "stream-" + session.getInt("stream"))
                              .close())));

  {
    setUp(scenario.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP_SECONDS))))
        .protocols(LoadSettings.httpProtocol())
        .maxDuration(RUN_DURATION_MAX)
        .assertions(global().failedRequests().percent().lt(1.0));
  }
}
