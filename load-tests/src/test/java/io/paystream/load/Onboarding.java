package io.paystream.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitHereIf;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.paystream.load.Requests.authorized;
import static io.paystream.load.Requests.idempotent;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The setup every simulation shares (CONTRACT.md "Auth", "Accounts", "Money movement"): a new user
 * registers, logs in, opens EUR accounts and funds them; then, for simulations whose measured phase
 * is separate, joins a {@link CustomerPool}. Also keeps access tokens fresh.
 *
 * <p>Session attributes: {@code email}, {@code password}, {@code accessToken}, {@code
 * refreshToken}, {@code refreshAt} (epoch millis), {@code accounts} (list of ids).
 */
final class Onboarding {

  /** Refresh this long before the access token expires: a request never carries a stale one. */
  private static final long TOKEN_MARGIN_MILLIS = 60_000;

  /** When the login answer carries no {@code expiresIn}: the API's default lifetime. */
  private static final long EXPIRES_IN_DEFAULT_SECONDS = 900;

  private Onboarding() {}

  /** A unique e-mail and a 16-character password (the contract wants 12..128). */
  static ChainBuilder newIdentity(String emailPrefix) {
    return exec(
        session -> {
          String id = UUID.randomUUID().toString();
          return session
              .set("email", emailPrefix + "-" + id + "@example.com")
              .set("password", id.replace("-", "").substring(0, 16))
              .set("name", "Load User " + session.userId());
        });
  }

  static ChainBuilder register() {
    return exec(
        http("register")
            .post("/api/v1/auth/register")
            .asJson()
            .body(
                StringBody(
                    "{\"email\":\"#{email}\",\"password\":\"#{password}\",\"name\":\"#{name}\"}"))
            .check(status().is(201)));
  }

  static ChainBuilder login() {
    return exec(http("login")
            .post("/api/v1/auth/login")
            .asJson()
            .body(StringBody("{\"email\":\"#{email}\",\"password\":\"#{password}\"}"))
            .check(
                status().is(200),
                jsonPath("$.accessToken").saveAs("accessToken"),
                jsonPath("$.refreshToken").saveAs("refreshToken"),
                jsonPath("$.expiresIn").ofLong().optional().saveAs("expiresIn")))
        .exec(Onboarding::scheduleRefresh);
  }

  /** For a virtual user that keeps its own login: log in again when the token is due. */
  static ChainBuilder loginWhenDue() {
    return doIf(session -> System.currentTimeMillis() >= session.getLong("refreshAt"))
        .then(login());
  }

  /** Opens {@code count} EUR accounts into the session list {@code accounts}. */
  static ChainBuilder openAccounts(int count) {
    return exec(session -> session.set("accounts", List.of()))
        .exec(
            repeat(count)
                .on(
                    exec(openAccount("openedAccount"))
                        .exec(
                            session -> {
                              List<String> accounts = new ArrayList<>(session.getList("accounts"));
                              accounts.add(session.getString("openedAccount"));
                              return session.set("accounts", List.copyOf(accounts));
                            })));
  }

  static ChainBuilder openAccount(String saveAs) {
    return exec(
        authorized(http("open account").post("/api/v1/accounts"))
            .asJson()
            .body(StringBody("{\"currency\":\"EUR\"}"))
            .check(status().is(201), jsonPath("$.id").saveAs(saveAs)));
  }

  /** Deposits {@code amountMinor} into every account in {@code accounts}, each with its own key. */
  static ChainBuilder fundAccounts(long amountMinor) {
    return foreach("#{accounts}", "fundedAccount").on(deposit("#{fundedAccount}", amountMinor));
  }

  static ChainBuilder deposit(String accountIdEl, long amountMinor) {
    return exec(
        idempotent(authorized(http("deposit").post("/api/v1/deposits")))
            .asJson()
            .body(
                StringBody(
                    "{\"accountId\":\""
                        + accountIdEl
                        + "\",\"amount\":"
                        + amountMinor
                        + ",\"currency\":\"EUR\",\"reference\":\"load-test funding\"}"))
            .check(status().is(201)));
  }

  /**
   * The whole setup of one customer. A user whose setup fails stops at the failed step (and the
   * failed request counts against the run's assertions): it has nothing to transfer with.
   */
  static ChainBuilder onboard(String emailPrefix, int accounts, long depositMinor) {
    ChainBuilder steps = exec(register(), login(), openAccounts(accounts));
    if (depositMinor > 0) {
      steps = steps.exec(fundAccounts(depositMinor));
    }
    return exec(newIdentity(emailPrefix)).exitBlockOnFail().on(steps).exitHereIfFailed();
  }

  /** Publishes the onboarded customer to {@code pool}, its index under {@code customerIndex}. */
  static ChainBuilder joinPool(CustomerPool pool, long depositMinor) {
    return exec(
        session -> {
          List<Customer.Account> accounts =
              session.<String>getList("accounts").stream()
                  .map(id -> new Customer.Account(id, depositMinor))
                  .toList();
          Customer customer = pool.add(session.getString("email"), tokens(session), accounts);
          return session.set("customerIndex", customer.index());
        });
  }

  /**
   * Acts as a pool customer: puts its current access token into the session, and refreshes the pair
   * first when it is due (one virtual user per customer does that; the others keep using the old
   * token, still valid for {@link #TOKEN_MARGIN_MILLIS}).
   */
  static ChainBuilder actAs(CustomerPool pool) {
    return exec(session -> {
          Customer customer = pool.get(session.getInt("customerIndex"));
          return session
              .set("accessToken", customer.tokens().access())
              .set("refreshToken", customer.tokens().refresh())
              .set("refreshClaimed", customer.claimRefresh());
        })
        .doIf("#{refreshClaimed}")
        .then(
            exec(http("refresh token")
                    .post("/api/v1/auth/refresh")
                    .asJson()
                    .body(StringBody("{\"refreshToken\":\"#{refreshToken}\"}"))
                    .check(
                        status().is(200),
                        jsonPath("$.accessToken").saveAs("accessToken"),
                        jsonPath("$.refreshToken").saveAs("refreshToken"),
                        jsonPath("$.expiresIn").ofLong().optional().saveAs("expiresIn")))
                .exec(
                    session -> {
                      Customer customer = pool.get(session.getInt("customerIndex"));
                      // the check saves a new refresh token only when the refresh succeeded
                      if (customer.tokens().refresh().equals(session.getString("refreshToken"))) {
                        customer.refreshed(null);
                        return session;
                      }
                      Session scheduled = scheduleRefresh(session);
                      customer.refreshed(tokens(scheduled));
                      return scheduled;
                    }));
  }

  /**
   * A transfer between two customers: a random pool customer pays from a random account of its own
   * to a random account of another customer, under a fresh {@code key}. A user stops here when
   * setup left fewer than two customers (the setup requests' errors say why).
   */
  static ChainBuilder payAnotherCustomer(CustomerPool pool) {
    return exitHereIf(session -> pool.size() < 2)
        .exec(
            session -> {
              Customer payer = pool.random();
              return session
                  .set("customerIndex", payer.index())
                  .set("fromAccountId", payer.randomAccount().id())
                  .set("toAccountId", pool.randomOtherThan(payer).randomAccount().id())
                  .set("key", UUID.randomUUID().toString());
            })
        .exec(actAs(pool));
  }

  private static Session scheduleRefresh(Session session) {
    long expiresInSeconds =
        session.contains("expiresIn") ? session.getLong("expiresIn") : EXPIRES_IN_DEFAULT_SECONDS;
    long refreshAt =
        System.currentTimeMillis() + Math.max(expiresInSeconds * 1000 - TOKEN_MARGIN_MILLIS, 1000);
    return session.set("refreshAt", refreshAt);
  }

  private static Customer.Tokens tokens(Session session) {
    return new Customer.Tokens(
        session.getString("accessToken"),
        session.getString("refreshToken"),
        session.getLong("refreshAt"));
  }
}
