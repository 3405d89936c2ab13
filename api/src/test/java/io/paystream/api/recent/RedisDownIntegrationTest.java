package io.paystream.api.recent;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.OtherInstance;
import io.paystream.api.testing.PaystreamClient.User;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Redis unreachable: an instance pointed at a closed port (the machine's Redis keeps running for
 * everyone else) still answers the recent entries, from PostgreSQL.
 */
class RedisDownIntegrationTest extends ApiIntegrationTest {

  private static ConfigurableApplicationContext withoutRedis;
  private static int withoutRedisPort;

  @BeforeAll
  static void startAnInstanceWhoseRedisIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    withoutRedis =
        OtherInstance.start(
            Map.of(
                "spring.data.redis.port",
                Integer.toString(closedPort),
                // The instance under test serves reads; the shared instance keeps the money moving.
                "paystream.messaging.enabled",
                "false"));
    withoutRedisPort = OtherInstance.port(withoutRedis);
  }

  @AfterAll
  static void stop() {
    if (withoutRedis != null) {
      withoutRedis.close();
    }
  }

  @Test
  void recentEntriesAreServedFromPostgresWhenRedisIsUnreachable() {
    User owner = client.newCustomer();
    UUID account = client.openAccount(owner, "EUR");
    client.deposit(owner, account, 11, "EUR");
    client.deposit(owner, account, 12, "EUR");
    WebTestClient other =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + withoutRedisPort)
            .responseTimeout(Duration.ofSeconds(10))
            .build();

    long started = System.nanoTime();
    JsonNode answer =
        io.paystream.api.testing.PaystreamClient.json(
            other
                .get()
                .uri("/api/v1/accounts/" + account + "/transactions/recent")
                .headers(h -> h.setBearerAuth(owner.token()))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    List<Long> amounts =
        answer.get("items").valueStream().map(entry -> entry.get("amount").asLong()).toList();
    assertThat(amounts).containsExactly(12L, 11L);
    assertThat(took)
        .as("bounded by the Redis timeout, not Lettuce's own")
        .isLessThan(Duration.ofSeconds(2));
  }
}
