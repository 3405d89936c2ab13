package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.CapturedSpans;
import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * One transfer is one trace: the client's {@code traceparent} names it, the response answers it,
 * and the accept, the relay's send, the credit leg on the far side of Kafka and the SSE delivery of
 * the outcome are its spans, each a child of the one before.
 */
class TracingIntegrationTest extends ApiIntegrationTest {

  private static final Duration SETTLED = Duration.ofSeconds(30);

  private final Parties.Customers customers = new Parties.Customers();

  @Test
  void aTransferIsOneTraceFromTheClientsTraceparentAcrossKafkaToTheCreditLeg() {
    Parties parties = customers.open(client, "EUR", 100_00);
    String traceId = hex(16);
    String clientSpanId = hex(8);
    CapturedSpans.watch(traceId);

    EntityExchangeResult<byte[]> accepted =
        http.post()
            .uri("/api/v1/transfers")
            .headers(headers -> headers.setBearerAuth(parties.alice().token()))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .header("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "fromAccountId",
                    parties.aliceAccount().toString(),
                    "toAccountId",
                    parties.bobAccount().toString(),
                    "amount",
                    25_00,
                    "currency",
                    "EUR"))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(accepted.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    String answered = accepted.getResponseHeaders().getFirst("traceparent");
    assertThat(answered).as("the response's traceparent").startsWith("00-" + traceId + "-");
    UUID transfer = UUID.fromString(PaystreamClient.json(accepted).get("id").asString());
    assertThat(client.awaitTerminal(parties.alice(), transfer, SETTLED).get("status").asString())
        .isEqualTo("COMPLETED");

    List<SpanData> spans =
        Eventually.await(
            SETTLED,
            "the accept, relay and credit spans of trace " + traceId,
            () -> CapturedSpans.of(traceId),
            found -> credit(found) != null);
    SpanData accept =
        spans.stream()
            .filter(span -> span.getKind() == SpanKind.SERVER)
            .filter(span -> span.getParentSpanId().equals(clientSpanId))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no server span under the client's: " + spans));
    assertThat(answered).isEqualTo("00-" + traceId + "-" + accept.getSpanId() + "-01");
    SpanData relay =
        spans.stream()
            .filter(span -> span.getName().equals("outbox relay"))
            .filter(span -> span.getParentSpanId().equals(accept.getSpanId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no relay span under the accept: " + spans));
    assertThat(relay.getKind()).isEqualTo(SpanKind.PRODUCER);
    SpanData credit = credit(spans);
    assertThat(credit.getParentSpanId()).as("the credit leg's parent").isEqualTo(relay.getSpanId());
    assertThat(credit.getAttributes().asMap().toString())
        .contains("paystream.outcome=COMPLETED")
        .contains(transfer.toString());
  }

  private static SpanData credit(List<SpanData> spans) {
    return spans.stream()
        .filter(span -> span.getName().equals("credit leg"))
        .filter(span -> span.getKind() == SpanKind.CONSUMER)
        .findFirst()
        .orElse(null);
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    random[0] |= 1; // never all zero
    return HexFormat.of().formatHex(random);
  }
}
