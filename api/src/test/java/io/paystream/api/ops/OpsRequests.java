package io.paystream.api.ops;

import static io.paystream.api.testing.PaystreamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.PaystreamClient.User;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The checks every OPS endpoint's test makes: its refusals, and reading a page. */
final class OpsRequests {

  private final WebTestClient http;
  private final int port;

  OpsRequests(WebTestClient http, int port) {
    this.http = http;
    this.port = port;
  }

  /** {@code path} sent as written: percent-escapes (%01) reach the server undecoded by the test. */
  EntityExchangeResult<byte[]> get(String token, String path) {
    return http.get()
        .uri(URI.create("http://localhost:" + port + path))
        .headers(
            h -> {
              if (token != null) {
                h.setBearerAuth(token);
              }
            })
        .exchange()
        .expectBody()
        .returnResult();
  }

  /** 400 validation_failed, naming {@code field} (the first of the errors). */
  void assertBadRequest(User ops, String path, String field) {
    EntityExchangeResult<byte[]> result = get(ops.token(), path);
    assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.BAD_REQUEST);
    JsonNode problem = json(result);
    assertThat(problem.get("code").asString()).as(path).isEqualTo("validation_failed");
    assertThat(problem.get("errors").get(0).get("field").asString()).as(path).isEqualTo(field);
  }

  void assertForbiddenFor(User customer, String path) {
    EntityExchangeResult<byte[]> result = get(customer.token(), path);
    assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(result.getResponseHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(json(result).get("code").asString()).as(path).isEqualTo("forbidden");
  }

  void assertNeedsAToken(String path) {
    EntityExchangeResult<byte[]> result = get(null, path);
    assertThat(result.getStatus()).as(path).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
        .startsWith("Bearer");
    assertThat(json(result).get("code").asString()).as(path).isEqualTo("unauthorized");
  }

  /** Every item of every page, following nextCursor; fails past {@code pagesMax} pages. */
  static List<JsonNode> allPages(
      java.util.function.Function<String, JsonNode> fetch, String path, int pagesMax) {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String separator = path.contains("?") ? "&" : "?";
      JsonNode page = fetch.apply(path + (cursor == null ? "" : separator + "cursor=" + cursor));
      assertThat(page.propertyNames()).contains("items", "nextCursor");
      page.get("items").forEach(items::add);
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
      pages++;
      assertThat(pages).as("pages of " + path).isLessThanOrEqualTo(pagesMax);
    } while (cursor != null);
    return items;
  }

  static List<String> ids(JsonNode page) {
    return page.get("items").values().stream().map(t -> t.get("id").asString()).toList();
  }
}
