package io.paystream.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class WebhookUrlGuardTest {

  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);
  private final WebhookUrlGuard production = new WebhookUrlGuard(false, false);

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/hook", "http://localhost:8080/hook",
      "http://[::1]/hook", "http://10.0.0.1/hook", "http://172.16.5.4/hook",
      "http://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data",
      "http://100.64.0.1/hook", "http://0.0.0.0/hook", "http://[fd00::1]/hook",
      "http://[::ffff:10.0.0.1]/hook", "http://[fe80::1]/hook", "http://2130706433/hook"})
  void urlsThatReachLoopbackPrivateOrLinkLocalAddressesAreRefused(String url) {
    production.check(url).as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class).verify(VERIFY_TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/hook", "file:///etc/passwd", "gopher://x/",
      "javascript:alert(1)", "http:///nohost", "not a url", "", "http://user:pw@93.184.215.14/"})
  void urlsThatAreNotPlainHttpOrHttpsAreRefused(String url) {
    production.check(url).as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class).verify(VERIFY_TIMEOUT);
  }

  @Test
  void aPublicAddressIsAccepted() {
    production.check("https://93.184.215.14/hooks/paystream").as(StepVerifier::create)
        .assertNext(uri -> assertThat(uri.getHost()).isEqualTo("93.184.215.14"))
        .expectComplete().verify(VERIFY_TIMEOUT);
  }

  @Test
  void loopbackIsAcceptedOnlyWhenConfigurationAllowsIt() {
    new WebhookUrlGuard(true, false).check("http://127.0.0.1:9999/hook").as(StepVerifier::create)
        .expectNextCount(1).expectComplete().verify(VERIFY_TIMEOUT);
    new WebhookUrlGuard(true, false).check("http://10.0.0.1/hook").as(StepVerifier::create)
        .expectError(WebhookUrlGuard.RefusedUrlException.class).verify(VERIFY_TIMEOUT);
  }
}
