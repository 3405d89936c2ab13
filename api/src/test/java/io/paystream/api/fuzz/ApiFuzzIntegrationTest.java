package io.paystream.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every 500 is a defect. Every operation of the published OpenAPI document gets its valid request,
 * then {@link #CASES_PER_OPERATION} requests with one part replaced by something hostile (see
 * {@link Hostile}) or left out, from a seeded random source so a failure can be replayed ({@code
 * -Dpaystream.fuzz.seed=N}; {@code -Dpaystream.fuzz.cases=N} for a longer run). Requests go over a
 * raw socket, so nothing a real client would refuse to send is filtered out.
 *
 * <p>A request fails the test when it answers 5xx, when an error (4xx) is not an RFC 9457
 * problem+json object with the contract's members, or when no answer comes within {@link
 * #ANSWER_TIMEOUT}.
 */
class ApiFuzzIntegrationTest extends ApiIntegrationTest {

  static final long SEED = Long.getLong("paystream.fuzz.seed", 18L);
  static final int CASES_PER_OPERATION = Integer.getInteger("paystream.fuzz.cases", 40);

  /** Longer than the longest valid wait (Prefer: wait=10) plus a slow password hash. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  /** The published document lists this many operations today; fewer means it lost some. */
  static final int OPERATIONS_MIN = 32;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void noOperationAnswersAServerErrorOrAnErrorThatIsNotProblemJson() {
    JsonNode document =
        JSON.readTree(
            http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    List<FuzzOperation> operations = FuzzOperation.all(document);
    FuzzFixtures fixtures = FuzzFixtures.create(client, http);
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    List<String> validRequestsRefused = new ArrayList<>();
    int sent = 0;

    for (FuzzOperation operation : operations) {
      for (int i = 0; i <= CASES_PER_OPERATION; i++) {
        FuzzRequest request = FuzzRequest.of(operation, fixtures, random, i > 0);
        String failure = failure(request);
        sent++;
        if (failure == null) {
          continue;
        }
        if (failure.startsWith("valid request refused")) {
          validRequestsRefused.add(request + ": " + failure);
        } else {
          failures.add(request + ": " + failure);
        }
      }
    }

    assertThat(operations)
        .as("operations in /v3/api-docs")
        .hasSizeGreaterThanOrEqualTo(OPERATIONS_MIN);
    assertThat(failures).as("%d requests, seed %d", sent, SEED).isEmpty();
    // The valid requests must get past validation, or the mutations test nothing behind it.
    assertThat(validRequestsRefused).as("valid requests answered 400 or 401").isEmpty();
  }

  /** Why the answer to {@code request} is a defect, or null. */
  private String failure(FuzzRequest request) {
    RawHttp.Response response;
    try {
      response = RawHttp.send(port, request.bytes(), ANSWER_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      return "no answer: " + e;
    }
    int status = response.status();
    if (status >= 500) {
      return "answered " + status + " " + abbreviated(response.text());
    }
    if (status < 400) {
      return null;
    }
    String problem = problemDefect(response);
    if (problem != null) {
      return "answered " + status + " " + problem;
    }
    if (request.mutation().equals("none") && (status == 400 || status == 401)) {
      return "valid request refused with " + status + " " + abbreviated(response.text());
    }
    return null;
  }

  /** What keeps an error answer from being the contract's problem+json, or null. */
  private static String problemDefect(RawHttp.Response response) {
    String type = response.header("Content-Type");
    if (type == null || !type.startsWith("application/problem+json")) {
      return "with content type " + type + ": " + abbreviated(response.text());
    }
    JsonNode problem;
    try {
      problem = JSON.readTree(response.body());
    } catch (RuntimeException e) {
      return "with a body that is not JSON: " + abbreviated(response.text());
    }
    for (String member : List.of("type", "title", "detail", "code")) {
      if (!problem.path(member).isString()) {
        return "without problem member " + member + ": " + abbreviated(response.text());
      }
    }
    if (problem.path("status").asInt() != response.status()) {
      return "with problem status " + problem.path("status") + ": " + abbreviated(response.text());
    }
    return null;
  }

  private static String abbreviated(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
