package io.paystream.api.money;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.api.testing.ApiIntegrationTest;
import io.paystream.api.testing.PaystreamClient.User;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MoneyPathIntegrationTest extends ApiIntegrationTest {

  @Test
  void transferBetweenTwoCustomersCompletesAndMovesExactlyTheAmount() {
    User alice = client.newCustomer();
    User bob = client.newCustomer();
    UUID aliceEur = client.openAccount(alice, "EUR");
    UUID bobEur = client.openAccount(bob, "EUR");
    client.deposit(alice, aliceEur, 10_000, "EUR");

    UUID transfer = client.acceptedTransfer(alice, aliceEur, bobEur, 2_550, "EUR");

    assertThat(client.balance(alice, aliceEur)).isEqualTo(7_450);
    JsonNode done = client.awaitTerminal(alice, transfer, Duration.ofSeconds(20));
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.get("failureReason").isNull()).isTrue();
    assertThat(client.balance(bob, bobEur)).isEqualTo(2_550);
    assertThat(client.balance(alice, aliceEur)).isEqualTo(7_450);
    assertThat(client.getTransfer(bob, transfer).get("status").asString()).isEqualTo("COMPLETED");
  }
}
