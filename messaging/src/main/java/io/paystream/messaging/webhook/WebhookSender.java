package io.paystream.messaging.webhook;

import io.netty.channel.ChannelOption;
import io.netty.resolver.AddressResolverGroup;
import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.messaging.secrets.SecretSealer.Opened;
import io.paystream.messaging.secrets.SecretSealer.Purpose;
import io.paystream.messaging.webhook.WebhookUrlGuard.RefusedUrlException;
import io.paystream.persistence.Timestamps;
import io.paystream.persistence.webhook.WebhookStore;
import io.paystream.persistence.webhook.WebhookStore.Delivery;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;

/**
 * Delivers due webhook rows: signs the body, POSTs it (no redirects: a redirect could point
 * anywhere the URL guard would refuse), and marks the row delivered on 2xx. Anything else is
 * retried with exponential backoff and jitter until the row's horizon (24 h by default), then
 * dead-lettered. At least once: a receiver may see an event twice and should de-duplicate by the
 * event {@code id}.
 *
 * <p>The URL guard runs at connect time: the HTTP client resolves the host through a {@link
 * GuardedAddressResolverGroup}, which refuses before any connection is opened if an address is
 * refused. A refused URL is dead-lettered at once ("url refused: ..."): retrying cannot help.
 */
public class WebhookSender {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  /** Errors kept on the row are cut to this length. */
  static final int ERROR_LENGTH_MAX = 300;

  private final WebhookStore store;
  private final SecretSealer sealer;
  private final WebhookProperties properties;
  private final Clock clock;
  private final WebClient http;

  /** Resolves names with reactor-netty's default (non-blocking, event-loop) resolver. */
  public WebhookSender(
      WebhookStore store,
      SecretSealer sealer,
      WebhookUrlGuard guard,
      WebhookProperties properties,
      Clock clock) {
    this(
        store,
        sealer,
        guard,
        properties,
        clock,
        () -> HttpResources.get().getOrCreateDefaultResolver());
  }

  /** With the name resolver to guard; tests give one that answers as a rebinding DNS would. */
  WebhookSender(
      WebhookStore store,
      SecretSealer sealer,
      WebhookUrlGuard guard,
      WebhookProperties properties,
      Clock clock,
      Supplier<? extends AddressResolverGroup<?>> names) {
    this.store = store;
    this.sealer = sealer;
    this.properties = properties;
    this.clock = clock;
    this.http =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create()
                        .resolver(new GuardedAddressResolverGroup(guard, names))
                        .followRedirect(false)
                        .option(
                            ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(properties.requestTimeoutMillis(), Integer.MAX_VALUE))))
            .build();
  }

  /** Polls until cancelled; emits each attempt's result. */
  public Flux<Boolean> run() {
    return Flux.interval(Duration.ofMillis(properties.pollIntervalMillis()))
        .onBackpressureDrop()
        .concatMap(
            tick ->
                deliverDue()
                    .onErrorResume(
                        error -> {
                          log.warn("webhook poll failed, next poll retries: {}", error.toString());
                          return Flux.empty();
                        }));
  }

  public Flux<Boolean> deliverDue() {
    return store
        .claimDue(Timestamps.now(clock).plus(properties.claimLease()), properties.batchMax())
        .collectList()
        .flatMapMany(Flux::fromIterable)
        .flatMap(this::deliver, properties.concurrencyMax());
  }

  /**
   * Only the URL's shape is checked here; its addresses are checked by the resolver, on the lookup
   * whose answer is connected to (a lookup here would be a second one, answered apart). A name that
   * does not resolve now is retried like any network failure: DNS outages pass.
   */
  private Mono<Boolean> deliver(Delivery delivery) {
    return Mono.fromCallable(() -> WebhookUrlGuard.shape(delivery.url()))
        .flatMap(
            uri -> {
              Opened secret =
                  sealer.open(
                      Purpose.WEBHOOK_SECRET, delivery.endpointId(), delivery.secretSealed());
              return resealIfLegacy(delivery, secret)
                  .then(Mono.defer(() -> post(uri, delivery, secret.secret())));
            })
        .flatMap(
            status ->
                status >= 200 && status < 300
                    ? store.delivered(delivery.id()).thenReturn(true)
                    : failed(delivery, "receiver answered HTTP " + status, true))
        .onErrorResume(
            error -> {
              RefusedUrlException refused = refusal(error);
              return refused != null
                  ? failed(delivery, "url refused: " + refused.getMessage(), false)
                  : failed(delivery, error.toString(), true);
            });
  }

  private Mono<Integer> post(URI uri, Delivery delivery, String secret) {
    long now = clock.instant().getEpochSecond();
    return http.post()
        .uri(uri)
        .contentType(MediaType.APPLICATION_JSON)
        .header(WebhookSignature.HEADER, WebhookSignature.header(secret, now, delivery.payload()))
        .header("Paystream-Event-Id", delivery.eventId().toString())
        .header("Paystream-Event-Type", delivery.eventType())
        .bodyValue(delivery.payload())
        .exchangeToMono(
            response -> response.releaseBody().thenReturn(response.statusCode().value()))
        .timeout(Duration.ofMillis(properties.requestTimeoutMillis()));
  }

  /**
   * Seals a secret that opened only with the legacy key again, under the webhook key, and stores it
   * if the row still holds what was read (another instance may have done it first). Best effort: a
   * failure is logged and the next delivery tries again; the delivery goes ahead either way.
   */
  private Mono<Void> resealIfLegacy(Delivery delivery, Opened secret) {
    if (!secret.legacyKey()) {
      return Mono.empty();
    }
    UUID endpoint = delivery.endpointId();
    return store
        .replaceSealedSecret(
            endpoint,
            delivery.secretSealed(),
            sealer.seal(Purpose.WEBHOOK_SECRET, endpoint, secret.secret()))
        .doOnNext(
            replaced -> {
              if (replaced) {
                log.info("webhook endpoint {}: signing secret sealed again, per purpose", endpoint);
              }
            })
        .onErrorResume(
            error -> {
              log.warn(
                  "sealing the secret of webhook endpoint {} again failed, retried at its next"
                      + " delivery: {}",
                  endpoint,
                  error.toString());
              return Mono.empty();
            })
        .then();
  }

  /** Causes looked through for a refusal; the HTTP client wraps one or two levels deep. */
  static final int CAUSE_DEPTH_MAX = 8;

  /** The guard's refusal, thrown directly or wrapped by the HTTP client; else null. */
  static RefusedUrlException refusal(Throwable error) {
    Throwable cause = error;
    for (int depth = 0; cause != null && depth < CAUSE_DEPTH_MAX; depth++) {
      if (cause instanceof RefusedUrlException refused) {
        return refused;
      }
      cause = cause.getCause();
    }
    return null;
  }

  private Mono<Boolean> failed(Delivery delivery, String error, boolean retryable) {
    String kept = error.length() > ERROR_LENGTH_MAX ? error.substring(0, ERROR_LENGTH_MAX) : error;
    Instant next = Timestamps.now(clock).plus(backoff(delivery.attempts()));
    if (!retryable || next.isAfter(delivery.horizonAt())) {
      log.warn(
          "webhook delivery {} of {} dead-lettered after {} attempts: {}",
          delivery.id(),
          delivery.eventType(),
          delivery.attempts(),
          kept);
      return store.deadLetter(delivery.id(), kept).thenReturn(false);
    }
    return store.retryAt(delivery.id(), next, kept).thenReturn(false);
  }

  /** min(min * 2^(attempts-1), max), then +-50% jitter so that receivers are not hit in waves. */
  Duration backoff(int attempts) {
    long max = Duration.ofSeconds(properties.retryBackoffMaxSeconds()).toMillis();
    long base = properties.retryBackoffMinMillis();
    long exponential = attempts >= 31 ? max : Math.min(max, base << Math.max(0, attempts - 1));
    double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (exponential * jitter)));
  }
}
