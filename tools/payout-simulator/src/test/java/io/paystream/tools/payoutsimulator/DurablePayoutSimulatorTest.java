package io.paystream.tools.payoutsimulator;

import static io.paystream.tools.payoutsimulator.ProviderCalls.VERIFY_TIMEOUT;
import static io.paystream.tools.payoutsimulator.ProviderCalls.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import io.paystream.tools.payoutsimulator.ProviderCalls.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator with a journal, over real HTTP: what it paid survives its restart, a torn last line
 * is dropped, and the list endpoint tells a checker what it paid. BlockHound is installed in this
 * JVM, so a journal write on an event loop would fail these tests.
 */
class DurablePayoutSimulatorTest {

  private static final Behaviour INSTANT = new Behaviour(0, 0, 0, 0, 30_000);
  private static final String IBAN = "DE89370400440532013000";
  private static final String CLOSED_IBAN = "GB33BUKB20201555555555";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path directory;

  private PayoutProviderSimulator provider;

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
  }

  @Test
  void aRestartOnTheSameJournalAnswersEveryKnownPayoutAsBefore() throws IOException {
    Path journal = directory.resolve("journal.jsonl");
    UUID paidId = UUID.randomUUID();
    UUID refusedId = UUID.randomUUID();
    ProviderCalls calls = start(journal);
    provider.refuse(CLOSED_IBAN);
    Answer paid = calls.post("/payouts", order(paidId, IBAN));
    // Answered, so already on disk: a kill right now must not lose it.
    assertThat(lines(journal)).hasSize(1);
    Answer refused = calls.post("/payouts", order(refusedId, CLOSED_IBAN));
    provider.close();

    ProviderCalls restarted = start(journal);

    assertThat(paid.status()).isEqualTo(201);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(restarted.post("/payouts", order(paidId, IBAN)))
        .isEqualTo(new Answer(200, paid.body()));
    assertThat(restarted.post("/payouts", order(refusedId, CLOSED_IBAN))).isEqualTo(refused);
    assertThat(restarted.get("/payouts/" + paidId)).isEqualTo(new Answer(200, paid.body()));
    assertThat(restarted.post("/payouts", order(UUID.randomUUID(), IBAN)).status()).isEqualTo(201);
    assertThat(lines(journal)).hasSize(3);
  }

  @Test
  void aTornLastLineIsDroppedWithItsPayoutAndCutOffTheJournal() throws IOException {
    Path journal = directory.resolve("journal.jsonl");
    UUID keptId = UUID.randomUUID();
    UUID tornId = UUID.randomUUID();
    String kept =
        "{\"id\":\""
            + keptId
            + "\",\"amount\":500,\"currency\":\"EUR\",\"destination\":\""
            + IBAN
            + "\",\"status\":\"PAID\",\"reference\":\"psim_kept\"}\n";
    String torn = "{\"id\":\"" + tornId + "\",\"amount\":700,\"curr";
    Files.writeString(journal, kept + torn);

    ProviderCalls calls = start(journal);

    assertThat(calls.get("/payouts/" + keptId).body().path("reference").asString())
        .isEqualTo("psim_kept");
    assertThat(calls.get("/payouts/" + tornId).status()).isEqualTo(404);
    assertThat(calls.post("/payouts", order(tornId, IBAN)).status()).isEqualTo(201);
    List<JsonNode> lines = lines(journal);
    assertThat(lines)
        .extracting(line -> line.path("id").asString())
        .containsExactly(keptId.toString(), tornId.toString());
    assertThat(lines.get(1).path("amount").asLong()).isEqualTo(1000);
  }

  @Test
  void aDamagedLineBeforeTheLastRefusesTheStart() throws IOException {
    Path journal = directory.resolve("journal.jsonl");
    Files.writeString(
        journal,
        "not a payout\n{\"id\":\""
            + UUID.randomUUID()
            + "\",\"amount\":500,\"currency\":\"EUR\",\"destination\":\""
            + IBAN
            + "\",\"status\":\"PAID\",\"reference\":\"psim_x\"}\n");

    assertThatThrownBy(() -> PayoutProviderSimulator.start("127.0.0.1", 0, INSTANT, journal))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("damaged at byte 0");
  }

  @Test
  void aJournalThatCannotBeOpenedRefusesTheStart() {
    assertThatThrownBy(() -> PayoutProviderSimulator.start("127.0.0.1", 0, INSTANT, directory))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(directory.toString());
  }

  @Test
  void theListShowsEveryPayoutMadeWithHowManyPostsAskedForIt() {
    ProviderCalls calls = start(directory.resolve("journal.jsonl"));
    provider.refuse(CLOSED_IBAN);
    UUID twice = UUID.randomUUID();
    UUID refused = UUID.randomUUID();
    UUID failed = UUID.randomUUID();
    calls.post("/payouts", order(twice, IBAN));
    calls.post("/payouts", order(twice, IBAN));
    calls.post("/payouts", order(refused, CLOSED_IBAN));
    provider.failNext(1);
    calls.post("/payouts", order(failed, IBAN));

    Answer list = calls.get("/admin/payouts");

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().path("items").values())
        .extracting(
            item ->
                item.path("id").asString()
                    + " "
                    + item.path("amount").asLong()
                    + " "
                    + item.path("currency").asString()
                    + " "
                    + item.path("status").asString()
                    + " "
                    + item.path("posts").asInt())
        .containsExactlyInAnyOrder(twice + " 1000 EUR PAID 2", refused + " 1000 EUR REJECTED 1");
  }

  @Test
  void concurrentPostsOfOneIdMakeOnePayoutAndOneJournalLine() throws IOException {
    Path journal = directory.resolve("journal.jsonl");
    ProviderCalls calls = start(journal);
    UUID id = UUID.randomUUID();
    int concurrent = 8;

    Flux.range(0, concurrent)
        .flatMap(
            attempt ->
                calls
                    .http()
                    .post()
                    .uri("/payouts")
                    .send(ByteBufFlux.fromString(Mono.just(order(id, IBAN))))
                    .responseSingle((response, body) -> Mono.just(response.status().code())))
        .collectList()
        .as(StepVerifier::create)
        .assertNext(
            statuses ->
                assertThat(statuses)
                    .containsOnlyOnce(201)
                    .containsOnly(201, 200)
                    .hasSize(concurrent))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    assertThat(lines(journal)).hasSize(1);
  }

  private ProviderCalls start(Path journal) {
    provider = PayoutProviderSimulator.start("127.0.0.1", 0, INSTANT, journal);
    return new ProviderCalls(HttpClient.create().baseUrl(provider.baseUrl()));
  }

  private static List<JsonNode> lines(Path journal) throws IOException {
    String content = Files.readString(journal, StandardCharsets.UTF_8);
    assertThat(content).endsWith("\n");
    return content.lines().map(JSON::readTree).toList();
  }
}
