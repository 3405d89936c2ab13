package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

class LiveObservationsTest {

  private final ObservationPredicate predicate =
      new LiveObservations().noStreamRequestObservations();

  @Test
  void theThreeStreamPathsAreNotObserved() {
    assertThat(observed(MockServerHttpRequest.get("/api/v1/accounts/{id}/events", "a"))).isFalse();
    assertThat(observed(MockServerHttpRequest.get("/api/v1/transfers/{id}/events", "t"))).isFalse();
    assertThat(observed(MockServerHttpRequest.get("/api/v1/ops/events"))).isFalse();
  }

  @Test
  void everyOtherRequestAndObservationIsObserved() {
    assertThat(observed(MockServerHttpRequest.get("/api/v1/accounts/{id}", "a"))).isTrue();
    assertThat(observed(MockServerHttpRequest.post("/api/v1/ops/events"))).isTrue();
    assertThat(observed(MockServerHttpRequest.get("/api/v1/accounts/a/events/x"))).isTrue();
    assertThat(predicate.test("r2dbc.query", new Observation.Context())).isTrue();
  }

  private boolean observed(MockServerHttpRequest.BaseBuilder<?> request) {
    MockServerHttpRequest built = request.build();
    return predicate.test(
        "http.server.requests",
        new ServerRequestObservationContext(built, new MockServerHttpResponse(), new HashMap<>()));
  }
}
