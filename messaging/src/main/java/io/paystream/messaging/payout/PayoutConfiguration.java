package io.paystream.messaging.payout;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingProperties;
import io.paystream.messaging.kafka.UndecodableEvents;
import io.paystream.messaging.secrets.SecretSealer;
import io.paystream.persistence.outbox.EventEnvelope;
import io.paystream.persistence.outbox.InboxStore;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.kafka.sender.KafkaSender;
import tools.jackson.databind.json.JsonMapper;

/** The payout leg: the provider client behind Resilience4j, the consumer and the recovery sweep. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PayoutProperties.class)
public class PayoutConfiguration {

  /**
   * The sealer of payout destinations and webhook signing secrets. Its key is still configured as
   * {@code paystream.payout.destination-key} (PAYSTREAM_PAYOUT_DESTINATION_KEY), the name
   * deployments already set; each purpose's key is derived from it. Fails start-up without any key:
   * secrets must never be stored in clear. Without a configured key, one is derived from the JWT
   * secret (see {@link SecretSealer#fromBase64OrDerived}) and a warning says to configure one.
   */
  @Bean
  public SecretSealer secretSealer(PayoutProperties properties, MeterRegistry meters) {
    if (properties.destinationKey() == null || properties.destinationKey().isBlank()) {
      org.slf4j.LoggerFactory.getLogger(PayoutConfiguration.class)
          .warn(
              "PAYSTREAM_PAYOUT_DESTINATION_KEY is not set: destinations and webhook secrets are"
                  + " sealed with a key derived from the JWT secret; set a key of its own before"
                  + " rotating that secret");
    }
    return SecretSealer.fromBase64OrDerived(
        properties.destinationKey(), properties.keyDerivationSecret(), meters);
  }

  @Bean
  public PayoutGateway payoutGateway(PayoutProperties properties, JsonMapper json) {
    return new PayoutGateway(
        new PayoutProviderClient(properties.baseUrl(), properties.connectTimeoutMillis(), json),
        properties);
  }

  @Bean
  public Payouts payouts(
      WithdrawalStore withdrawals,
      PayoutGateway gateway,
      SecretSealer sealer,
      TransactionalOperator transaction) {
    return new Payouts(withdrawals, gateway, sealer, transaction);
  }

  @Bean
  public PayoutLeg payoutLeg(
      InboxStore inbox,
      WithdrawalStore withdrawals,
      Payouts payouts,
      TransactionalOperator transaction,
      EventEnvelope envelope,
      UndecodableEvents undecodable,
      Clock clock) {
    return new PayoutLeg(inbox, withdrawals, payouts, transaction, envelope, undecodable, clock);
  }

  @Bean
  public PayoutLegConsumer payoutLegConsumer(
      PayoutLeg leg,
      KafkaSender<String, String> sender,
      MessagingProperties messaging,
      PayoutProperties payout,
      MeterRegistry meters) {
    return new PayoutLegConsumer(leg, sender, messaging, payout, meters);
  }

  @Bean
  public PayoutRecovery payoutRecovery(
      WithdrawalStore withdrawals,
      Payouts payouts,
      PayoutGateway gateway,
      PayoutProperties properties,
      TransactionalOperator transaction,
      Clock clock) {
    return new PayoutRecovery(withdrawals, payouts, gateway, properties, transaction, clock);
  }
}
