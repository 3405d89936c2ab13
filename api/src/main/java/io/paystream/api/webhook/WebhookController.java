package io.paystream.api.webhook;

import io.paystream.api.security.CurrentUser;
import io.paystream.api.web.ApiError;
import io.paystream.api.web.ApiException;
import io.paystream.api.web.Items;
import io.paystream.domain.Ids;
import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.messaging.secrets.SecretSealer.Purpose;
import io.paystream.messaging.webhook.WebhookEvents;
import io.paystream.messaging.webhook.WebhookUrlGuard;
import io.paystream.persistence.webhook.WebhookStore;
import io.paystream.persistence.webhook.WebhookStore.Endpoint;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A customer's webhook endpoints. Creation answers the signing secret once; it is stored sealed and
 * never shown again (delete and create to rotate). URLs go through the SSRF guard.
 */
@RestController
public class WebhookController {

  /** 256 bits, as the HMAC-SHA256 key. */
  static final int SECRET_BYTES = 32;

  public record WebhookRequest(String url, List<String> events) {}

  /** The endpoint as listed: no secret. */
  public record WebhookDocument(UUID id, String url, List<String> events, Instant createdAt) {
    static WebhookDocument of(Endpoint endpoint) {
      return new WebhookDocument(
          endpoint.id(), endpoint.url(), endpoint.events(), endpoint.createdAt());
    }
  }

  /** The endpoint as created, with its secret: the only time the secret is shown. */
  public record CreatedWebhook(
      UUID id, String url, List<String> events, String secret, Instant createdAt) {}

  private final WebhookStore store;
  private final WebhookUrlGuard guard;
  private final SecretSealer sealer;

  public WebhookController(WebhookStore store, WebhookUrlGuard guard, SecretSealer sealer) {
    this.store = store;
    this.guard = guard;
    this.sealer = sealer;
  }

  @ApiResponse(
      responseCode = "201",
      description = "The endpoint with its signing secret (shown once)",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = CreatedWebhook.class)))
  @PostMapping("/api/v1/webhooks")
  public Mono<ResponseEntity<CreatedWebhook>> create(
      @AuthenticationPrincipal Jwt jwt, @RequestBody WebhookRequest request) {
    List<String> events = events(request.events());
    CurrentUser user = CurrentUser.of(jwt);
    return guard
        .check(request.url())
        .onErrorMap(
            WebhookUrlGuard.RefusedUrlException.class,
            refused -> ApiException.invalid("url", refused.getMessage()))
        .flatMap(
            uri -> {
              UUID id = Ids.newId();
              String secret = newSecret();
              return store
                  .create(
                      id,
                      user.id(),
                      uri.toString(),
                      events,
                      sealer.seal(Purpose.WEBHOOK_SECRET, id, secret))
                  .map(
                      endpoint ->
                          ResponseEntity.created(URI.create("/api/v1/webhooks/" + id))
                              .body(
                                  new CreatedWebhook(
                                      id,
                                      endpoint.url(),
                                      endpoint.events(),
                                      secret,
                                      endpoint.createdAt())));
            });
  }

  private static List<String> events(List<String> requested) {
    if (requested == null
        || requested.isEmpty()
        || requested.size() > WebhookEvents.SUBSCRIPTIONS_MAX
        || requested.stream().anyMatch(name -> name == null)
        || !WebhookEvents.allSubscribable(requested)) {
      throw ApiException.invalid(
          "events",
          "must list event names (transfer.completed, ...)"
              + " or families (transfer.*, withdrawal.*, deposit.*, hold.*)");
    }
    return List.copyOf(new LinkedHashSet<>(requested));
  }

  private static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    Ids.random().nextBytes(bytes);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @GetMapping("/api/v1/webhooks")
  public Mono<Items<WebhookDocument>> list(@AuthenticationPrincipal Jwt jwt) {
    return store
        .list(CurrentUser.of(jwt).id())
        .map(WebhookDocument::of)
        .collectList()
        .map(Items::new);
  }

  @DeleteMapping("/api/v1/webhooks/{id}")
  public Mono<ResponseEntity<Void>> delete(
      @AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
    return store
        .delete(id, CurrentUser.of(jwt).id())
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(ResponseEntity.status(HttpStatus.NO_CONTENT).<Void>build())
                    : Mono.error(new ApiException(ApiError.NOT_FOUND, "webhook not found")));
  }
}
