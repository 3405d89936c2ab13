package io.paystream.messaging;

import io.paystream.messaging.credit.CreditLegConsumer;
import io.paystream.messaging.credit.PendingTransfers;
import io.paystream.messaging.kafka.KafkaAdmin;
import io.paystream.messaging.recent.RecentEntriesUpdater;
import io.paystream.messaging.relay.OutboxPurge;
import io.paystream.messaging.relay.OutboxRelay;
import io.paystream.persistence.notify.PostgresChannels;
import io.paystream.persistence.outbox.OutboxStore;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * The money path's background work: the outbox relay and the purge of what it has sent, the
 * credit-leg consumer (the one pass every event takes), the repair of recent-entries updates that
 * Redis refused, and the probe of the oldest PENDING transfer that makes a stall of either visible.
 */
@Component
@ConditionalOnProperty(
    name = "paystream.messaging.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class MessagingLifecycle extends BackgroundStreams {

  private final OutboxRelay relay;
  private final OutboxPurge purge;
  private final PostgresChannels notifications;
  private final CreditLegConsumer consumer;
  private final PendingTransfers pending;
  private final RecentEntriesUpdater recent;
  private final MessagingProperties properties;

  public MessagingLifecycle(
      KafkaAdmin admin,
      OutboxRelay relay,
      OutboxPurge purge,
      PostgresChannels notifications,
      CreditLegConsumer consumer,
      PendingTransfers pending,
      RecentEntriesUpdater recent,
      MessagingProperties properties) {
    super(admin, properties);
    this.relay = relay;
    this.purge = purge;
    this.notifications = notifications;
    this.consumer = consumer;
    this.pending = pending;
    this.recent = recent;
    this.properties = properties;
  }

  @Override
  protected Map<String, Flux<?>> streams() {
    // NOTIFY wakes the relay at each commit; the interval is the safety net for a lost one.
    Flux<Object> wakeUps =
        Flux.merge(
            notifications.listen(OutboxStore.CHANNEL),
            Flux.interval(Duration.ZERO, properties.outboxPollInterval()));
    return Map.of(
        "outbox relay",
        relay.run(wakeUps),
        "outbox purge",
        purge.run(),
        "credit-leg consumer",
        consumer.run(),
        "oldest-pending probe",
        pending.run(),
        "recent-entries repair",
        recent.repair());
  }
}
