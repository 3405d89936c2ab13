package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.Parties;
import io.paystream.api.testing.PaystreamClient;
import io.paystream.messaging.credit.CreditLegConsumer;
import io.paystream.persistence.testing.Eventually;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A transfer's trace id, as the client reads it from the {@code traceparent} response header, leads
 * through the logs: to the request's access line and, across the Kafka hop, to the credit leg's
 * line for that transfer. The client's trace is unsampled ({@code -00}), the common case in
 * production (10 % sampling): the id is carried all the same, without spans.
 */
@ExtendWith(OutputCaptureExtension.class)
class TraceIdInLogsIntegrationTest extends ApiIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Parties.Customers CUSTOMERS = new Parties.Customers();
  private static final String CREDIT_LOGGER = CreditLegConsumer.class.getName();

  @Autowired LoggingSystem logging;

  @BeforeEach
  void logAccessAndCredits() {
    logging.setLogLevel(AccessLog.LOGGER, LogLevel.DEBUG);
    logging.setLogLevel(CREDIT_LOGGER, LogLevel.DEBUG);
  }

  @AfterEach
  void quietAgain() {
    logging.setLogLevel(AccessLog.LOGGER, null);
    logging.setLogLevel(CREDIT_LOGGER, null);
  }

  @Test
  void theResponsesTraceIdLeadsToTheAccessLineAndTheCreditLegsLine(CapturedOutput output) {
    Parties parties = CUSTOMERS.open(client, "EUR", 10_000);
    String traceId = HexFormat.of().formatHex(randomBytes(16));
    EntityExchangeResult<byte[]> accepted =
        http.post()
            .uri("/api/v1/transfers")
            .headers(h -> h.setBearerAuth(parties.alice().token()))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .header(
                "traceparent",
                "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-00")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "fromAccountId",
                    parties.aliceAccount().toString(),
                    "toAccountId",
                    parties.bobAccount().toString(),
                    "amount",
                    700,
                    "currency",
                    "EUR"))
            .exchange()
            .expectBody()
            .returnResult();
    assertThat(accepted.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    String answered = accepted.getResponseHeaders().getFirst("traceparent");
    assertThat(answered).as("the response's traceparent").startsWith("00-" + traceId + "-");
    UUID transfer = UUID.fromString(PaystreamClient.json(accepted).get("id").asString());
    client.awaitTerminal(parties.alice(), transfer, Duration.ofSeconds(30));

    String creditLine = "credit leg: transfer " + transfer + " COMPLETED";
    Eventually.await(
        Duration.ofSeconds(10),
        "the credit leg's line",
        () -> output.getOut().contains(creditLine));
    List<JsonNode> traced =
        Arrays.stream(output.getOut().split("\\R"))
            .filter(line -> line.startsWith("{"))
            .map(JSON::readTree)
            .filter(line -> traceId.equals(text(line, "traceId")))
            .toList();
    assertThat(traced)
        .as("the lines with the response's trace id")
        .anySatisfy(line -> assertThat(text(line, "message")).contains("/api/v1/transfers"))
        .anySatisfy(
            line -> {
              assertThat(text(line, "message")).isEqualTo(creditLine);
              assertThat(text(line, "transferId")).isEqualTo(transfer.toString());
            });
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    ThreadLocalRandom.current().nextBytes(bytes);
    bytes[0] |= 1; // never the all-zero id W3C calls invalid
    return bytes;
  }

  private static String text(JsonNode line, String field) {
    JsonNode value = line.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
