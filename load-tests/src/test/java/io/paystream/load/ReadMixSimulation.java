package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.paystream.load.Requests.authorized;
import static io.paystream.load.Requests.idempotent;
import static io.paystream.load.Requests.transfer;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Reads under a trickle of writes (CONTRACT.md "Accounts", "Money movement", "History").
 *
 * <p>Setup: {@code customers} users with two funded EUR accounts; each sends {@code seedTransfers}
 * transfers between its own accounts, so histories span several pages. Measured phase, for {@code
 * durationSeconds}: {@code readRate} readers per second, each a random customer doing one of: the
 * latest 20 entries ({@code /transactions/recent}, Redis when warm), the history from the newest
 * page following {@code nextCursor} for up to {@code historyPages} pages of {@code pageSize}, one
 * account, the account list, or one of its recent transfers. Meanwhile {@code trickleRate}
 * transfers per second between customers change balances and entries, so the recent-entries cache
 * is rewritten while it is read.
 */
public class ReadMixSimulation extends Simulation {

  private static final int CUSTOMERS = LoadSettings.positive("customers", 50);
  private static final int SETUP_SECONDS = LoadSettings.positive("setupSeconds", 10);
  private static final int SEED_TRANSFERS = LoadSettings.nonNegative("seedTransfers", 20);
  private static final int READ_RATE = LoadSettings.positive("readRate", 100);
  private static final int TRICKLE_RATE = LoadSettings.positive("trickleRate", 5);
  private static final int DURATION_SECONDS = LoadSettings.positive("durationSeconds", 60);
  private static final int PAGE_SIZE = LoadSettings.between("pageSize", 10, 1, 100);
  private static final int HISTORY_PAGES = LoadSettings.positive("historyPages", 3);
  private static final long DEPOSIT_AMOUNT = LoadSettings.positiveLong("depositAmount", 10_000_000);
  private static final String AMOUNT = "100";

  private final CustomerPool pool = new CustomerPool();

  /** Keeps the transfer just sent for the {@code get transfer} reads of its payer. */
  private final ChainBuilder rememberTransfer =
      exec(
          session -> {
            pool.get(session.getInt("customerIndex"))
                .rememberTransfer(session.getString("transferId"));
            return session;
          });

  private final ScenarioBuilder setup =
      scenario("Setup: customers with history")
          .exec(Onboarding.onboard("reads", 2, DEPOSIT_AMOUNT))
          .exec(Onboarding.joinPool(pool, DEPOSIT_AMOUNT))
          .exec(
              session ->
                  session
                      .set("fromAccountId", session.<String>getList("accounts").get(0))
                      .set("toAccountId", session.<String>getList("accounts").get(1)))
          .exec(
              repeat(SEED_TRANSFERS)
                  .on(
                      exec(idempotent(transfer("seed transfer", AMOUNT))
                              .check(status().is(202), jsonPath("$.id").saveAs("transferId")))
                          .exec(rememberTransfer)));

  private final ChainBuilder recent =
      exec(
          authorized(
                  http("recent entries").get("/api/v1/accounts/#{accountId}/transactions/recent"))
              .check(
                  status().is(200),
                  // a deposit at setup: never empty; and never another account's entries
                  jsonPath("$.items[0].accountId").isEL("#{accountId}")));

  private final ChainBuilder history =
      exec(authorized(
                  http("history page 1")
                      .get("/api/v1/accounts/#{accountId}/transactions?limit=" + PAGE_SIZE))
              .check(
                  status().is(200),
                  jsonPath("$.items[0].accountId").isEL("#{accountId}"),
                  jsonPath("$.nextCursor").ofString().optional().saveAs("cursor")))
          .asLongAs(
              session ->
                  Requests.cursor(session, "cursor") != null
                      && session.getInt("page") < HISTORY_PAGES - 1,
              "page")
          .on(
              exec(authorized(
                          http("history next page")
                              .get(
                                  "/api/v1/accounts/#{accountId}/transactions?limit="
                                      + PAGE_SIZE
                                      + "&cursor=#{cursor}"))
                      .check(
                          status().is(200),
                          jsonPath("$.items[*]").count().lte(PAGE_SIZE),
                          jsonPath("$.nextCursor").ofString().optional().saveAs("nextCursor")))
                  .exec(
                      session -> {
                        String next = Requests.cursor(session, "nextCursor");
                        Session moved = session.remove("nextCursor");
                        return next == null ? moved.remove("cursor") : moved.set("cursor", next);
                      }));

  private final ChainBuilder account =
      exec(
          authorized(http("get account").get("/api/v1/accounts/#{accountId}"))
              .check(
                  status().is(200),
                  jsonPath("$.id").isEL("#{accountId}"),
                  jsonPath("$.balance").ofLong().gte(0L)));

  private final ChainBuilder accounts =
      exec(
          authorized(http("list accounts").get("/api/v1/accounts"))
              .check(status().is(200), jsonPath("$.items[*].id").count().is(2)));

  private final ChainBuilder transferRead =
      exec(session -> {
            String id = pool.get(session.getInt("customerIndex")).randomRecentTransfer();
            return id == null ? session.remove("transferId") : session.set("transferId", id);
          })
          .exec(
              doIfOrElse(session -> session.contains("transferId"))
                  .then(
                      exec(
                          authorized(http("get transfer").get("/api/v1/transfers/#{transferId}"))
                              .check(status().is(200), jsonPath("$.id").isEL("#{transferId}"))))
                  .orElse(account));

  private final ScenarioBuilder reads =
      scenario("Read")
          .exitHereIf(session -> pool.size() == 0)
          .exec(
              session -> {
                Customer customer = pool.random();
                return session
                    .set("customerIndex", customer.index())
                    .set("accountId", customer.randomAccount().id());
              })
          .exec(Onboarding.actAs(pool))
          .exec(
              randomSwitch()
                  .on(
                      percent(35).then(recent),
                      percent(20).then(history),
                      percent(20).then(account),
                      percent(10).then(accounts),
                      percent(15).then(transferRead)));

  private final ScenarioBuilder trickle =
      scenario("Trickle of transfers")
          .exec(Onboarding.payAnotherCustomer(pool))
          .exec(
              transfer("transfer", AMOUNT)
                  .header("Idempotency-Key", "#{key}")
                  .check(status().is(202), jsonPath("$.id").saveAs("transferId")))
          .exec(rememberTransfer);

  {
    Duration duration = Duration.ofSeconds(DURATION_SECONDS);
    setUp(
            setup
                .injectOpen(rampUsers(CUSTOMERS).during(Duration.ofSeconds(SETUP_SECONDS)))
                .andThen(
                    reads.injectOpen(constantUsersPerSec(READ_RATE).during(duration)),
                    trickle.injectOpen(constantUsersPerSec(TRICKLE_RATE).during(duration))))
        .protocols(LoadSettings.httpProtocol())
        .maxDuration(Duration.ofSeconds(SETUP_SECONDS + DURATION_SECONDS + 180L))
        .assertions(
            global().failedRequests().percent().lt(1.0),
            details("recent entries").successfulRequests().count().gt(0L));
  }
}
