package io.paystream.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * README, Tracing: spans leave the process over OTLP only when an endpoint is set, by Spring Boot's
 * standard property, and then they do, with the dependencies this build chose (the JDK's HTTP
 * client, no OkHttp).
 */
class OtlpExportTest {

  private final ApplicationContextRunner application =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  OpenTelemetrySdkAutoConfiguration.class,
                  MicrometerTracingAutoConfiguration.class,
                  OpenTelemetryTracingAutoConfiguration.class,
                  OtlpTracingAutoConfiguration.class));

  private HttpServer collector;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          received.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
  }

  @AfterEach
  void stopCollector() {
    collector.stop(0);
  }

  @Test
  void withoutAnEndpointNoSpanLeavesTheProcess() {
    application.run(context -> assertThat(context).doesNotHaveBean(SpanExporter.class));
  }

  @Test
  void withAnEndpointSpansAreExportedOverOtlpHttp() {
    application
        .withPropertyValues(
            "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
                + collector.getAddress().getPort()
                + "/v1/traces",
            "management.tracing.sampling.probability=1.0")
        .run(
            context -> {
              assertThat(context).hasSingleBean(OtlpHttpSpanExporter.class);
              context.getBean(Tracer.class).nextSpan().name("probe").start().end();
              context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
              assertThat(received).containsExactly("application/x-protobuf");
            });
  }
}
