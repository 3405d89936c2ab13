package io.paystream.api.statement;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.api.ApiProperties;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Renders statements off the event loop, on a scheduler of its own with a bounded number of threads
 * and a bounded queue ({@link StatementProperties#renderThreadsMax()}, {@link
 * StatementProperties#renderQueueMax()}): a PDF is CPU work, and neither a burst of requests nor
 * the monthly job may take the threads that serve money requests. Past the queue, a request gets
 * 503. Counts each rendering ({@code paystream_statements_rendered_total}).
 */
@Component
public class StatementRendering implements DisposableBean {

  /** An idle render thread is let go after a minute; the monthly job needs them for minutes. */
  private static final int IDLE_THREAD_SECONDS = 60;

  private final Scheduler scheduler;
  private final CsvStatementRenderer csv = new CsvStatementRenderer();
  private final Map<StatementFormat, Counter> rendered = new EnumMap<>(StatementFormat.class);

  public StatementRendering(ApiProperties properties, MeterRegistry meters) {
    StatementProperties limits = properties.statements();
    this.scheduler =
        Schedulers.newBoundedElastic(
            limits.renderThreadsMax(),
            limits.renderQueueMax(),
            "paystream-statement-render",
            IDLE_THREAD_SECONDS,
            true);
    for (StatementFormat format : StatementFormat.values()) {
      rendered.put(
          format,
          Counter.builder("paystream.statements.rendered")
              .description("Statements rendered, by format")
              .tag("format", format.parameter())
              .register(meters));
    }
  }

  /** The rendered file and its SHA-256, computed on the render scheduler. */
  public Mono<Rendered> render(Statement statement, StatementFormat format) {
    return Mono.fromCallable(
            () -> {
              // A PDF renderer per rendering: OpenPDF's fonts carry mutable state, and two render
              // threads must not share them.
              byte[] content =
                  format == StatementFormat.PDF
                      ? new PdfStatementRenderer().render(statement)
                      : csv.render(statement);
              rendered.get(format).increment();
              return new Rendered(content, sha256(content));
            })
        .subscribeOn(scheduler)
        .onErrorMap(
            RejectedExecutionException.class,
            full ->
                new ApiException(
                    ApiError.SERVICE_UNAVAILABLE,
                    "too many statements are being rendered; try again"));
  }

  /** How many statements of {@code format} this instance has rendered since start-up. */
  public long renderedCount(StatementFormat format) {
    return (long) rendered.get(format).count();
  }

  static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void destroy() {
    scheduler.dispose();
  }

  /** A rendered file and its SHA-256 digest. */
  public record Rendered(byte[] content, byte[] sha256) {}
}
