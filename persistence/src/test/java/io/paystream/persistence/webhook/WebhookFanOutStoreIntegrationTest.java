package io.paystream.persistence.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.domain.Account;
import io.paystream.domain.Ids;
import io.paystream.persistence.account.AccountStore;
import io.paystream.persistence.testing.PersistenceTestApplication;
import io.paystream.persistence.testing.TestDatabase;
import io.paystream.persistence.user.UserRecord;
import io.paystream.persistence.user.UserStore;
import io.paystream.persistence.webhook.WebhookStore.Enqueued;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.test.StepVerifier;

/** {@link WebhookStore#enqueueAll}: a batch of events, each delivered to whoever subscribed. */
@SpringBootTest(classes = PersistenceTestApplication.class)
class WebhookFanOutStoreIntegrationTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Instant HORIZON = Instant.parse("2099-01-01T00:00:00Z");

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired WebhookStore webhooks;
  @Autowired UserStore users;
  @Autowired AccountStore accounts;
  @Autowired DatabaseClient db;

  private Account alices;
  private Account bobs;
  private Account carols;
  private UUID exact;
  private UUID family;

  @BeforeEach
  void threeOwnersTwoOfThemSubscribed() {
    alices = accounts.open(newUser(), EUR).block(PATIENCE);
    bobs = accounts.open(newUser(), EUR).block(PATIENCE);
    carols = accounts.open(newUser(), EUR).block(PATIENCE);
    exact = endpoint(alices.ownerId(), List.of("transfer.completed"));
    family = endpoint(bobs.ownerId(), List.of("transfer.*"));
  }

  @Test
  void eachEventOfABatchReachesTheEndpointsThatSubscribedToItsTypeOrFamily() {
    Enqueued pending = event("transfer.pending", alices, bobs);
    Enqueued completed = event("transfer.completed", alices, bobs);
    Enqueued carolsOnly = event("transfer.completed", carols);
    Enqueued deposit = event("deposit.completed", alices);

    webhooks
        .enqueueAll(List.of(pending, completed, carolsOnly, deposit), HORIZON)
        .as(StepVerifier::create)
        .expectNext(3L)
        .verifyComplete();

    assertThat(deliveries(pending.eventId())).containsExactly(family);
    assertThat(deliveries(completed.eventId())).containsExactlyInAnyOrder(exact, family);
    assertThat(deliveries(carolsOnly.eventId())).isEmpty();
    assertThat(deliveries(deposit.eventId())).isEmpty();
  }

  @Test
  void oneEndpointGetsOneDeliveryPerEventWhenItsOwnerIsBothParties() {
    Account alicesOther = accounts.open(alices.ownerId(), EUR).block(PATIENCE);
    Enqueued between = event("transfer.completed", alices, alicesOther);

    webhooks
        .enqueueAll(List.of(between), HORIZON)
        .as(StepVerifier::create)
        .expectNext(1L)
        .verifyComplete();
    assertThat(deliveries(between.eventId())).containsExactly(exact);
  }

  @Test
  void aRedeliveredBatchAddsNothing() {
    List<Enqueued> batch = List.of(event("transfer.completed", alices, bobs));
    webhooks.enqueueAll(batch, HORIZON).block(PATIENCE);

    webhooks.enqueueAll(batch, HORIZON).as(StepVerifier::create).expectNext(0L).verifyComplete();
    assertThat(deliveries(batch.get(0).eventId())).hasSize(2);
  }

  @Test
  void aDeletedEndpointGetsNoMoreDeliveries() {
    webhooks.delete(family, bobs.ownerId()).block(PATIENCE);
    Enqueued completed = event("transfer.completed", alices, bobs);

    webhooks
        .enqueueAll(List.of(completed), HORIZON)
        .as(StepVerifier::create)
        .expectNext(1L)
        .verifyComplete();
    assertThat(deliveries(completed.eventId())).containsExactly(exact);
  }

  @Test
  void eventsNamingNoAccountCreateNothing() {
    webhooks
        .enqueueAll(
            List.of(new Enqueued(Ids.newId(), "transfer.completed", List.of(), "{}")), HORIZON)
        .as(StepVerifier::create)
        .expectNext(0L)
        .verifyComplete();
  }

  private Enqueued event(String type, Account... parties) {
    return new Enqueued(
        Ids.newId(),
        type,
        Arrays.stream(parties).map(Account::id).toList(),
        "{\"type\":\"" + type + "\"}");
  }

  private List<UUID> deliveries(UUID eventId) {
    return db.sql("SELECT endpoint_id FROM webhook_delivery WHERE event_id = :event")
        .bind("event", eventId)
        .map(row -> row.get("endpoint_id", UUID.class))
        .all()
        .collectList()
        .block(PATIENCE);
  }

  private UUID endpoint(UUID owner, List<String> events) {
    UUID id = Ids.newId();
    webhooks
        .create(id, owner, "https://hooks.example.com/" + id, events, new byte[] {1, 2, 3})
        .block(PATIENCE);
    return id;
  }

  private UUID newUser() {
    UUID id = Ids.newId();
    users
        .insert(
            new UserRecord(
                id, id + "@example.com", "Owner", "x", List.of("CUSTOMER"), Instant.now()))
        .block(PATIENCE);
    return id;
  }
}
