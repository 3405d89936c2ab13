package io.paystream.persistence.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.Ids;
import io.paystream.persistence.notify.PostgresChannels;
import io.paystream.persistence.testing.PersistenceTestApplication;
import io.paystream.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A batch of events is sequenced in one statement: in list order, each event once, announced. */
@SpringBootTest(classes = PersistenceTestApplication.class)
class EventLogAppendIntegrationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired EventLogStore eventLog;
  @Autowired PostgresChannels channels;

  @Test
  void aBatchIsSequencedInListOrderEachEventOnceWithItsFieldsIntact() {
    UUID account = Ids.newId();
    Instant occurred = Instant.now().truncatedTo(ChronoUnit.MICROS);
    NewEvent first = event("transfer.pending", account, Ids.newId(), occurred);
    NewEvent deposit = event("deposit.completed", account, null, occurred.plusMillis(1));
    NewEvent last = event("transfer.completed", account, Ids.newId(), occurred.plusMillis(2));
    long before = eventLog.maxSeq().block(PATIENCE);

    StepVerifier.create(eventLog.append(List.of(first, deposit, first, last), Instant.now()))
        .expectNext(3L)
        .verifyComplete();
    StepVerifier.create(eventLog.append(List.of(deposit, last), Instant.now()))
        .as("a redelivered batch inserts nothing")
        .expectNext(0L)
        .verifyComplete();

    List<EventLogRow> rows =
        eventLog.afterForAccount(account, before, 10).collectList().block(PATIENCE);
    assertThat(rows)
        .extracting(EventLogRow::eventId)
        .containsExactly(first.eventId(), deposit.eventId(), last.eventId());
    assertThat(rows).extracting(EventLogRow::seq).isSorted().doesNotHaveDuplicates();
    EventLogRow sequencedDeposit = rows.get(1);
    assertThat(sequencedDeposit.type()).isEqualTo("deposit.completed");
    assertThat(sequencedDeposit.otherAccountId()).isNull();
    assertThat(sequencedDeposit.data()).isEqualTo(deposit.data());
    assertThat(sequencedDeposit.occurredAt()).isEqualTo(deposit.occurredAt());
    assertThat(rows.get(2).otherAccountId()).isEqualTo(last.otherAccountId());
  }

  @Test
  void anAppendAnnouncesItselfOnTheEventLogChannelAtCommit() {
    Sinks.One<Boolean> listening = Sinks.one();
    Mono<String> announced =
        channels
            .listen(
                EventLogStore.CHANNEL,
                up -> {
                  if (up) {
                    listening.tryEmitValue(true);
                  }
                })
            .next();
    NewEvent event = event("deposit.completed", Ids.newId(), null, Instant.now());

    StepVerifier.create(announced)
        .then(
            () ->
                listening
                    .asMono()
                    .flatMap(up -> eventLog.append(List.of(event), Instant.now()))
                    .subscribe())
        .expectNext("")
        .expectComplete()
        .verify(PATIENCE);
  }

  private static NewEvent event(String type, UUID account, UUID other, Instant occurred) {
    UUID id = Ids.newId();
    return new NewEvent(
        id,
        type,
        Ids.newId(),
        account,
        other,
        "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"note\":\"it's \\\"quoted\\\"\"}",
        occurred);
  }
}
