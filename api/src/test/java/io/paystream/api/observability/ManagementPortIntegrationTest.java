package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * README, Operations: a stock Prometheus scrapes the management port without a token, while the
 * main port answers health and metrics exactly as before the actuator moved.
 */
class ManagementPortIntegrationTest extends ApiIntegrationTest {

  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b(paystream|resilience4j|kafka_producer|http_server)_[a-z_]+");

  @LocalManagementPort int managementPort;

  private WebTestClient management;

  @BeforeEach
  void connectToManagementPort() {
    assertThat(managementPort).isNotEqualTo(port);
    // The configured address (127.0.0.1 by default), not "localhost", which may resolve to ::1.
    management =
        WebTestClient.bindToServer()
            .baseUrl("http://127.0.0.1:" + managementPort)
            .responseTimeout(Duration.ofSeconds(30))
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
            .build();
  }

  @Test
  void aScraperWithoutATokenReadsBusinessBreakerKafkaAndLedgerMetricsOnTheManagementPort() {
    // A deposit puts an event in the outbox, so the relay's Kafka producer exists and reports.
    User customer = client.newCustomer();
    client.deposit(customer, client.openAccount(customer, "EUR"), 1_00, "EUR");

    String scrape =
        awaitScrapeContaining(
            "kafka_producer_record_send_total", "paystream_ledger_unbalanced ", "kafka_consumer_");

    assertThat(scrape)
        .contains(
            "paystream_transfers_pending_oldest_age_seconds",
            "paystream_outbox_backlog",
            "paystream_consumer_lag",
            "paystream_ledger_check_failures_total",
            "resilience4j_circuitbreaker_state{name=\"payout-provider\",state=\"closed\"} 1.0",
            "kafka_producer_",
            // Every Kafka consumer's (credit leg, sequencer, payout leg, webhooks, ...).
            "kafka_consumer_");
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardUseIsPublished() throws IOException {
    User customer = client.newCustomer();
    client.deposit(customer, client.openAccount(customer, "EUR"), 1_00, "EUR");
    String scrape = awaitScrapeContaining("kafka_producer_record_send_total");

    Set<String> used = new TreeSet<>();
    for (String file : new String[] {"alerts.yml", "grafana-dashboard.json"}) {
      Matcher names = METRIC_NAME.matcher(Files.readString(Path.of("..", "docs", "ops", file)));
      while (names.find()) {
        used.add(names.group());
      }
    }

    assertThat(used).hasSizeGreaterThan(10);
    // A name followed by '{' or ' ': a sample of that metric, not a prefix of another one.
    assertThat(used)
        .allSatisfy(name -> assertThat(scrape).as(name).containsPattern("(?m)^" + name + "[{ ]"));
  }

  @Test
  void theMainPortStillRefusesMetricsWithoutATokenAndServesThemToOps() {
    EntityExchangeResult<byte[]> anonymous =
        http.get().uri("/actuator/prometheus").exchange().expectBody().returnResult();
    assertThat(anonymous.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);

    EntityExchangeResult<byte[]> ops =
        http.get()
            .uri("/actuator/prometheus")
            .headers(h -> h.setBearerAuth(client.ops().token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();
    assertThat(ops.getResponseHeaders().getContentType().toString()).startsWith("text/plain");
    assertThat(new String(ops.getResponseBody(), StandardCharsets.UTF_8))
        .contains("paystream_outbox_backlog", "resilience4j_circuitbreaker_state");
  }

  @Test
  void healthAndItsGroupsAnswerTheSameOnBothPortsWithoutAToken() {
    for (String path :
        new String[] {
          "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"
        }) {
      EntityExchangeResult<byte[]> main =
          http.get().uri(path).exchange().expectBody().returnResult();
      EntityExchangeResult<byte[]> managed =
          management.get().uri(path).exchange().expectBody().returnResult();

      assertThat(main.getStatus()).as(path).isEqualTo(HttpStatus.OK);
      assertThat(main.getStatus()).as(path).isEqualTo(managed.getStatus());
      assertThat(main.getResponseHeaders().getContentType())
          .as(path)
          .isEqualTo(managed.getResponseHeaders().getContentType());
      assertThat(new String(main.getResponseBody(), StandardCharsets.UTF_8))
          .as(path)
          .isEqualTo(new String(managed.getResponseBody(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void anUnknownHealthGroupIsNotFoundOnTheMainPort() {
    http.get().uri("/actuator/health/" + UUID.randomUUID()).exchange().expectStatus().isNotFound();
  }

  @Test
  void theManagementPortServesOnlyTheExposedEndpoints() {
    management.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
    management.get().uri("/api/v1/accounts").exchange().expectStatus().isNotFound();
  }

  private String awaitScrapeContaining(String... wanted) {
    Instant deadline = Instant.now().plusSeconds(30);
    String scrape = "";
    while (Instant.now().isBefore(deadline)) {
      EntityExchangeResult<byte[]> result =
          management
              .get()
              .uri("/actuator/prometheus")
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody()
              .returnResult();
      assertThat(result.getResponseHeaders().getContentType().toString()).startsWith("text/plain");
      scrape = new String(result.getResponseBody(), StandardCharsets.UTF_8);
      String page = scrape;
      if (java.util.Arrays.stream(wanted).allMatch(page::contains)) {
        return scrape;
      }
      sleep(Duration.ofMillis(500));
    }
    assertThat(scrape).contains(wanted);
    return scrape;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
