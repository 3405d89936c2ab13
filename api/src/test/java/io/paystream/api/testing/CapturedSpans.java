package io.paystream.api.testing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The spans of the traces a test watches, exported as they end into an in-memory exporter. Only
 * watched traces are kept: the shared application context samples every request of every test, and
 * keeping them all would grow without bound.
 */
public final class CapturedSpans implements SpanProcessor {

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();

  /** Keeps the spans of trace {@code traceId} from now on. */
  public static void watch(String traceId) {
    WATCHED.add(traceId);
  }

  /** The ended spans of trace {@code traceId}, in the order they ended. */
  public static List<SpanData> of(String traceId) {
    return EXPORTER.getFinishedSpanItems().stream()
        .filter(span -> span.getTraceId().equals(traceId))
        .toList();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (WATCHED.contains(span.getSpanContext().getTraceId())) {
      EXPORTER.export(List.of(span.toSpanData()));
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** Adds the processor to the application's tracer provider (Spring Boot takes every bean). */
  @TestConfiguration(proxyBeanMethods = false)
  public static class Configuration {
    @Bean
    CapturedSpans capturedSpans() {
      return new CapturedSpans();
    }
  }
}
