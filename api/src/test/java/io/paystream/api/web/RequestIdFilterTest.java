package io.paystream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdFilterTest {

  @Test
  void aWellFormedTraceparentGivesItsTraceId() {
    assertThat(RequestIdFilter.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void anythingElseIsNotLoggedAsATraceId() {
    assertThat(RequestIdFilter.traceId(null)).isNull();
    assertThat(RequestIdFilter.traceId("")).isNull();
    // The all-zero trace id is invalid by the W3C specification.
    assertThat(RequestIdFilter.traceId("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).isNull();
    // Upper-case hex, a short id, extra text (what could smuggle a fake field into a log line).
    assertThat(RequestIdFilter.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
        .isNull();
    assertThat(RequestIdFilter.traceId("00-4bf92f35-00f067aa0ba902b7-01")).isNull();
    assertThat(
            RequestIdFilter.traceId(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",\"userId\":\"x"))
        .isNull();
  }
}
