package io.paystream.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final String SECRET = "whsec_test";
  private static final String BODY = "{\"id\":\"e1\",\"type\":\"transfer.completed\"}";
  private static final long NOW = 1_800_000_000L;
  private static final long TOLERANCE_SECONDS = 300;

  @Test
  void theHeaderCarriesTheTimestampAndTheHmacOfTimestampDotBody() {
    String header = WebhookSignature.header(SECRET, NOW, BODY);
    assertThat(header)
        .isEqualTo("t=" + NOW + ",v1=" + WebhookSignature.hmac(SECRET, NOW + "." + BODY));
    assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
  }

  @Test
  void aReceiverAcceptsTheSignatureOfTheExactBodyWithinTheTolerance() {
    String header = WebhookSignature.header(SECRET, NOW, BODY);
    assertThat(WebhookSignature.verify(SECRET, header, BODY, NOW + 10, TOLERANCE_SECONDS)).isTrue();
  }

  @Test
  void aChangedBodyAnotherSecretOrAnOldTimestampIsRefused() {
    String header = WebhookSignature.header(SECRET, NOW, BODY);
    assertThat(WebhookSignature.verify(SECRET, header, BODY + " ", NOW, TOLERANCE_SECONDS))
        .isFalse();
    assertThat(WebhookSignature.verify("whsec_other", header, BODY, NOW, TOLERANCE_SECONDS))
        .isFalse();
    assertThat(
            WebhookSignature.verify(
                SECRET, header, BODY, NOW + TOLERANCE_SECONDS + 1, TOLERANCE_SECONDS))
        .as("a replay after the tolerance")
        .isFalse();
    String moved = header.replace("t=" + NOW, "t=" + (NOW + 60));
    assertThat(WebhookSignature.verify(SECRET, moved, BODY, NOW + 60, TOLERANCE_SECONDS))
        .as("a timestamp changed to pass the tolerance")
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, "garbage", BODY, NOW, TOLERANCE_SECONDS)).isFalse();
  }
}
