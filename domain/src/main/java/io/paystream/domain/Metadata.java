package io.paystream.domain;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A client's own labels on a movement (an order number, a customer reference): at most {@link
 * #KEYS_MAX} keys, each a short identifier, with short text values. Stored, returned and sent in
 * events exactly as given; Paystream never interprets them. Keys are kept sorted, so two requests
 * naming the same pairs in another order are the same request.
 */
public final class Metadata {

  /** Keys on one object at most. */
  public static final int KEYS_MAX = 20;

  /** Longest key, in characters. */
  public static final int KEY_LENGTH_MAX = 40;

  /** Longest value, in characters. */
  public static final int VALUE_LENGTH_MAX = 500;

  /** What a key may hold: letters, digits, {@code _ - .}; it names a label, it is not text. */
  public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1," + KEY_LENGTH_MAX + "}");

  /** No labels. */
  public static final Metadata NONE = new Metadata(new TreeMap<>());

  private final SortedMap<String, String> pairs;

  private Metadata(SortedMap<String, String> pairs) {
    this.pairs = Collections.unmodifiableSortedMap(pairs);
  }

  /**
   * The labels in {@code pairs}.
   *
   * @throws IllegalArgumentException when they break a rule ({@link #refusal} says which); the edge
   *     checks first, so here it is a defect
   */
  public static Metadata of(Map<String, String> pairs) {
    if (pairs == null || pairs.isEmpty()) {
      return NONE;
    }
    Optional<String> refusal = refusal(pairs);
    if (refusal.isPresent()) {
      throw new IllegalArgumentException("metadata " + refusal.get());
    }
    return new Metadata(new TreeMap<>(pairs));
  }

  /**
   * Why {@code pairs} cannot be metadata as a whole (too many keys), or empty. Each key and value
   * is judged by {@link #keyRefusal} and {@link #valueRefusal}.
   */
  public static Optional<String> refusal(Map<String, String> pairs) {
    if (pairs.size() > KEYS_MAX) {
      return Optional.of("must have at most " + KEYS_MAX + " keys");
    }
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      Optional<String> bad = keyRefusal(pair.getKey()).or(() -> valueRefusal(pair.getValue()));
      if (bad.isPresent()) {
        return Optional.of(pair.getKey() + " " + bad.get());
      }
    }
    return Optional.empty();
  }

  /** Why {@code key} cannot be a key, or empty. */
  public static Optional<String> keyRefusal(String key) {
    return key != null && KEY.matcher(key).matches()
        ? Optional.empty()
        : Optional.of("key must be 1 to " + KEY_LENGTH_MAX + " letters, digits, '_', '-' or '.'");
  }

  /**
   * Why {@code value} cannot be a value, or empty: a string of at most {@link #VALUE_LENGTH_MAX}
   * characters without control characters (the edge also refuses lone surrogates, as for all text).
   */
  public static Optional<String> valueRefusal(String value) {
    if (value == null) {
      return Optional.of("must be a string");
    }
    if (value.length() > VALUE_LENGTH_MAX) {
      return Optional.of("must be at most " + VALUE_LENGTH_MAX + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return Optional.of("must not contain control characters");
      }
    }
    return Optional.empty();
  }

  /** The labels, sorted by key; unmodifiable. */
  public SortedMap<String, String> asMap() {
    return pairs;
  }

  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Metadata that && pairs.equals(that.pairs);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(pairs);
  }

  @Override
  public String toString() {
    return pairs.toString();
  }
}
