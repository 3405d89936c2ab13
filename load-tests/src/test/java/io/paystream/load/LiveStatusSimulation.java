package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * Live status and recent entries under load (CONTRACT.md "Live status", "History").
 *
 * <p>Each virtual user registers, opens two EUR accounts, funds the first, and opens the first
 * account's SSE stream, which it holds for the whole run. Then, every {@code pauseSeconds}, it
 * transfers from the first account to the second (the stream receives {@code transfer.pending}
 * and {@code transfer.completed}) and reads the latest 20 entries twice: {@code recent-20}
 * (Redis when warm) and {@code latest-20 (PostgreSQL)} (the same 20 entries through the paged
 * month query, which always reads PostgreSQL). Compare the two rows of the report.
 *
 * <p>Commit-to-delivery latency is measured by the API itself, where both ends are on one clock:
 * {@code paystream_events_delivery_lag_seconds} on {@code /actuator/prometheus}; heap per
 * subscriber from the API's heap after a full GC with and without the streams (see README).
 */
public class LiveStatusSimulation extends Simulation {

  private static final String BASE_URL = loopbackOnly(
      setting("baseUrl", setting("BASE_URL", "http://localhost:8080")));
  private static final int USERS = positive("users", 500);
  private static final int RAMP_SECONDS = positive("rampSeconds", 30);
  private static final int DURATION_SECONDS = positive("durationSeconds", 60);
  /** Seconds between one user's transfers: the stream is mostly idle, as a phone's would be. */
  private static final int PAUSE_SECONDS = positive("pauseSeconds", 5);
  /** A hard stop whatever happens to the API: ramp + loop + time for setup and stragglers. */
  private static final Duration RUN_DURATION_MAX =
      Duration.ofSeconds(RAMP_SECONDS + DURATION_SECONDS + 120L);

  private final HttpProtocolBuilder httpProtocol = http
      .baseUrl(BASE_URL)
      .disableWarmUp()
      .acceptHeader("application/json")
      .userAgentHeader("paystream-load-tests");

  private final ChainBuilder setup = exec(session -> {
    String id = UUID.randomUUID().toString();
    return session.set("email", "live-" + id + "@example.com")
        .set("password", id.replace("-", "").substring(0, 16));
  }).exec(http("register").post("/api/v1/auth/register").asJson()
          .body(StringBody("{\"email\":\"#{email}\",\"password\":\"#{password}\","
              + "\"name\":\"Live Load\"}"))
          .check(status().is(201)))
      .exec(http("login").post("/api/v1/auth/login").asJson()
          .body(StringBody("{\"email\":\"#{email}\",\"password\":\"#{password}\"}"))
          .check(status().is(200), jsonPath("$.accessToken").saveAs("accessToken")))
      .exec(openAccount("accountA"), openAccount("accountB"))
      .exec(idempotent(authorized(http("deposit").post("/api/v1/deposits"))).asJson()
          .body(StringBody("{\"accountId\":\"#{accountA}\",\"amount\":100000000,"
              + "\"currency\":\"EUR\",\"reference\":\"load\"}"))
          .check(status().is(201)));

  private final ChainBuilder loop = exec(
      idempotent(authorized(http("transfer").post("/api/v1/transfers"))).asJson()
          .body(StringBody("{\"fromAccountId\":\"#{accountA}\",\"toAccountId\":\"#{accountB}\","
              + "\"amount\":1,\"currency\":\"EUR\",\"description\":\"live load\"}"))
          .check(status().is(202)),
      authorized(http("recent-20 (Redis)")
          .get("/api/v1/accounts/#{accountA}/transactions/recent"))
          .check(status().is(200)),
      authorized(http("latest-20 (PostgreSQL)")
          .get("/api/v1/accounts/#{accountA}/transactions?limit=20"))
          .check(status().is(200)))
      .pause(Duration.ofSeconds(PAUSE_SECONDS));

  private final ScenarioBuilder scenario = scenario("Watch an account while transferring")
      .exitBlockOnFail().on(setup)
      .exitHereIfFailed()
      .exec(sse("account stream").get("/api/v1/accounts/#{accountA}/events")
          .header("Authorization", "Bearer #{accessToken}"))
      .exec(during(Duration.ofSeconds(DURATION_SECONDS)).on(loop))
      .exec(sse("account stream").close());

  {
    setUp(scenario.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP_SECONDS))))
        .protocols(httpProtocol)
        .maxDuration(RUN_DURATION_MAX)
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  private static HttpRequestActionBuilder authorized(HttpRequestActionBuilder request) {
    return request.header("Authorization", "Bearer #{accessToken}");
  }

  private static HttpRequestActionBuilder idempotent(HttpRequestActionBuilder request) {
    return request.header("Idempotency-Key", session -> UUID.randomUUID().toString());
  }

  private static ChainBuilder openAccount(String saveAs) {
    return exec(authorized(http("open account").post("/api/v1/accounts")).asJson()
        .body(StringBody("{\"currency\":\"EUR\"}"))
        .check(status().is(201), jsonPath("$.id").saveAs(saveAs)));
  }

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

  private static String loopbackOnly(String baseUrl) {
    URI uri = URI.create(baseUrl);
    String host = uri.getHost();
    boolean loopback = host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
            || host.equals("::1"));
    if (!loopback || uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
      throw new IllegalArgumentException("baseUrl must be on this machine, was " + baseUrl);
    }
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }
}
