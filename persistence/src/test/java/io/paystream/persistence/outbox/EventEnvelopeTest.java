package io.paystream.persistence.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.domain.Deposit;
import io.paystream.domain.Hold;
import io.paystream.domain.HoldStatus;
import io.paystream.domain.Iban;
import io.paystream.domain.Ids;
import io.paystream.domain.Metadata;
import io.paystream.domain.Money;
import io.paystream.domain.MoneyEvent;
import io.paystream.domain.Transfer;
import io.paystream.domain.Withdrawal;
import io.paystream.persistence.outbox.EventEnvelope.Received;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the one envelope writes, it reads back; what it cannot read, it says so. */
class EventEnvelopeTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.123456Z");
  private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

  private final EventEnvelope envelope = new EventEnvelope(JSON);

  @Test
  void everyKindOfEventReadsBackAsItWasWritten() {
    Transfer transfer =
        Transfer.accept(
            Ids.newId(), Ids.newId(), Money.of(2_550, "EUR"), "rent", Metadata.NONE, null, NOW);
    Withdrawal withdrawal =
        Withdrawal.accept(
            Ids.newId(),
            Ids.newId(),
            Money.of(7, "JPY"),
            Iban.parse("DE89370400440532013000"),
            Metadata.NONE,
            NOW);
    List<MoneyEvent> events =
        List.of(
            MoneyEvent.of(transfer, NOW),
            MoneyEvent.of(transfer.fail("recipient account is closed", NOW), NOW),
            MoneyEvent.of(withdrawal.processing(NOW), NOW),
            MoneyEvent.of(
                new Deposit(Ids.newId(), Ids.newId(), Money.of(1, "KWD"), null, Metadata.NONE, NOW),
                NOW),
            MoneyEvent.of(hold(HoldStatus.HELD, null, null), NOW),
            MoneyEvent.of(hold(HoldStatus.CAPTURED, 300L, Ids.newId()), NOW),
            MoneyEvent.of(hold(HoldStatus.EXPIRED, null, null), NOW));

    for (MoneyEvent event : events) {
      Received received = envelope.read(payload(event));

      assertThat(received.event()).isEqualTo(event);
    }
  }

  private static Hold hold(HoldStatus status, Long captured, UUID transfer) {
    return new Hold(
        Ids.newId(),
        Ids.newId(),
        Ids.newId(),
        Money.of(500, "EUR"),
        "hotel",
        Metadata.of(Map.of("booking", "B-7")),
        status,
        captured,
        transfer,
        NOW.plusSeconds(3_600),
        NOW,
        NOW);
  }

  @Test
  void aHoldsDataIsItsPublicJson() {
    MoneyEvent event = MoneyEvent.of(hold(HoldStatus.CAPTURED, 300L, Ids.newId()), NOW);

    JsonNode data = JSON.readTree(envelope.read(payload(event)).data());

    assertThat(event.type()).isEqualTo("hold.captured");
    assertThat(data.propertyNames())
        .containsExactlyInAnyOrder(
            "id",
            "fromAccountId",
            "toAccountId",
            "amount",
            "currency",
            "description",
            "metadata",
            "status",
            "capturedAmount",
            "transferId",
            "expiresAt",
            "createdAt",
            "updatedAt");
    assertThat(data.get("capturedAmount").asLong()).isEqualTo(300);
    assertThat(data.get("status").asString()).isEqualTo("CAPTURED");
  }

  @Test
  void theDataIsTheResourcesPublicJsonWithTheContractsMemberNames() {
    Transfer transfer =
        Transfer.accept(
            Ids.newId(),
            Ids.newId(),
            Money.of(2_550, "EUR"),
            "rent",
            Metadata.of(Map.of("orderId", "A-1")),
            null,
            NOW);

    JsonNode data = JSON.readTree(envelope.read(payload(MoneyEvent.of(transfer, NOW))).data());

    assertThat(data.propertyNames())
        .containsExactlyInAnyOrder(
            "id",
            "fromAccountId",
            "toAccountId",
            "amount",
            "currency",
            "description",
            "metadata",
            "refundOf",
            "status",
            "failureReason",
            "createdAt",
            "updatedAt");
    assertThat(data.get("amount").asLong()).isEqualTo(2_550);
    assertThat(data.get("metadata").get("orderId").asString()).isEqualTo("A-1");
    assertThat(data.get("status").asString()).isEqualTo("PENDING");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{this is not an event",
        "{}",
        "null",
        "[]",
        // An unknown type.
        "{\"eventId\":\"0193a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b\",\"type\":\"transfer.exploded\","
            + "\"key\":\"k\",\"occurredAt\":\"2026-12-07T10:00:00Z\",\"data\":\"{}\"}",
        "{\"eventId\":\"0193a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b\",\"type\":\"loan.granted\","
            + "\"key\":\"k\",\"occurredAt\":\"2026-12-07T10:00:00Z\",\"data\":\"{}\"}"
      })
  void somethingThatIsNotAMoneyEventIsUndecodable(String payload) {
    assertThatThrownBy(() -> envelope.read(payload)).isInstanceOf(UndecodableEventException.class);
  }

  @Test
  void anEnvelopeWhoseTypeOrKeyDisagreesWithItsResourceIsUndecodable() {
    Transfer transfer =
        Transfer.accept(
            Ids.newId(), Ids.newId(), Money.of(1, "EUR"), null, Metadata.NONE, null, NOW);
    OutboxEvent written = envelope.write(MoneyEvent.of(transfer, NOW));

    OutboxEvent wrongType =
        new OutboxEvent(
            written.eventId(),
            "transfer.completed",
            written.key(),
            written.occurredAt(),
            written.data());
    OutboxEvent wrongKey =
        new OutboxEvent(
            written.eventId(),
            written.type(),
            transfer.fromAccountId().toString(),
            written.occurredAt(),
            written.data());

    assertThatThrownBy(() -> envelope.read(JSON.writeValueAsString(wrongType)))
        .isInstanceOf(UndecodableEventException.class);
    assertThatThrownBy(() -> envelope.read(JSON.writeValueAsString(wrongKey)))
        .isInstanceOf(UndecodableEventException.class);
  }

  @Test
  void aResourceThatBreaksItsOwnRulesIsUndecodable() {
    Transfer transfer =
        Transfer.accept(
            Ids.newId(), Ids.newId(), Money.of(1, "EUR"), null, Metadata.NONE, null, NOW);
    OutboxEvent written = envelope.write(MoneyEvent.of(transfer, NOW));
    String zeroAmount = written.data().replace("\"amount\":1", "\"amount\":0");

    OutboxEvent broken =
        new OutboxEvent(
            written.eventId(), written.type(), written.key(), written.occurredAt(), zeroAmount);

    assertThat(zeroAmount).contains("\"amount\":0");
    assertThatThrownBy(() -> envelope.read(JSON.writeValueAsString(broken)))
        .isInstanceOf(UndecodableEventException.class);
  }

  private String payload(MoneyEvent event) {
    return JSON.writeValueAsString(envelope.write(event));
  }
}
