package io.paystream.api.ratelimit;

import static io.paystream.api.testing.MoneyAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * README, "Redis down": when Redis goes away under a running application (a relay in front of the
 * machine's Redis is cut; the real Redis, which other test JVMs use, is left alone), the API keeps
 * serving and the login limit still stops brute force, from the instance's own buckets.
 */
@TestPropertySource(
    properties = {
      "paystream.rate-limit.login-per-email=10",
      "paystream.kafka.consumer-group=paystream-credit-leg-redis-down-test",
    })
@DirtiesContext
class RedisDownIntegrationTest extends ApiIntegrationTest {

  @Autowired RateLimiter limiter;

  private static final RedisOutage REDIS = new RedisOutage("localhost", 6379);

  @DynamicPropertySource
  static void redisThroughARelay(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", REDIS::port);
  }

  @BeforeEach
  void redisGoesDown() {
    REDIS.cut();
  }

  @AfterAll
  static void closeRelay() {
    REDIS.close();
  }

  @Test
  void theApiKeepsServingMoneyRequestsWithoutRedis() {
    User alice = client.newCustomer();
    UUID from = client.openAccount(alice, "EUR");
    UUID to = client.openAccount(alice, "EUR");
    client.deposit(alice, from, 1_000, "EUR");

    client.acceptedTransfer(alice, from, to, 250, "EUR");

    assertThat(client.balance(alice, from)).isEqualTo(750);
    assertThat(limiter.shared()).as("the limiter noticed that Redis is gone").isFalse();
  }

  @Test
  void bruteForceIsStillStoppedWithoutRedis() {
    User alice = client.newCustomer();
    for (int i = 0; i < 9; i++) {
      login(alice.email(), "wrong-password-" + i).expectStatus().isUnauthorized();
    }

    EntityExchangeResult<byte[]> refused =
        login(alice.email(), PaystreamClient.PASSWORD).expectBody().returnResult();

    JsonNode problem = assertProblem(refused, HttpStatus.TOO_MANY_REQUESTS, "rate_limited");
    assertThat(problem.get("limit").asString()).isEqualTo("login_per_email");
    assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec login(
      String email, String password) {
    return http.post()
        .uri("/api/v1/auth/login")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "password", password))
        .exchange();
  }
}
