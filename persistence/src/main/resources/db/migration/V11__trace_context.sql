-- Tracing (docs/architecture.md, "Tracing"): the W3C traceparent of the span that wrote an outbox
-- row, so that the relay continues that trace when it sends the row to Kafka, and the one of the
-- Kafka record an event was sequenced from, so that its SSE delivery joins the same trace.
-- Nullable: rows written without a trace (tracing switched off, rows of an older instance during a
-- rolling upgrade) carry none and are relayed and delivered as before.
ALTER TABLE outbox ADD COLUMN trace_parent text;
ALTER TABLE event_log ADD COLUMN trace_parent text;
