package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One hot account: every transfer goes to the same merchant account, from many payers at once, so
 * every credit contends for one row. After the load, {@link LedgerAudit} waits until nothing is
 * PENDING and checks, through the API, that the merchant holds exactly the completed transfers to
 * it, each payer its deposit minus its completed transfers, no balance is negative and the ledger
 * is balanced.
 *
 * <p>Phases, one after the other: the merchant registers and opens one account; {@code payers}
 * payers register, open one account each and deposit {@code depositAmount}; transfers of {@code
 * transferAmount} arrive at {@code rate} per second for {@code durationSeconds} (after a {@code
 * rampSeconds} ramp from 1/s), each from a random payer with a fresh Idempotency-Key; then the
 * audit.
 */
public class HotAccountSimulation extends Simulation {

  private static final int PAYERS = LoadSettings.positive("payers", 50);
  private static final int SETUP_SECONDS = LoadSettings.positive("setupSeconds", 10);
  private static final int RATE = LoadSettings.positive("rate", 100);
  private static final int RAMP_SECONDS = LoadSettings.nonNegative("rampSeconds", 10);
  private static final int DURATION_SECONDS = LoadSettings.positive("durationSeconds", 60);
  private static final long TRANSFER_AMOUNT = LoadSettings.positiveLong("transferAmount", 100);

  /** Enough for every transfer of the run to come from one payer at the default settings. */
  private static final long DEPOSIT_AMOUNT =
      LoadSettings.positiveLong("depositAmount", 100_000_000);

  /** How long the audit waits for the credit leg to finish after the load. */
  private static final int SETTLE_SECONDS = LoadSettings.positive("settleSeconds", 120);

  private final CustomerPool payers = new CustomerPool();
  private final AtomicReference<String> merchantAccount = new AtomicReference<>();
  private final TransferTally tally = new TransferTally();
  private final LedgerAudit audit = new LedgerAudit(tally, Duration.ofSeconds(SETTLE_SECONDS));

  private final ScenarioBuilder merchantSetup =
      scenario("Setup: the merchant")
          .exec(Onboarding.onboard("merchant", 1, 0))
          .exec(
              session -> {
                merchantAccount.set(session.<String>getList("accounts").get(0));
                return session;
              });

  private final ScenarioBuilder payerSetup =
      scenario("Setup: payers")
          .exec(Onboarding.onboard("payer", 1, DEPOSIT_AMOUNT))
          .exec(Onboarding.joinPool(payers, DEPOSIT_AMOUNT));

  private final ScenarioBuilder pay =
      scenario("Pay the merchant")
          // nobody to pay with or to: the setup requests' errors say why
          .exitHereIf(session -> payers.size() == 0 || merchantAccount.get() == null)
          .exec(
              session -> {
                Customer payer = payers.random();
                return session
                    .set("customerIndex", payer.index())
                    .set("fromAccountId", payer.accounts().get(0).id())
                    .set("toAccountId", merchantAccount.get())
                    .set("key", UUID.randomUUID().toString());
              })
          .exec(Onboarding.actAs(payers))
          .exec(tally.sendOriginal("transfer to merchant", TRANSFER_AMOUNT));

  {
    setUp(
            merchantSetup
                .injectOpen(atOnceUsers(1))
                .andThen(
                    payerSetup.injectOpen(
                        rampUsers(PAYERS).during(Duration.ofSeconds(SETUP_SECONDS))))
                .andThen(
                    audit.loadThenAudit(
                        pay,
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

  /** The merchant's account (nothing deposited) and every payer's. */
  private List<Customer.Account> auditedAccounts() {
    List<Customer.Account> accounts = new ArrayList<>();
    if (merchantAccount.get() != null) {
      accounts.add(new Customer.Account(merchantAccount.get(), 0));
    }
    payers.all().forEach(payer -> accounts.addAll(payer.accounts()));
    return accounts;
  }
}
