package io.paystream.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTest {

  @Test
  void pairsAreKeptSortedSoTheOrderGivenDoesNotMatter() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("b", "2");
    one.put("a", "1");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("a", "1");
    other.put("b", "2");

    assertThat(Metadata.of(one)).isEqualTo(Metadata.of(other));
    assertThat(Metadata.of(one).asMap().keySet()).containsExactly("a", "b");
    assertThat(Metadata.of(Map.of())).isSameAs(Metadata.NONE);
    assertThat(Metadata.of(null)).isSameAs(Metadata.NONE);
  }

  @Test
  void theLimitsAreInclusive() {
    Map<String, String> twenty = new LinkedHashMap<>();
    for (int i = 0; i < Metadata.KEYS_MAX; i++) {
      twenty.put("k" + i, "v");
    }
    assertThat(Metadata.refusal(twenty)).isEmpty();
    twenty.put("one-more", "v");
    assertThat(Metadata.refusal(twenty)).contains("must have at most 20 keys");

    assertThat(Metadata.keyRefusal("a".repeat(40))).isEmpty();
    assertThat(Metadata.keyRefusal("a".repeat(41))).isPresent();
    assertThat(Metadata.keyRefusal("order.id_2-b")).isEmpty();
    assertThat(Metadata.valueRefusal("v".repeat(500))).isEmpty();
    assertThat(Metadata.valueRefusal("")).isEmpty();
    assertThat(Metadata.valueRefusal("v".repeat(501))).isPresent();
  }

  @Test
  void badKeysAndValuesAreRefused() {
    for (String key : new String[] {"", "with space", "ü", "a/b", "a:b", null}) {
      assertThat(Metadata.keyRefusal(key)).as(String.valueOf(key)).isPresent();
    }
    assertThat(Metadata.valueRefusal(null)).contains("must be a string");
    assertThat(Metadata.valueRefusal("tab\there")).contains("must not contain control characters");
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("ok", "1");
    bad.put("not ok", "2");
    assertThat(Metadata.refusal(bad))
        .hasValueSatisfying(why -> assertThat(why).startsWith("not ok"));
    assertThatThrownBy(() -> Metadata.of(bad)).isInstanceOf(IllegalArgumentException.class);
  }
}
