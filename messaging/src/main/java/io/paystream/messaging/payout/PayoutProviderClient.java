package io.paystream.messaging.payout;

import io.netty.channel.ChannelOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider's HTTP API, one call each, no retries (see {@link PayoutGateway}). Maps answers:
 * PAID and REJECTED bodies are {@link ProviderAnswer}s, so is any other 4xx (the provider will not
 * pay that order); 5xx, 429 and unreadable bodies are {@link ProviderUnavailableException}.
 */
public class PayoutProviderClient {

  /** A provider answer is a few hundred bytes; anything far larger is not one. */
  static final int RESPONSE_BYTES_MAX = 64 * 1024;

  private final WebClient http;
  private final JsonMapper json;

  public PayoutProviderClient(String baseUrl, int connectTimeoutMillis, JsonMapper json) {
    HttpClient netty =
        HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    this.http =
        WebClient.builder()
            .baseUrl(baseUrl)
            .clientConnector(new ReactorClientHttpConnector(netty))
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(RESPONSE_BYTES_MAX))
            .build();
    this.json = json;
  }

  /** Asks for the payout; the provider executes an id at most once and replays its answer. */
  public Mono<ProviderAnswer> pay(PayoutOrder order) {
    return http.post()
        .uri("/payouts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "id",
                order.id().toString(),
                "amount",
                order.amount(),
                "currency",
                order.currency(),
                "destination",
                order.destination()))
        .exchangeToMono(response -> answer(response, order.id()));
  }

  /** The payout's state at the provider; empty when it never happened. */
  public Mono<Optional<ProviderAnswer>> find(UUID id) {
    return http.get()
        .uri("/payouts/{id}", id)
        .exchangeToMono(
            response ->
                response.statusCode().value() == 404
                    ? response.releaseBody().thenReturn(Optional.<ProviderAnswer>empty())
                    : answer(response, id).map(Optional::of));
  }

  private Mono<ProviderAnswer> answer(ClientResponse response, UUID id) {
    HttpStatusCode status = response.statusCode();
    if (status.is5xxServerError() || status.value() == 429) {
      return response
          .releaseBody()
          .then(
              Mono.error(
                  new ProviderUnavailableException(
                      "provider answered " + status.value() + " for " + id)));
    }
    return response
        .bodyToMono(String.class)
        .defaultIfEmpty("")
        .map(
            body -> {
              if (status.is2xxSuccessful() || status.value() == 422) {
                return parse(body, id);
              }
              if (status.is4xxClientError()) {
                return new ProviderAnswer.Refused(
                    "payout provider refused the order (HTTP " + status.value() + ")");
              }
              throw new ProviderUnavailableException(
                  "provider answered " + status.value() + " for " + id);
            });
  }

  private ProviderAnswer parse(String body, UUID id) {
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (RuntimeException e) {
      throw new ProviderUnavailableException("unreadable provider answer for " + id);
    }
    String state = node.path("status").asString("");
    if ("PAID".equals(state) && !node.path("reference").asString("").isBlank()) {
      return new ProviderAnswer.Paid(node.path("reference").asString());
    }
    if ("REJECTED".equals(state)) {
      String reason = node.path("reason").asString("");
      return new ProviderAnswer.Refused(
          "payout provider refused: " + (reason.isBlank() ? "no reason given" : reason));
    }
    throw new ProviderUnavailableException("provider answer for " + id + " has no known status");
  }
}
