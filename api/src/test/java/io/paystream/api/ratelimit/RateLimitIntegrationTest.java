package io.paystream.api.ratelimit;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.api.testing.RawHttp;
import io.paystream.persistence.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * The rate limits with their default values (login and registration) or small ones (per user), in a
 * context of their own. The test client's own address (127.0.0.1) is the trusted proxy, so its
 * X-Forwarded-For gives every test a client address of its own; a request from another loopback
 * address (127.0.0.3) is an untrusted peer whose header is ignored. The buckets live in the
 * machine's real Redis.
 */
@TestPropertySource(
    properties = {
      "paystream.trusted-proxies=127.0.0.1/32, ::1/128",
      "paystream.rate-limit.api-per-user=" + RateLimitIntegrationTest.API_PER_USER,
      "paystream.rate-limit.money-per-user=" + RateLimitIntegrationTest.MONEY_PER_USER,
      "paystream.rate-limit.login-per-email=10",
      "paystream.rate-limit.login-per-address=30",
      "paystream.rate-limit.registration-per-email=5",
      "paystream.rate-limit.registration-per-address=10",
      "paystream.rate-limit.refresh-per-address=" + RateLimitIntegrationTest.REFRESH_PER_ADDRESS,
      // A healthy Redis on a machine busy with other builds may exceed the production 250 ms;
      // a request answered locally would then not count in Redis, and the counts below would be
      // off by one. These tests are about the limits, not about Redis latency.
      "paystream.rate-limit.redis-timeout-millis=2000",
      // Its own consumer group: this context and the shared one each apply every credit leg once
      // (the inbox makes the second a no-op) instead of fighting over partitions.
      "paystream.kafka.consumer-group=paystream-credit-leg-rate-limit-test",
    })
@DirtiesContext
class RateLimitIntegrationTest extends ApiIntegrationTest {

  static final int API_PER_USER = 40;
  static final int MONEY_PER_USER = 3;
  static final int REFRESH_PER_ADDRESS = 5;

  @Autowired RateLimiter limiter;

  /**
   * The limiter connects to Redis in the background and answers from local buckets until then; a
   * test that counted across that moment would split its requests between the two and never reach a
   * limit.
   */
  @BeforeEach
  void redisBucketsInUse() {
    Eventually.await(Duration.ofSeconds(30), "the Redis buckets in use", limiter::shared);
  }

  @Test
  void theEleventhLoginForOneEmailWithinAMinuteIsRefusedWith429AndRateLimitHeaders() {
    String address = newAddress();
    User alice = register(address);
    // Ten attempts: the login after registration, then nine wrong passwords.
    for (int i = 0; i < 9; i++) {
      login(address, alice.email(), "wrong-password-" + i).expectStatus().isUnauthorized();
    }

    EntityExchangeResult<byte[]> refused =
        login(address, alice.email(), PaystreamClient.PASSWORD).expectBody().returnResult();

    JsonNode problem = assertProblem(refused, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo("login_per_email");
    assertRateLimitHeaders(refused, 10);
  }

  @Test
  void aBruteForcedEmailIsRefusedEvenFromAnotherAddress() {
    User alice = register(newAddress());
    for (int i = 0; i < 9; i++) {
      login(newAddress(), alice.email(), "wrong-password-" + i).expectStatus().isUnauthorized();
    }

    login(newAddress(), alice.email(), "wrong-password-again")
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
  }

  @Test
  void oneAddressSprayingPasswordsOverManyEmailsIsRefusedAfterThirtyAttempts() {
    String address = newAddress();
    for (int i = 0; i < 30; i++) {
      login(address, "nobody-" + UUID.randomUUID() + "@example.com", "wrong-password-123")
          .expectStatus()
          .isUnauthorized();
    }

    EntityExchangeResult<byte[]> refused =
        login(address, "nobody-" + UUID.randomUUID() + "@example.com", "wrong-password-123")
            .expectBody()
            .returnResult();

    JsonNode problem = assertProblem(refused, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo("login_per_address");
  }

  @Test
  void oneAddressCannotRegisterMoreThanTenAccountsAMinute() {
    String address = newAddress();
    for (int i = 0; i < 10; i++) {
      registration(address, "new-" + UUID.randomUUID() + "@example.com").expectStatus().isCreated();
    }

    EntityExchangeResult<byte[]> refused =
        registration(address, "new-" + UUID.randomUUID() + "@example.com")
            .expectBody()
            .returnResult();

    JsonNode problem = assertProblem(refused, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo("registration_per_address");
  }

  @Test
  void moneyMovingPostsHaveATighterPerUserLimitThanTheRestOfTheApi() {
    User alice = register(newAddress());
    UUID account = client.openAccount(alice, "EUR");
    for (int i = 0; i < MONEY_PER_USER; i++) {
      client.deposit(alice, account, 100, "EUR");
    }

    EntityExchangeResult<byte[]> refused = deposit(alice, account);

    JsonNode problem = assertProblem(refused, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo("money_per_user");
    assertRateLimitHeaders(refused, MONEY_PER_USER);
    // Reading is still allowed, and the refused deposit moved nothing.
    assertThat(client.balance(alice, account)).isEqualTo(MONEY_PER_USER * 100L);
  }

  @Test
  void refundsBatchesAndHoldsAreMoneyPostsToo() {
    User alice = register(newAddress());
    UUID account = client.openAccount(alice, "EUR");
    UUID other = client.openAccount(alice, "EUR");
    for (int i = 0; i < MONEY_PER_USER - 1; i++) {
      client.deposit(alice, account, 100, "EUR");
    }
    // The last money request the window allows: a batch; then a refund is one too many.
    EntityExchangeResult<byte[]> batch =
        http.post()
            .uri("/api/v1/transfer-batches")
            .headers(h -> h.setBearerAuth(alice.token()))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "fromAccountId",
                    account.toString(),
                    "currency",
                    "EUR",
                    "transfers",
                    List.of(Map.of("toAccountId", other.toString(), "amount", 10))))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(batch.getStatus()).isEqualTo(HttpStatus.ACCEPTED);

    EntityExchangeResult<byte[]> refund =
        http.post()
            .uri("/api/v1/transfers/{id}/refunds", UUID.randomUUID())
            .headers(h -> h.setBearerAuth(alice.token()))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("amount", 1))
            .exchange()
            .expectBody()
            .returnResult();

    JsonNode problem = assertProblem(refund, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo("money_per_user");
    // So are a hold and its capture and void, refused by the same spent window.
    for (String path :
        List.of(
            "/api/v1/holds",
            "/api/v1/holds/" + UUID.randomUUID() + "/capture",
            "/api/v1/holds/" + UUID.randomUUID() + "/void")) {
      JsonNode refused =
          assertProblem(
              client.moneyPost(alice, path, UUID.randomUUID().toString(), Map.of()),
              HttpStatus.TOO_MANY_REQUESTS,
              "rate_limited");
      assertThat(refused.get("limit").asString()).as(path).isEqualTo("money_per_user");
    }
    // A read of holds is not a money request.
    http.get()
        .uri("/api/v1/accounts/{id}/holds", account)
        .headers(h -> h.setBearerAuth(alice.token()))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void everyUserHasALimitForTheWholeApiAndOneUserHittingItDoesNotLimitAnother() {
    User alice = register(newAddress());
    User bob = register(newAddress());
    int status = 0;
    for (int i = 0; i <= API_PER_USER && status != 429; i++) {
      status =
          http.get()
              .uri("/api/v1/accounts")
              .headers(h -> h.setBearerAuth(alice.token()))
              .exchange()
              .expectBody()
              .returnResult()
              .getStatus()
              .value();
    }

    assertThat(status).isEqualTo(429);
    http.get()
        .uri("/api/v1/accounts")
        .headers(h -> h.setBearerAuth(bob.token()))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aLimitHitIsInTheAuditTrailOnceAMinuteNotOncePerRefusedRequest() {
    User alice = register(newAddress());
    UUID account = client.openAccount(alice, "EUR");
    for (int i = 0; i < MONEY_PER_USER + 3; i++) {
      deposit(alice, account);
    }
    User ops = client.ops();

    JsonNode page =
        client.get(ops, "/api/v1/ops/audit?type=limit.rate_exceeded&userId=" + alice.id());

    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("metadata").get("limit").asString())
        .isEqualTo("money_per_user");
  }

  @Test
  void tokenRefreshesFromOneAddressAreLimited() {
    String address = newAddress();
    for (int i = 0; i < REFRESH_PER_ADDRESS; i++) {
      refresh(address, "not-a-token-" + i).expectStatus().isUnauthorized();
    }

    EntityExchangeResult<byte[]> refused =
        refresh(address, "not-a-token").expectBody().returnResult();

    JsonNode problem = assertProblem(refused, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo("refresh_per_address");
    refresh(newAddress(), "not-a-token").expectStatus().isUnauthorized();
  }

  @Test
  void anUntrustedPeerIsLimitedByItsOwnAddressWhateverItsForwardedForSays() throws IOException {
    InetAddress untrusted = InetAddress.getByName("127.0.0.3");
    for (int i = 0; i < 10; i++) {
      assertThat(rawRegistration(untrusted, newAddress()).status()).isEqualTo(201);
    }

    RawHttp.Response refused = rawRegistration(untrusted, newAddress());

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.text()).contains("registration_per_address");
  }

  @Test
  void theTrustedProxysForwardedForKeepsClientsBehindItApart() throws IOException {
    InetAddress proxy = InetAddress.getByName("127.0.0.1");
    for (int i = 0; i < 11; i++) {
      assertThat(rawRegistration(proxy, newAddress()).status()).as("client " + i).isEqualTo(201);
    }
    // One client behind the proxy, whatever it writes left of what the proxy appended.
    String client = newAddress();
    for (int i = 0; i < 10; i++) {
      assertThat(rawRegistration(proxy, newAddress() + ", " + client).status()).isEqualTo(201);
    }
    assertThat(rawRegistration(proxy, newAddress() + ", " + client).status()).isEqualTo(429);
  }

  private RawHttp.Response rawRegistration(InetAddress from, String forwardedFor)
      throws IOException {
    byte[] body =
        ("{\"email\":\"raw-"
                + UUID.randomUUID()
                + "@example.com\",\"password\":\""
                + PaystreamClient.PASSWORD
                + "\",\"name\":\"Raw\"}")
            .getBytes(StandardCharsets.UTF_8);
    return RawHttp.send(
        from,
        port,
        RawHttp.request(
            "POST",
            "/api/v1/auth/register",
            Map.of("Content-Type", "application/json", "X-Forwarded-For", forwardedFor),
            body),
        Duration.ofSeconds(30));
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec refresh(
      String address, String token) {
    return http.post()
        .uri("/api/v1/auth/refresh")
        .header("X-Forwarded-For", address)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("refreshToken", token))
        .exchange();
  }

  private static void assertRateLimitHeaders(EntityExchangeResult<byte[]> refused, int limit) {
    var headers = refused.getResponseHeaders();
    assertThat(Long.parseLong(headers.getFirst("Retry-After"))).isBetween(1L, 60L);
    assertThat(headers.getFirst("RateLimit-Limit")).isEqualTo(Integer.toString(limit));
    assertThat(headers.getFirst("RateLimit-Remaining")).isEqualTo("0");
    assertThat(Long.parseLong(headers.getFirst("RateLimit-Reset"))).isBetween(1L, 60L);
    assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  /** A registered customer, logged in, both from {@code address}. */
  private User register(String address) {
    String email = "limited-" + UUID.randomUUID() + "@example.com";
    JsonNode user =
        PaystreamClient.json(
            registration(address, email).expectStatus().isCreated().expectBody().returnResult());
    String token =
        PaystreamClient.json(
                login(address, email, PaystreamClient.PASSWORD)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult())
            .get("accessToken")
            .asString();
    return new User(UUID.fromString(user.get("userId").asString()), email, token);
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec registration(
      String address, String email) {
    return http.post()
        .uri("/api/v1/auth/register")
        .header("X-Forwarded-For", address)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "password", PaystreamClient.PASSWORD, "name", "Limited"))
        .exchange();
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec login(
      String address, String email, String password) {
    return http.post()
        .uri("/api/v1/auth/login")
        .header("X-Forwarded-For", address)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "password", password))
        .exchange();
  }

  private EntityExchangeResult<byte[]> deposit(User user, UUID account) {
    return http.post()
        .uri("/api/v1/deposits")
        .headers(h -> h.setBearerAuth(user.token()))
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("accountId", account.toString(), "amount", 100, "currency", "EUR"))
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** A documentation address (RFC 5737) nobody else in this JVM uses. */
  private static String newAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "198.51." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }
}
