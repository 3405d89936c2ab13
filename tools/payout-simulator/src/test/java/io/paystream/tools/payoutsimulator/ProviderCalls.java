package io.paystream.tools.payoutsimulator;

import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to a simulator, each checked to complete with one answer. */
record ProviderCalls(HttpClient http) {

  static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Answer(int status, JsonNode body) {}

  static ProviderCalls to(PayoutProviderSimulator provider) {
    return new ProviderCalls(HttpClient.create().baseUrl(provider.baseUrl()));
  }

  static String order(UUID id, String destination) {
    return "{\"id\":\""
        + id
        + "\",\"amount\":1000,\"currency\":\"EUR\",\"destination\":\""
        + destination
        + "\"}";
  }

  Answer post(String path, String body) {
    return answer(
        http.post().uri(path).send(ByteBufFlux.fromString(Mono.just(body))), "POST " + path);
  }

  Answer put(String path, String body) {
    return answer(
        http.put().uri(path).send(ByteBufFlux.fromString(Mono.just(body))), "PUT " + path);
  }

  Answer get(String path) {
    return answer(http.get().uri(path), "GET " + path);
  }

  private static Answer answer(HttpClient.ResponseReceiver<?> request, String what) {
    Answer[] answer = new Answer[1];
    request
        .responseSingle(
            (response, body) ->
                body.asString()
                    .defaultIfEmpty("{}")
                    .map(text -> new Answer(response.status().code(), JSON.readTree(text))))
        .as(StepVerifier::create)
        .assertNext(received -> answer[0] = received)
        .as(what)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    return answer[0];
  }
}
