package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests refused before any handler runs (by the HTTP codec, the security firewall, the CORS
 * policy) answer problem+json like every other error, with an X-Request-Id. Sent over a raw socket:
 * a real client will not send most of these.
 */
class MalformedRequestIntegrationTest extends ApiIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aControlCharacterInAHeaderIsAMalformedRequest() throws IOException {
    assertProblem(send("/api/v1/me", Map.of("Accept", "a\u0000b")), 400, "malformed_request");
  }

  @Test
  void headersOverTheLimitAreRefusedAsTooLarge() throws IOException {
    assertProblem(
        send("/api/v1/me", Map.of("X-Padding", "a".repeat(10_000))), 431, "headers_too_large");
  }

  @Test
  void anOverlongUriIsRefusedAsTooLong() throws IOException {
    assertProblem(send("/api/v1/accounts/" + "a".repeat(5_000), Map.of()), 414, "uri_too_long");
  }

  @Test
  void aMalformedPercentEncodingIsAMalformedRequest() throws IOException {
    assertProblem(send("/api/v1/accounts/%G1", Map.of()), 400, "malformed_request");
  }

  @Test
  void anEncodedPercentSignRefusedByTheFirewallIsAMalformedRequest() throws IOException {
    assertProblem(send("/api/v1/accounts/%25/close", Map.of()), 400, "malformed_request");
  }

  @Test
  void aRequestFromAnOriginTheCorsPolicyRefusesIsForbidden() throws IOException {
    assertProblem(send("/api/v1/me", Map.of("Origin", "https://evil.example")), 403, "forbidden");
  }

  @Test
  void aBlankPathIdIsAValidationFailureNotAServerError() throws IOException {
    String token = client.newCustomer().token();

    JsonNode problem =
        assertProblem(
            send("/api/v1/transfers/%20", Map.of("Authorization", "Bearer " + token)),
            400,
            "validation_failed");

    assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("id");
  }

  private RawHttp.Response send(String target, Map<String, String> headers) throws IOException {
    return RawHttp.send(
        port,
        RawHttp.request("GET", target, new LinkedHashMap<>(headers), null),
        Duration.ofSeconds(10));
  }

  private static JsonNode assertProblem(RawHttp.Response response, int status, String code) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.header("X-Request-Id")).isNotBlank();
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("code").asString()).isEqualTo(code);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asString()).isNotBlank();
    return problem;
  }
}
