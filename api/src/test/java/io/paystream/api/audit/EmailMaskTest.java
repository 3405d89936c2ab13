package io.paystream.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailMaskTest {

  @Test
  void keepsTheFirstCharacterAndTheDomainOnly() {
    assertThat(EmailMask.mask("alice.smith@example.com")).isEqualTo("a***@example.com");
  }

  @Test
  void neverRevealsMoreThanOneCharacterOfTheLocalPart() {
    assertThat(EmailMask.mask("x@example.com")).isEqualTo("x***@example.com");
    assertThat(EmailMask.mask("  bob@example.org ")).isEqualTo("b***@example.org");
  }

  @Test
  void somethingThatIsNotAnEmailIsMaskedWhole() {
    assertThat(EmailMask.mask("no-at-sign")).isEqualTo("***");
    assertThat(EmailMask.mask("@example.com")).isEqualTo("***");
    assertThat(EmailMask.mask(null)).isNull();
  }
}
