package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.paystream.load.Requests.authorized;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * After the load, checks through the API that money moved as the run was told it did (CONTRACT.md
 * "Operations"). One virtual user, logged in as OPS, waits until none of the audited accounts has a
 * PENDING transfer, reads every transfer of each account, then checks each account:
 *
 * <ul>
 *   <li>its balance is not negative;
 *   <li>balance = deposits + COMPLETED transfers in − COMPLETED transfers out (the ledger agrees
 *       with the transfers);
 *   <li>balance = deposits + what the run was answered 2xx for, in and out, counted once per
 *       transfer id (each accepted Idempotency-Key moved money exactly once, and nothing moved that
 *       the run was not told about), and the API holds exactly that many transfers;
 * </ul>
 *
 * and finally that the double-entry ledger check is balanced and that no Idempotency-Key was
 * answered with two different transfers. Each check is a request named {@code invariant: ...};
 * {@link #assertions()} fails the run if any of them failed or did not run.
 *
 * <p>OPS credentials: {@code PAYSTREAM_OPS_EMAIL} and {@code PAYSTREAM_OPS_PASSWORD}, the same
 * variables the API was started with (environment or {@code -D}).
 */
final class LedgerAudit {

  static final String NOTHING_PENDING = "invariant: nothing pending";
  static final String ACCOUNT_BALANCE = "invariant: account balance";
  static final String LEDGER_BALANCED = "invariant: ledger balanced";
  static final String ONE_TRANSFER_PER_KEY = "invariant: one transfer per key";

  /** The API's page size maximum: fewest round trips through an account's transfers. */
  private static final int PAGE_SIZE = 100;

  private final String opsEmail;
  private final String opsPassword;
  private final TransferTally tally;
  private final Duration settleTimeout;

  LedgerAudit(TransferTally tally, Duration settleTimeout) {
    String why =
        "the audit after the load reads every account as OPS; use the credentials the API"
            + " was started with";
    this.opsEmail = LoadSettings.required("PAYSTREAM_OPS_EMAIL", why);
    this.opsPassword = LoadSettings.required("PAYSTREAM_OPS_PASSWORD", why);
    this.tally = tally;
    this.settleTimeout = settleTimeout;
  }

  /** The audit of {@code accounts} (read when the audit starts, after the load). */
  ScenarioBuilder of(Supplier<List<Customer.Account>> accounts) {
    return scenario("Audit through the API")
        .exec(
            session ->
                session
                    .set("email", opsEmail)
                    .set("password", opsPassword)
                    .set("auditAccounts", accounts.get())
                    .set("settleBy", System.currentTimeMillis() + settleTimeout.toMillis()))
        .exec(Onboarding.login())
        .exitHereIfFailed()
        .foreach("#{auditAccounts}", "audited")
        .on(
            exec(
                session ->
                    session.set("auditAccountId", session.<Customer.Account>get("audited").id())),
            awaitNothingPending(),
            readTransfers(),
            checkBalance())
        .exec(
            authorized(http(LEDGER_BALANCED).get("/api/v1/ops/ledger/check"))
                .check(
                    status().is(200),
                    jsonPath("$.balanced").ofBoolean().is(true),
                    jsonPath("$.unreconciledAccounts").ofLong().is(0L)))
        .exec(
            authorized(http(ONE_TRANSFER_PER_KEY).get("/api/v1/ops/stats"))
                .check(
                    status().is(200),
                    bodyString().transform(body -> tally.keysWithTwoTransfers()).is(0L)));
  }

  /**
   * {@code load} arriving from 1/s to {@code rate}/s over {@code ramp}, then at {@code rate}/s for
   * {@code duration}; once it is done, this audit of {@code accounts}.
   */
  PopulationBuilder loadThenAudit(
      ScenarioBuilder load,
      int rate,
      Duration ramp,
      Duration duration,
      Supplier<List<Customer.Account>> accounts) {
    return load.injectOpen(
            rampUsersPerSec(1).to(rate).during(ramp), constantUsersPerSec(rate).during(duration))
        .andThen(of(accounts).injectOpen(atOnceUsers(1)));
  }

  /**
   * Every invariant request passed, the last ones ran at all (a skipped audit fails too), and fewer
   * than 1 % of all requests failed.
   */
  static List<Assertion> assertions() {
    return List.of(
        global().failedRequests().percent().lt(1.0),
        details(NOTHING_PENDING).failedRequests().count().is(0L),
        details(ACCOUNT_BALANCE).failedRequests().count().is(0L),
        details(LEDGER_BALANCED).failedRequests().count().is(0L),
        details(LEDGER_BALANCED).allRequests().count().is(1L),
        details(ONE_TRANSFER_PER_KEY).failedRequests().count().is(0L),
        details(ONE_TRANSFER_PER_KEY).allRequests().count().is(1L));
  }

  /** Polls once a second until the account has no PENDING transfer, then checks it once. */
  private ChainBuilder awaitNothingPending() {
    String pendingUrl = "/api/v1/ops/transfers?status=PENDING&limit=1&accountId=#{auditAccountId}";
    return exec(session -> session.set("pending", true))
        .asLongAs(
            session ->
                session.getBoolean("pending")
                    && System.currentTimeMillis() < session.getLong("settleBy"))
        .on(
            exec(authorized(http("audit: pending transfers").get(pendingUrl))
                    .check(
                        status().is(200),
                        jsonPath("$.items")
                            .ofList()
                            .transform(items -> !items.isEmpty())
                            .saveAs("pending")))
                .doIf("#{pending}")
                .then(pause(Duration.ofSeconds(1))))
        .exec(
            authorized(http(NOTHING_PENDING).get(pendingUrl))
                .check(status().is(200), jsonPath("$.items").ofList().transform(List::size).is(0)));
  }

  /** Pages through the account's transfers, summing what completed in and out. */
  private ChainBuilder readTransfers() {
    return exec(session ->
            session.set("scan", new Scan(0, 0, 0, 0, 0)).set("scanDone", false).remove("cursor"))
        .asLongAs(session -> !session.getBoolean("scanDone"))
        .on(
            exec(session -> session.remove("nextCursor"))
                .exec(
                    authorized(
                            http("audit: account transfers")
                                .get(
                                    session ->
                                        "/api/v1/ops/transfers?limit="
                                            + PAGE_SIZE
                                            + "&accountId="
                                            + session.getString("auditAccountId")
                                            + (session.contains("cursor")
                                                ? "&cursor=" + session.getString("cursor")
                                                : "")))
                        .check(
                            status().is(200),
                            jsonPath("$.items").ofList().saveAs("page"),
                            jsonPath("$.nextCursor").ofString().optional().saveAs("nextCursor")))
                // a failed page ends the scan; the balance check below then fails on the sums
                .exec(LedgerAudit::addPage));
  }

  private static Session addPage(Session session) {
    // No page saved: the request failed. (Not session.isFailed(): that stays true for the rest
    // of the audit after the first failed invariant, and would blank every later account.)
    if (!session.contains("page")) {
      return session.set("scanDone", true);
    }
    String account = session.getString("auditAccountId");
    Scan scan = session.get("scan");
    for (Object item : session.<Object>getList("page")) {
      scan = scan.add(account, (Map<?, ?>) item);
    }
    String next = Requests.cursor(session, "nextCursor");
    Session updated = session.set("scan", scan).remove("page");
    if (next == null) {
      return updated.set("scanDone", true);
    }
    return updated.set("cursor", next);
  }

  private ChainBuilder checkBalance() {
    return exec(
        authorized(http(ACCOUNT_BALANCE).get("/api/v1/accounts/#{auditAccountId}"))
            .check(
                status().is(200),
                jsonPath("$.balance").ofLong().gte(0L),
                jsonPath("$.balance")
                    .ofLong()
                    .is(
                        session -> {
                          Customer.Account account = session.get("audited");
                          Scan scan = session.get("scan");
                          return account.depositedMinor()
                              + scan.completedInMinor()
                              - scan.completedOutMinor();
                        }),
                jsonPath("$.balance")
                    .ofLong()
                    .is(
                        session -> {
                          Customer.Account account = session.get("audited");
                          return account.depositedMinor()
                              + tally.receivedMinor(account.id())
                              - tally.sentMinor(account.id());
                        }),
                // The count check reads best as a message: "is(<what differs>), but found <id>".
                jsonPath("$.id").is(this::countsAgree)));
  }

  /** The account id when the API's transfer counts are the run's, else what differs. */
  private String countsAgree(Session session) {
    Customer.Account account = session.get("audited");
    Scan scan = session.get("scan");
    long sent = tally.sentCount(account.id());
    long received = tally.receivedCount(account.id());
    if (scan.sent() == sent && scan.received() == received && scan.failed() == 0) {
      return account.id();
    }
    return "the API holds "
        + scan.sent()
        + " sent / "
        + scan.received()
        + " received / "
        + scan.failed()
        + " failed transfers; the run was answered for "
        + sent
        + " sent / "
        + received
        + " received";
  }

  /** Running sums over one account's transfers, as the API lists them. */
  record Scan(
      long sent, long received, long failed, long completedOutMinor, long completedInMinor) {

    Scan add(String account, Map<?, ?> transfer) {
      boolean out = account.equals(transfer.get("fromAccountId"));
      boolean in = account.equals(transfer.get("toAccountId"));
      Object status = transfer.get("status");
      long amount = ((Number) transfer.get("amount")).longValue();
      boolean completed = "COMPLETED".equals(status);
      return new Scan(
          sent + (out ? 1 : 0),
          received + (in ? 1 : 0),
          failed + ("FAILED".equals(status) ? 1 : 0),
          completedOutMinor + (out && completed ? amount : 0),
          completedInMinor + (in && completed ? amount : 0));
    }
  }
}
