package io.paystream.messaging.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SagaTracingTest {

  private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String UNSAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

  @Test
  void aWellFormedTraceparentIsValidAndItsFlagsSayWhetherItIsSampled() {
    assertThat(SagaTracing.valid(SAMPLED)).isTrue();
    assertThat(SagaTracing.sampled(SAMPLED)).isTrue();
    assertThat(SagaTracing.valid(UNSAMPLED)).isTrue();
    assertThat(SagaTracing.sampled(UNSAMPLED)).isFalse();
  }

  @Test
  void anythingElseIsNotATraceparent() {
    assertThat(SagaTracing.valid(null)).isFalse();
    assertThat(SagaTracing.valid("")).isFalse();
    // All-zero ids are invalid by the W3C specification.
    assertThat(SagaTracing.valid("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).isFalse();
    assertThat(SagaTracing.valid("00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01"))
        .isFalse();
    // Upper-case hex, a short id, extra text (what could smuggle a field into a log line).
    assertThat(SagaTracing.valid(SAMPLED.toUpperCase())).isFalse();
    assertThat(SagaTracing.valid("00-4bf92f35-00f067aa0ba902b7-01")).isFalse();
    assertThat(SagaTracing.valid(SAMPLED + "\",\"userId\":\"x")).isFalse();
    assertThat(SagaTracing.sampled("00-4bf92f35-00f067aa0ba902b7-01")).isFalse();
  }

  @Test
  void aRecordCarriesTheTraceparentItWasGivenAndOnlyAWellFormedOneIsRead() {
    RecordHeaders headers = new RecordHeaders();
    SagaTracing.set(headers, null);
    assertThat(headers.toArray()).isEmpty();
    SagaTracing.set(headers, UNSAMPLED);
    SagaTracing.set(headers, SAMPLED);
    assertThat(headers.headers(SagaTracing.TRACEPARENT)).hasSize(1);
    assertThat(SagaTracing.traceParent(headers)).isEqualTo(SAMPLED);

    RecordHeaders forged = new RecordHeaders();
    forged.add(SagaTracing.TRACEPARENT, "not-a-trace".getBytes(StandardCharsets.US_ASCII));
    assertThat(SagaTracing.traceParent(forged)).isNull();
  }

  @Test
  void withTracingOffNoSpanIsMadeAndTheTraceIsPassedOnAsItCame() {
    SagaTracing off = SagaTracing.off();
    Span span = off.child(SAMPLED, "credit leg", Span.Kind.CONSUMER);
    assertThat(SagaTracing.passedOn(span, SAMPLED)).isEqualTo(SAMPLED);
    assertThat(off.child(UNSAMPLED, "credit leg", Span.Kind.CONSUMER)).isNull();
    assertThat(off.child(null, "credit leg", Span.Kind.CONSUMER)).isNull();
  }
}
