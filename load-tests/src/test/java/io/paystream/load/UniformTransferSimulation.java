package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.paystream.load.Requests.transfer;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Uniform transfers among many accounts, open model, the rate raised in steps until the API
 * saturates (CONTRACT.md "Money movement").
 *
 * <p>Setup phase: {@code customers} users register, each opens {@code accountsPerCustomer} EUR
 * accounts and deposits {@code depositAmount} into each; they form a shared pool. Measured phase,
 * after setup has finished: transfers arrive at {@code startRate} per second, then the rate rises
 * by equal steps to {@code maxRate} over {@code levels} levels of {@code levelSeconds} each (with
 * {@code levelRampSeconds} between levels). Each transfer goes from a random account of a random
 * customer to a random account of another customer, with a fresh Idempotency-Key, and must be
 * answered 202. The report's {@code transfer} row, and its "Number of requests per second" chart
 * against the active-users chart, show where the API stops keeping up.
 */
public class UniformTransferSimulation extends Simulation {

  private static final int CUSTOMERS = LoadSettings.positive("customers", 200);
  private static final int ACCOUNTS_PER_CUSTOMER =
      LoadSettings.between("accountsPerCustomer", 2, 2, 10);
  private static final int SETUP_SECONDS = LoadSettings.positive("setupSeconds", 30);
  private static final long DEPOSIT_AMOUNT = LoadSettings.positiveLong("depositAmount", 10_000_000);
  private static final long TRANSFER_AMOUNT = LoadSettings.positiveLong("transferAmount", 100);

  /** Transfers per second of the first level. */
  private static final int START_RATE = LoadSettings.positive("startRate", 20);

  /** Transfers per second of the last level. */
  private static final int MAX_RATE = LoadSettings.positive("maxRate", 400);

  private static final int LEVELS = LoadSettings.positive("levels", 8);
  private static final int LEVEL_SECONDS = LoadSettings.positive("levelSeconds", 20);
  private static final int LEVEL_RAMP_SECONDS = LoadSettings.nonNegative("levelRampSeconds", 5);

  private final CustomerPool pool = new CustomerPool();

  private final ScenarioBuilder setup =
      scenario("Setup: customers")
          .exec(Onboarding.onboard("uniform", ACCOUNTS_PER_CUSTOMER, DEPOSIT_AMOUNT))
          .exec(Onboarding.joinPool(pool, DEPOSIT_AMOUNT));

  private final ScenarioBuilder transfers =
      scenario("Transfer to another customer")
          .exec(Onboarding.payAnotherCustomer(pool))
          .exec(
              transfer("transfer", Long.toString(TRANSFER_AMOUNT))
                  .header("Idempotency-Key", "#{key}")
                  .check(status().is(202), jsonPath("$.id").exists()));

  {
    if (MAX_RATE < START_RATE) {
      throw new IllegalArgumentException(
          "maxRate (" + MAX_RATE + ") is below startRate (" + START_RATE + ")");
    }
    double step = LEVELS == 1 ? 0 : (MAX_RATE - START_RATE) / (double) (LEVELS - 1);
    int loadSeconds = LEVELS * LEVEL_SECONDS + (LEVELS - 1) * LEVEL_RAMP_SECONDS;
    setUp(
            setup
                .injectOpen(rampUsers(CUSTOMERS).during(Duration.ofSeconds(SETUP_SECONDS)))
                .andThen(
                    transfers.injectOpen(
                        incrementUsersPerSec(step)
                            .times(LEVELS)
                            .eachLevelLasting(Duration.ofSeconds(LEVEL_SECONDS))
                            .separatedByRampsLasting(Duration.ofSeconds(LEVEL_RAMP_SECONDS))
                            .startingFrom(START_RATE))))
        .protocols(LoadSettings.httpProtocol())
        .maxDuration(Duration.ofSeconds(SETUP_SECONDS + loadSeconds + 180L))
        .assertions(
            global().failedRequests().percent().lt(1.0),
            details("transfer").failedRequests().percent().lt(1.0),
            // a run in which no transfer was made measured nothing
            details("transfer").successfulRequests().count().gt(0L));
  }
}
