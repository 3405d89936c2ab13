package io.paystream.api.platform;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** CONTRACT.md, Conventions and Running: request ids, metrics and health probes. */
class PlatformIntegrationTest extends ApiIntegrationTest {

  private static final String REQUEST_ID = "X-Request-Id";

  @Test
  void everyKindOfResponseCarriesARequestId() {
    User customer = client.newCustomer();
    Map<String, Function<WebTestClient, EntityExchangeResult<byte[]>>> requests =
        Map.of(
            "200 me",
                h ->
                    h.get()
                        .uri("/api/v1/me")
                        .headers(x -> x.setBearerAuth(customer.token()))
                        .exchange()
                        .expectBody()
                        .returnResult(),
            "200 health",
                h -> h.get().uri("/actuator/health").exchange().expectBody().returnResult(),
            "201 register",
                h ->
                    h.post()
                        .uri("/api/v1/auth/register")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                            Map.of(
                                "email",
                                "rid-" + UUID.randomUUID() + "@example.com",
                                "password",
                                "a-long-enough-password",
                                "name",
                                "Request Id"))
                        .exchange()
                        .expectBody()
                        .returnResult(),
            "400 validation",
                h ->
                    h.post()
                        .uri("/api/v1/auth/register")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}")
                        .exchange()
                        .expectBody()
                        .returnResult(),
            "401 no token",
                h -> h.get().uri("/api/v1/accounts").exchange().expectBody().returnResult(),
            "403 forbidden",
                h ->
                    h.get()
                        .uri("/api/v1/ops/stats")
                        .headers(x -> x.setBearerAuth(customer.token()))
                        .exchange()
                        .expectBody()
                        .returnResult(),
            "404 account",
                h ->
                    h.get()
                        .uri("/api/v1/accounts/{id}", UUID.randomUUID())
                        .headers(x -> x.setBearerAuth(customer.token()))
                        .exchange()
                        .expectBody()
                        .returnResult(),
            "404 route",
                h ->
                    h.get()
                        .uri("/api/v1/no-such-thing")
                        .headers(x -> x.setBearerAuth(customer.token()))
                        .exchange()
                        .expectBody()
                        .returnResult());

    requests.forEach(
        (name, request) -> {
          EntityExchangeResult<byte[]> result = request.apply(http);
          assertThat(result.getResponseHeaders().getFirst(REQUEST_ID)).as(name).isNotBlank();
        });
    requests.forEach(
        (name, request) -> {
          String sent = "client-" + UUID.randomUUID();
          WebTestClient withId = http.mutate().defaultHeader(REQUEST_ID, sent).build();
          EntityExchangeResult<byte[]> result = request.apply(withId);
          assertThat(result.getResponseHeaders().getFirst(REQUEST_ID)).as(name).isEqualTo(sent);
        });
  }

  @Test
  void eachRequestWithoutAnIdGetsADifferentOne() {
    String first =
        http.get()
            .uri("/actuator/health")
            .exchange()
            .expectBody()
            .returnResult()
            .getResponseHeaders()
            .getFirst(REQUEST_ID);
    String second =
        http.get()
            .uri("/actuator/health")
            .exchange()
            .expectBody()
            .returnResult()
            .getResponseHeaders()
            .getFirst(REQUEST_ID);

    assertThat(first).isNotBlank().isNotEqualTo(second);
  }

  @Test
  void anUnsafeRequestIdIsReplacedRatherThanEchoed() {
    String unsafe = "x".repeat(200);

    String answered =
        http.get()
            .uri("/actuator/health")
            .header(REQUEST_ID, unsafe)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseHeaders()
            .getFirst(REQUEST_ID);

    assertThat(answered).isNotBlank().isNotEqualTo(unsafe);
  }

  @Test
  void prometheusNeedsATokenAndTheOpsRole() {
    EntityExchangeResult<byte[]> anonymous =
        http.get().uri("/actuator/prometheus").exchange().expectBody().returnResult();
    assertThat(anonymous.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(anonymous.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
        .startsWith("Bearer");
    assertThat(json(anonymous).get("code").asString()).isEqualTo("unauthorized");

    User customer = client.newCustomer();
    EntityExchangeResult<byte[]> forbidden =
        http.get()
            .uri("/actuator/prometheus")
            .headers(h -> h.setBearerAuth(customer.token()))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(forbidden.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(json(forbidden).get("code").asString()).isEqualTo("forbidden");
  }

  @Test
  void prometheusShowsTheTransferOutboxAndConsumerMetricsToOps() {
    User ops = client.ops();

    EntityExchangeResult<byte[]> result =
        http.get()
            .uri("/actuator/prometheus")
            .headers(h -> h.setBearerAuth(ops.token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();

    assertThat(result.getResponseHeaders().getContentType().toString()).startsWith("text/plain");
    String scrape = new String(result.getResponseBody(), StandardCharsets.UTF_8);
    assertThat(scrape)
        .contains(
            "paystream_transfer_accept", "paystream_outbox_backlog", "paystream_consumer_lag");
  }

  @Test
  void readinessSaysOnlyThatItIsUp() {
    JsonNode readiness =
        json(
            http.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult());

    assertThat(readiness.propertyNames()).containsExactly("status");
    assertThat(readiness.get("status").asString()).isEqualTo("UP");
  }

  @Test
  void otherActuatorEndpointsAreNotOpenToCustomers() {
    User customer = client.newCustomer();

    for (String path : new String[] {"/actuator", "/actuator/info", "/actuator/env"}) {
      EntityExchangeResult<byte[]> result =
          http.get()
              .uri(path)
              .headers(h -> h.setBearerAuth(customer.token()))
              .exchange()
              .expectBody()
              .returnResult();
      assertThat(result.getStatus().value()).as(path).isIn(403, 404);
      assertThat(
              new String(
                  result.getResponseBody() == null ? new byte[0] : result.getResponseBody(),
                  StandardCharsets.UTF_8))
          .as(path)
          .doesNotContain("paystream.jwt-secret")
          .doesNotContain("integration-test-secret");
    }
  }
}
