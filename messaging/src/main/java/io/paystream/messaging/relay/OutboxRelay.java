package io.paystream.messaging.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.Topics;
import io.paystream.messaging.tracing.SagaTracing;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.outbox.OutboxStore;
import io.paystream.persistence.outbox.OutboxStore.OutboxRow;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;

/**
 * Sends outbox rows to Kafka, at least once, in id order per key. Each batch is one database
 * transaction: lock unsent rows ({@code FOR UPDATE SKIP LOCKED}, so several instances share the
 * work without sending a row twice concurrently), send them and wait for every acknowledgement,
 * mark them sent, commit. A failure anywhere rolls back and the rows are sent again later; the
 * consumers' inbox makes that repetition harmless. A row's trace goes on in its record's {@code
 * traceparent} header ({@link SagaTracing}).
 */
@Component
public class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** How stale the {@code paystream.outbox.backlog} gauge may be. */
  static final Duration BACKLOG_PROBE_INTERVAL = Duration.ofSeconds(1);

  private final OutboxStore outbox;
  private final KafkaSender<String, String> sender;
  private final TransactionalOperator transaction;
  private final MessagingProperties properties;
  private final Clock clock;
  private final SagaTracing tracing;
  private final Counter sent;
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong lastPassEnded = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
  private final AtomicLong backlogProbedAt =
      new AtomicLong(System.nanoTime() - BACKLOG_PROBE_INTERVAL.toNanos());

  public OutboxRelay(
      OutboxStore outbox,
      KafkaSender<String, String> sender,
      TransactionalOperator transaction,
      MessagingProperties properties,
      Clock clock,
      SagaTracing tracing,
      MeterRegistry meters) {
    this.outbox = outbox;
    this.tracing = tracing;
    this.sender = sender;
    this.transaction = transaction;
    this.properties = properties;
    this.clock = clock;
    this.sent =
        Counter.builder("paystream.outbox.sent")
            .description("outbox events sent to Kafka")
            .register(meters);
    Gauge.builder("paystream.outbox.backlog", backlog, AtomicLong::get)
        .description("outbox rows not yet sent to Kafka, as last measured")
        .register(meters);
  }

  /**
   * Drains on every wake-up signal: each element of {@code wakeUps} (a NOTIFY, or the safety-net
   * tick) runs batches until the outbox is empty. Signals that arrive while draining collapse into
   * one, so a burst of commits costs one extra pass, not one pass each.
   *
   * <p>While the outbox is busy (the previous pass ended less than {@code outboxLingerMillis} ago),
   * a wake-up first lingers that long, so that the accepts committing meanwhile share the pass: its
   * transaction, its Kafka request, and then the credit leg's poll and transaction. At a steady
   * trickle that makes batches of several transfers where there were batches of one; under load
   * batches form anyway, and an isolated transfer (the previous pass long over) goes at once, so a
   * lone client's completion latency does not pay for it.
   */
  public Flux<Integer> run(Flux<?> wakeUps) {
    return wakeUps
        .onBackpressureLatest()
        .concatMap(
            signal ->
                Mono.defer(this::lingerWhileBusy)
                    .then(drain())
                    .doFinally(end -> lastPassEnded.set(System.nanoTime()))
                    .onErrorResume(
                        error -> {
                          log.warn(
                              "outbox relay pass failed; rows stay unsent and are retried: {}",
                              rootCause(error));
                          return Mono.just(0);
                        }),
            1);
  }

  private Mono<Void> lingerWhileBusy() {
    long linger = properties.outboxLinger().toNanos();
    if (linger == 0 || System.nanoTime() - lastPassEnded.get() >= linger) {
      return Mono.empty();
    }
    return Mono.delay(properties.outboxLinger()).then();
  }

  /**
   * Sends batches until one comes back short; emits the number of events sent. The backlog gauge is
   * measured after a pass at most once per {@link #BACKLOG_PROBE_INTERVAL}: a count per pass would
   * be one more statement per few transfers, for a gauge read every few seconds.
   */
  public Mono<Integer> drain() {
    return sendBatch()
        .expand(count -> count == properties.outboxBatchSizeMax() ? sendBatch() : Mono.empty())
        .reduce(0, Integer::sum)
        .flatMap(total -> probeBacklog().thenReturn(total));
  }

  private Mono<Void> probeBacklog() {
    long now = System.nanoTime();
    long last = backlogProbedAt.get();
    if (now - last < BACKLOG_PROBE_INTERVAL.toNanos()
        || !backlogProbedAt.compareAndSet(last, now)) {
      return Mono.empty();
    }
    return outbox.backlog().doOnNext(backlog::set).then();
  }

  /** One transaction: lock, send, await acks, mark sent. Emits the batch's size. */
  Mono<Integer> sendBatch() {
    Mono<Integer> batch =
        outbox
            .lockUnsent(properties.outboxBatchSizeMax())
            .collectList()
            .flatMap(
                rows ->
                    rows.isEmpty()
                        ? Mono.just(0)
                        : send(rows)
                            .then(
                                outbox.markSent(
                                    rows.stream().map(OutboxRow::id).toList(),
                                    Timestamps.now(clock)))
                            .thenReturn(rows.size()));
    return transaction.transactional(batch).doOnNext(sent::increment);
  }

  private Mono<Void> send(List<OutboxRow> rows) {
    Map<Long, Span> spans = new HashMap<>();
    Flux<SenderRecord<String, String, Long>> records =
        Flux.fromIterable(rows).map(row -> SenderRecord.create(record(row, spans), row.id()));
    return sender
        .send(records)
        .concatMap(
            result -> {
              Span span = spans.remove(result.correlationMetadata());
              if (span != null) {
                if (result.exception() != null) {
                  span.error(result.exception());
                }
                span.end();
              }
              return result.exception() == null ? Mono.empty() : Mono.error(result.exception());
            })
        .then();
  }

  /**
   * The row as a Kafka record, continuing the trace of the request that wrote it: a span for the
   * send when that trace is sampled (ended at the acknowledgement), its traceparent in the header.
   */
  private ProducerRecord<String, String> record(OutboxRow row, Map<Long, Span> spans) {
    RecordHeaders headers =
        new RecordHeaders(
            List.of(
                new RecordHeader(Topics.TYPE_HEADER, row.type().getBytes(StandardCharsets.UTF_8))));
    Span span = tracing.child(row.traceParent(), "outbox relay", Span.Kind.PRODUCER);
    if (span != null) {
      span.remoteServiceName("kafka")
          .tag("messaging.destination.name", Topics.EVENTS)
          .tag("paystream.event.type", row.type());
      spans.put(row.id(), span);
    }
    SagaTracing.set(headers, SagaTracing.passedOn(span, row.traceParent()));
    return new ProducerRecord<>(Topics.EVENTS, null, row.key(), row.payload(), headers);
  }

  private static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? error.toString() : error + " caused by " + root;
  }
}
