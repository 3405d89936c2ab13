package io.paystream.api.platform;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import io.paystream.messaging.MessagingProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT.md, Running: readiness is "can this instance take money", i.e. the PostgreSQL primary;
 * liveness depends on nothing outside the process. Here Redis and Kafka both point at closed ports
 * for the whole life of the context: the instance stays ready and live (a load balancer keeps it in
 * rotation), money still moves into the outbox, and the health details, shown to OPS only, say that
 * Redis and Kafka are down.
 */
@TestPropertySource(
    properties = "paystream.kafka.consumer-group=paystream-credit-leg-readiness-test")
@DirtiesContext
class ReadinessIntegrationTest extends ApiIntegrationTest {

  private static final String NO_KAFKA = "127.0.0.1:" + closedPort();

  @Autowired MessagingProperties messaging;

  @DynamicPropertySource
  static void redisAndKafkaUnreachable(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", ReadinessIntegrationTest::closedPort);
    registry.add(KAFKA_ELSEWHERE, () -> NO_KAFKA);
  }

  @Test
  void kafkaIsReallyPointedAtAClosedPort() {
    assertThat(messaging.bootstrapServers()).isEqualTo(NO_KAFKA);
  }

  @Test
  void readinessAndLivenessStayUpWithoutRedisAndKafka() {
    for (String probe : new String[] {"/actuator/health/readiness", "/actuator/health/liveness"}) {
      JsonNode health =
          json(http.get().uri(probe).exchange().expectStatus().isOk().expectBody().returnResult());

      assertThat(health.get("status").asString()).as(probe).isEqualTo("UP");
      assertThat(health.propertyNames()).as(probe + ", anonymous").containsExactly("status");
    }
  }

  @Test
  void opsSeesRedisAndKafkaDownInTheHealthDetailsAndTheDatabaseUp() {
    User ops = client.ops();

    EntityExchangeResult<byte[]> result =
        http.get()
            .uri("/actuator/health")
            .headers(h -> h.setBearerAuth(ops.token()))
            .exchange()
            .expectBody()
            .returnResult();

    assertThat(result.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    JsonNode components = json(result).get("components");
    assertThat(components.propertyNames()).as(components.toString()).contains("redis", "kafka");
    assertThat(components.get("primaryDatabase").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("redis").get("status").asString())
        .as(components.toString())
        .isEqualTo("DOWN");
    assertThat(components.get("kafka").get("status").asString()).isEqualTo("DOWN");
  }

  @Test
  void theReadinessGroupIsTheDatabaseAndTheApplicationStateOnly() {
    User ops = client.ops();

    JsonNode readiness =
        json(
            http.get()
                .uri("/actuator/health/readiness")
                .headers(h -> h.setBearerAuth(ops.token()))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());

    assertThat(readiness.get("components").propertyNames())
        .containsExactlyInAnyOrder("primaryDatabase", "readinessState");
  }

  @Test
  void anonymousCallersSeeOnlyTheOverallStatus() {
    JsonNode health =
        json(http.get().uri("/actuator/health").exchange().expectBody().returnResult());

    assertThat(health.propertyNames()).doesNotContain("components", "details");
    assertThat(health.get("status").asString()).isEqualTo("DOWN");
  }

  @Test
  void moneyStillMovesWithoutRedisAndKafka() {
    User alice = client.newCustomer();
    UUID account = client.openAccount(alice, "EUR");

    client.deposit(alice, account, 1_500, "EUR");

    assertThat(client.balance(alice, account)).isEqualTo(1_500);
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
