package io.paystream.messaging.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.persistence.outbox.UndecodableEventException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Counts the messages a consumer skipped because they are not money events this version can read
 * ({@code paystream_consumer_undecodable_total{consumer}}). Every consumer decodes through the same
 * envelope, so a message undecodable for one is undecodable for all; the credit leg, which reads
 * every message, dead-letters it, and the others skip it and count it here. Nothing is dropped
 * silently: the count and the dead letter both show it.
 */
@Component
public class UndecodableEvents {

  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public UndecodableEvents(MeterRegistry meters) {
    this.meters = meters;
  }

  /** {@code consumer} skipped a message it could not decode. */
  public void skipped(String consumer, UndecodableEventException undecodable) {
    counters
        .computeIfAbsent(
            consumer,
            name ->
                Counter.builder("paystream.consumer.undecodable")
                    .description(
                        "messages skipped as undecodable (the credit leg dead-letters them)")
                    .tag("consumer", name)
                    .register(meters))
        .increment();
  }
}
