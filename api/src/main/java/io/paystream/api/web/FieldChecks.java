package io.paystream.api.web;

import io.paystream.domain.CurrencyCodes;
import io.paystream.domain.Metadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Collects every invalid field of one request, so a client learns all its mistakes at once (400
 * {@code validation_failed} with {@code errors[]}).
 */
public final class FieldChecks {

  private final List<ApiException.FieldError> errors = new ArrayList<>();

  public UUID id(String field, UUID value) {
    if (value == null) {
      fail(field, "is required");
    }
    return value;
  }

  public Currency currency(String field, String value) {
    if (value == null) {
      fail(field, "is required");
      return null;
    }
    if (!CurrencyCodes.isValid(value)) {
      fail(field, "must be an upper-case ISO 4217 currency code with minor units, like EUR");
      return null;
    }
    return CurrencyCodes.parse(value);
  }

  /**
   * An optional RFC 3339 timestamp with its offset ({@code Z} or {@code +01:00}): null when absent
   * or invalid (then recorded).
   */
  public Instant instant(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      fail(field, "must be an RFC 3339 timestamp like 2026-12-07T08:00:00Z");
      return null;
    }
  }

  /**
   * {@link #instant} that must not be later than {@code now}: a balance as of the future is
   * unknown.
   */
  public Instant pastInstant(String field, String value, Instant now) {
    Instant at = instant(field, value);
    if (at != null && at.isAfter(now)) {
      fail(field, "must not be in the future");
      return null;
    }
    return at;
  }

  /**
   * Optional metadata ({@link Metadata}): none when absent; each bad key or value is recorded on
   * {@code field.key}, too many keys on {@code field}.
   */
  public Metadata metadata(String field, Map<String, Object> value) {
    if (value == null || value.isEmpty()) {
      return Metadata.NONE;
    }
    boolean valid = true;
    if (value.size() > Metadata.KEYS_MAX) {
      fail(field, "must have at most " + Metadata.KEYS_MAX + " keys");
      valid = false;
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (Map.Entry<String, Object> pair : value.entrySet()) {
      String name = field + "." + pair.getKey();
      Optional<String> refusal =
          Metadata.keyRefusal(pair.getKey())
              .or(
                  () ->
                      pair.getValue() instanceof String text
                          ? Metadata.valueRefusal(text)
                          : Optional.of("must be a string"));
      if (refusal.isPresent()) {
        fail(name, refusal.get());
        valid = false;
      } else if (!plainText(name, (String) pair.getValue())) {
        valid = false;
      } else {
        pairs.put(pair.getKey(), (String) pair.getValue());
      }
    }
    return valid ? Metadata.of(pairs) : Metadata.NONE;
  }

  /**
   * An optional search by one metadata pair, from two query parameters that come together: null
   * when both are absent, else the pair as {@link Metadata}; a lone one, a bad key or a bad value
   * is recorded on its parameter.
   */
  public Metadata metadataPair(String keyField, String key, String valueField, String value) {
    if (key == null && value == null) {
      return null;
    }
    if (key == null || value == null) {
      fail(
          key == null ? keyField : valueField,
          "is required with " + (key == null ? valueField : keyField));
      return null;
    }
    Optional<String> badKey = Metadata.keyRefusal(key);
    badKey.ifPresent(refusal -> fail(keyField, refusal));
    Optional<String> badValue = Metadata.valueRefusal(value);
    badValue.ifPresent(refusal -> fail(valueField, refusal));
    if (badKey.isPresent() || badValue.isPresent() || !plainText(valueField, value)) {
      return null;
    }
    return Metadata.of(Map.of(key, value));
  }

  public Long amount(String field, Long value) {
    if (value == null) {
      fail(field, "is required");
    }
    return value;
  }

  /**
   * Optional text: null is fine, otherwise at most {@code max} characters of plain text (see {@link
   * #plainText}).
   */
  public String text(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      fail(field, "must be at most " + max + " characters");
    } else {
      plainText(field, value);
    }
    return value;
  }

  /**
   * Whether {@code value} is plain text, recording why not: no control characters (C0, DEL, C1; no
   * field of this API allows tabs or line breaks, and PostgreSQL refuses NUL outright) and no lone
   * UTF-16 surrogate (it has no UTF-8 form, so it would be stored as '?', changing what the client
   * sent).
   */
  public boolean plainText(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        fail(field, "must not contain control characters");
        return false;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        fail(field, "must be valid Unicode text (it holds a lone surrogate)");
        return false;
      }
    }
    return true;
  }

  public String requiredText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      fail(field, "is required");
      return value;
    }
    return text(field, value, max);
  }

  public void fail(String field, String message) {
    errors.add(new ApiException.FieldError(field, message));
  }

  /** Throws 400 {@code validation_failed} listing every failed field, if any failed. */
  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
  }
}
