package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Hardening that holds for every response, success or error: never cached, never type-sniffed,
 * cross-origin only from the configured allow-list, and no internals in any body.
 */
class SecurityHeadersIntegrationTest extends ApiIntegrationTest {

  @Test
  void successesAndEveryKindOfErrorAreNeitherCachedNorSniffed() {
    User alice = client.newCustomer();
    assertHardened(
        http.get()
            .uri("/api/v1/me")
            .headers(h -> h.setBearerAuth(alice.token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult());
    assertHardened(
        http.get()
            .uri("/api/v1/me")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .returnResult());
    assertHardened(
        http.get()
            .uri("/api/v1/ops/stats")
            .headers(h -> h.setBearerAuth(alice.token()))
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .returnResult());
    assertHardened(
        http.get()
            .uri("/api/v1/accounts/{id}", UUID.randomUUID())
            .headers(h -> h.setBearerAuth(alice.token()))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .returnResult());
    assertHardened(
        http.post()
            .uri("/api/v1/accounts")
            .headers(h -> h.setBearerAuth(alice.token()))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"currency\": 12}")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .returnResult());
    assertHardened(
        http.post()
            .uri("/api/v1/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("x".repeat(70_000))
            .exchange()
            .expectStatus()
            .isEqualTo(413)
            .expectBody()
            .returnResult());
    assertHardened(
        http.get()
            .uri("/api/v1/no-such-thing")
            .headers(h -> h.setBearerAuth(alice.token()))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .returnResult());
  }

  @Test
  void anAllowedOriginGetsAPreflightAnswerNamingOnlyItself() {
    EntityExchangeResult<byte[]> preflight = preflight(ALLOWED_ORIGIN);

    HttpHeaders headers = preflight.getResponseHeaders();
    assertThat(preflight.getStatus().is2xxSuccessful()).isTrue();
    assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(ALLOWED_ORIGIN);
    assertThat(headers.getAccessControlAllowHeaders())
        .map(String::toLowerCase)
        .contains("authorization", "idempotency-key");
    assertThat(headers.getAccessControlAllowCredentials()).isFalse();
  }

  @Test
  void anOriginNotOnTheAllowListGetsNoCrossOriginAccess() {
    EntityExchangeResult<byte[]> preflight = preflight("https://evil.example");
    EntityExchangeResult<byte[]> simple =
        http.get()
            .uri("/api/v1/me")
            .header(HttpHeaders.ORIGIN, "https://evil.example")
            .exchange()
            .expectBody()
            .returnResult();

    assertThat(preflight.getStatus().value()).isEqualTo(403);
    assertThat(preflight.getResponseHeaders().getAccessControlAllowOrigin()).isNull();
    assertThat(simple.getResponseHeaders().getAccessControlAllowOrigin()).isNull();
  }

  @Test
  void errorBodiesNeverCarryExceptionTextSqlOrClassNames() {
    User alice = client.newCustomer();
    String[] bodies = {
      "{\"currency\": \"EUR\"",
      "{\"currency\": [1,2]}",
      "{\"currency\": \"EUR\"," + " \"x\": 1}",
      "{\"currency\": \"EUR'; DROP TABLE account; --\"}",
      "[".repeat(100) + "]".repeat(100)
    };
    for (String body : bodies) {
      String text =
          new String(
              http.post()
                  .uri("/api/v1/accounts")
                  .headers(h -> h.setBearerAuth(alice.token()))
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(body)
                  .exchange()
                  .expectStatus()
                  .isBadRequest()
                  .expectBody()
                  .returnResult()
                  .getResponseBody());
      assertThat(text)
          .doesNotContainIgnoringCase("exception")
          .doesNotContain("tools.jackson")
          .doesNotContain("io.paystream")
          .doesNotContainIgnoringCase("sql")
          .doesNotContain("at [Source");
    }
  }

  private EntityExchangeResult<byte[]> preflight(String origin) {
    return http.method(HttpMethod.OPTIONS)
        .uri("/api/v1/transfers")
        .header(HttpHeaders.ORIGIN, origin)
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,idempotency-key")
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static void assertHardened(EntityExchangeResult<byte[]> result) {
    HttpHeaders headers = result.getResponseHeaders();
    assertThat(headers.getFirst("X-Content-Type-Options"))
        .as(result.toString())
        .isEqualTo("nosniff");
    assertThat(headers.getCacheControl()).as(result.toString()).contains("no-store");
    assertThat(headers.getFirst("X-Request-Id")).as(result.toString()).isNotBlank();
  }
}
