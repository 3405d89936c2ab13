package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.paystream.load.Requests.authorized;
import static io.paystream.load.Requests.transfer;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A retry storm (CONTRACT.md "Idempotency"): {@code retryPercent} % of transfers are sent twice
 * with the same Idempotency-Key and body, as a client does after a timeout.
 *
 * <ul>
 *   <li><b>sequential</b> retries send the copy after the first answer: it must be the replay, 202
 *       with {@code Idempotent-Replayed: true} and the same transfer id;
 *   <li><b>concurrent</b> retries ({@code concurrentPercent} % of the retries) send both copies at
 *       once: exactly one is the original; the other is the replay or 409 {@code
 *       idempotency_key_in_use}. Then the key is sent again, and again while it answers 409, until
 *       the replay comes back with the original's id.
 * </ul>
 *
 * <p>Setup: {@code customers} users with two funded EUR accounts each. Transfers go from a random
 * customer to another at {@code rate} per second. Afterwards {@link LedgerAudit} checks through the
 * API that every key moved money exactly once: each account's balance equals its deposits plus and
 * minus the distinct transfers the run was answered for, and the API holds exactly those.
 */
public class RetryStormSimulation extends Simulation {

  private static final int CUSTOMERS = LoadSettings.positive("customers", 50);
  private static final int SETUP_SECONDS = LoadSettings.positive("setupSeconds", 10);
  private static final int RATE = LoadSettings.positive("rate", 50);
  private static final int RAMP_SECONDS = LoadSettings.nonNegative("rampSeconds", 10);
  private static final int DURATION_SECONDS = LoadSettings.positive("durationSeconds", 60);
  private static final int RETRY_PERCENT = LoadSettings.between("retryPercent", 30, 0, 100);
  private static final int CONCURRENT_PERCENT =
      LoadSettings.between("concurrentPercent", 50, 0, 100);
  private static final long TRANSFER_AMOUNT = LoadSettings.positiveLong("transferAmount", 100);
  private static final long DEPOSIT_AMOUNT = LoadSettings.positiveLong("depositAmount", 10_000_000);
  private static final int SETTLE_SECONDS = LoadSettings.positive("settleSeconds", 120);

  /** A key still answered 409 after this many resends is a failure (at 100 ms apart: 5 s). */
  private static final int RESENDS_MAX = 50;

  private static final Duration RESEND_PAUSE = Duration.ofMillis(100);
  private static final String AMOUNT = Long.toString(TRANSFER_AMOUNT);

  private final CustomerPool pool = new CustomerPool();
  private final TransferTally tally = new TransferTally();

  /** How the concurrent pairs resolved, printed at the end: did the copies really race? */
  private final LongAdder pairsReplayed = new LongAdder();

  private final LongAdder pairsInUse = new LongAdder();
  private final LedgerAudit audit = new LedgerAudit(tally, Duration.ofSeconds(SETTLE_SECONDS));

  private final ScenarioBuilder setup =
      scenario("Setup: customers")
          .exec(Onboarding.onboard("retry", 2, DEPOSIT_AMOUNT))
          .exec(Onboarding.joinPool(pool, DEPOSIT_AMOUNT));

  /** The first sending of a key: the original, never a replay. */
  private final ChainBuilder original = tally.sendOriginal("transfer", TRANSFER_AMOUNT);

  private final ChainBuilder sequentialRetry =
      exec(original)
          .exitHereIfFailed()
          .exec(
              transfer("transfer (sequential resend)", AMOUNT)
                  .header("Idempotency-Key", "#{key}")
                  .check(
                      status().is(202),
                      header("Idempotent-Replayed").is("true"),
                      jsonPath("$.id").isEL("#{transferId}")));

  private final ChainBuilder concurrentRetry =
      exec(
          // Gatling sends resources in parallel once the main request is answered: the two copies
          // race each other, which is the point. The main request is a cheap read.
          authorized(http("concurrent pair").get("/api/v1/accounts/#{fromAccountId}"))
              .check(status().is(200))
              .resources(copy("a"), copy("b")))
          .exec(
              session ->
                  session
                      .set("pairExpectation", pairExpectation(session))
                      .set("resends", 0)
                      .set("resendStatus", 409))
          // a failed check ends the resends: the failure is already in the report
          .asLongAs(
              session ->
                  session.getInt("resendStatus") == 409
                      && session.getInt("resends") < RESENDS_MAX
                      && !session.isFailed())
          .on(
              exec(session -> session.set("resends", session.getInt("resends") + 1))
                  .exec(resendUntilReplayed())
                  .doIf(session -> session.getInt("resendStatus") == 409)
                  .then(pause(RESEND_PAUSE)));

  private final ScenarioBuilder transfers =
      scenario("Transfers, some sent twice")
          .exec(Onboarding.payAnotherCustomer(pool))
          .exec(
              randomSwitch()
                  .on(
                      percent(100.0 - RETRY_PERCENT).then(original),
                      percent(RETRY_PERCENT * (100.0 - CONCURRENT_PERCENT) / 100.0)
                          .then(sequentialRetry),
                      percent(RETRY_PERCENT * CONCURRENT_PERCENT / 100.0).then(concurrentRetry)));

  {
    setUp(
            setup
                .injectOpen(rampUsers(CUSTOMERS).during(Duration.ofSeconds(SETUP_SECONDS)))
                .andThen(
                    audit.loadThenAudit(
                        transfers,
                        RATE,
                        Duration.ofSeconds(RAMP_SECONDS),
                        Duration.ofSeconds(DURATION_SECONDS),
                        this::auditedAccounts)))
        .protocols(LoadSettings.httpProtocol())
        .maxDuration(
            Duration.ofSeconds(
                SETUP_SECONDS + RAMP_SECONDS + DURATION_SECONDS + SETTLE_SECONDS + 300L))
        .assertions(LedgerAudit.assertions());
  }

  @Override
  public void after() {
    System.out.printf(
        "Concurrent pairs: %d answered original + replay, %d original + 409"
            + " idempotency_key_in_use; %d distinct transfers accepted%n",
        pairsReplayed.sum(), pairsInUse.sum(), tally.transfers());
  }

  private List<Customer.Account> auditedAccounts() {
    return pool.all().stream().flatMap(customer -> customer.accounts().stream()).toList();
  }

  /** One of the two racing copies; each answer is kept under its {@code tag}. */
  private static HttpRequestActionBuilder copy(String tag) {
    return transfer("transfer (concurrent copy)", AMOUNT)
        .header("Idempotency-Key", "#{key}")
        .check(
            status().in(202, 409).saveAs("status_" + tag),
            header("Idempotent-Replayed").optional().saveAs("replayed_" + tag),
            jsonPath("$.id").optional().saveAs("id_" + tag),
            jsonPath("$.code").optional().saveAs("code_" + tag));
  }

  /**
   * Sends the key again. While the first copy is still being processed this is 409; once it is
   * answered, the replay: 202, {@code Idempotent-Replayed: true}, the original's id.
   */
  private HttpRequestActionBuilder resendUntilReplayed() {
    return transfer("transfer (resend until replayed)", AMOUNT)
        .header("Idempotency-Key", "#{key}")
        .check(status().in(202, 409).saveAs("resendStatus"))
        .checkIf((response, session) -> response.status().code() == 409)
        .then(
            jsonPath("$.code").is("idempotency_key_in_use"),
            // the last allowed resend must not be 409 any more
            status().is(session -> session.getInt("resends") < RESENDS_MAX ? 409 : 202))
        .checkIf((response, session) -> response.status().code() == 202)
        .then(
            header("Idempotent-Replayed").is("true"),
            jsonPath("$.id").is(session -> session.getString("pairExpectation")),
            jsonPath("$.id").saveAs("transferId"));
  }

  /**
   * The id both copies and every later resend must carry, recorded in the tally; or, when the pair
   * broke the contract, a sentence saying how (the resend's id check then fails with it).
   */
  private String pairExpectation(Session session) {
    String original = null;
    int originals = 0;
    int inUse = 0;
    List<String> ids = new ArrayList<>();
    for (String tag : List.of("a", "b")) {
      if (!session.contains("status_" + tag)) {
        return "copy " + tag + " got no answer";
      }
      int status = session.getInt("status_" + tag);
      if (status == 409) {
        if (!"idempotency_key_in_use".equals(session.getString("code_" + tag))) {
          return "copy " + tag + " was 409 " + session.getString("code_" + tag);
        }
        inUse++;
        continue;
      }
      String id = session.getString("id_" + tag);
      ids.add(id);
      tally.accepted(
          session.getString("key"),
          id,
          session.getString("fromAccountId"),
          session.getString("toAccountId"),
          TRANSFER_AMOUNT);
      if (!"true".equals(session.getString("replayed_" + tag))) {
        originals++;
        original = id;
      }
    }
    if (originals != 1) {
      return "the pair had " + originals + " originals (ids " + ids + "), not exactly one";
    }
    (inUse > 0 ? pairsInUse : pairsReplayed).increment();
    String theOriginal = original;
    if (!ids.stream().allMatch(id -> Objects.equals(id, theOriginal))) {
      return "the pair answered with two transfer ids " + ids;
    }
    return original;
  }
}
