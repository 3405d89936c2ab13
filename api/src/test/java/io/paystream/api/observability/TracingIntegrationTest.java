package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.paystream.api.live.LiveStatusIntegrationTest;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import reactor.core.Disposable;

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
    List<ServerSentEvent<String>> payeeSees = new CopyOnWriteArrayList<>();
    Disposable payeeStream =
        LiveStatusIntegrationTest.listen(
            port,
            parties.bob(),
            "/api/v1/accounts/" + parties.bobAccount() + "/events",
            null,
            payeeSees);

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

    try {
      Eventually.await(
          SETTLED,
          "the payee's stream to deliver transfer.completed",
          () -> payeeSees.stream().anyMatch(event -> "transfer.completed".equals(event.event())));
    } finally {
      payeeStream.dispose();
    }
    assertThat(payeeSees)
        .as("frames carry no trace")
        .allSatisfy(event -> assertThat(event.data()).doesNotContain(traceId));

    List<SpanData> spans =
        Eventually.await(
            SETTLED,
            "the accept, relay, credit and delivery spans of trace " + traceId,
            () -> CapturedSpans.of(traceId),
            found -> credit(found) != null && delivery(found, "transfer.completed") != null);
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

    // Both events are sequenced by the credit leg's pass, so both deliveries hang under it: the
    // outcome's event no longer goes round the outbox and Kafka a second time.
    SpanData delivered = delivery(spans, "transfer.completed");
    assertThat(parent(spans, delivered).getSpanId())
        .as("the completed event's delivery under the credit leg")
        .isEqualTo(credit.getSpanId());
    assertThat(spans)
        .as("one relay in the whole trace")
        .filteredOn(span -> span.getName().equals("outbox relay"))
        .hasSize(1);
  }

  private static SpanData delivery(List<SpanData> spans, String type) {
    return spans.stream()
        .filter(span -> span.getName().equals("sse delivery"))
        .filter(span -> span.getAttributes().asMap().toString().contains("=" + type))
        .findFirst()
        .orElse(null);
  }

  private static SpanData parent(List<SpanData> spans, SpanData child) {
    return spans.stream()
        .filter(span -> span.getSpanId().equals(child.getParentSpanId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no parent of " + child + " in " + spans));
  }

  @Test
  void aRequestWithoutAWellFormedTraceparentIsAnsweredWithATraceOfItsOwn() {
    PaystreamClient.User customer = client.newCustomer();
    String forged = "00-" + hex(16).toUpperCase() + "-" + hex(8) + "-01";
    List<String> answered = new java.util.ArrayList<>();
    for (String sent : new String[] {null, forged}) {
      EntityExchangeResult<byte[]> result =
          http.get()
              .uri("/api/v1/me")
              .headers(
                  headers -> {
                    headers.setBearerAuth(customer.token());
                    if (sent != null) {
                      headers.set("traceparent", sent);
                    }
                  })
              .exchange()
              .expectBody()
              .returnResult();
      assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
      answered.add(result.getResponseHeaders().getFirst("traceparent"));
    }
    assertThat(answered)
        .allSatisfy(
            traceParent -> assertThat(traceParent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"))
        .noneSatisfy(
            traceParent -> assertThat(traceParent.toUpperCase()).contains(forged.substring(3, 35)));
    assertThat(answered.get(0).substring(3, 35)).isNotEqualTo(answered.get(1).substring(3, 35));
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
