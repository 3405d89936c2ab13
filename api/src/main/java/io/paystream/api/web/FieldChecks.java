package io.paystream.api.web;

import io.paystream.domain.CurrencyCodes;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * Collects every invalid field of one request, so a client learns all its mistakes at once
 * (400 {@code validation_failed} with {@code errors[]}).
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

  public Long amount(String field, Long value) {
    if (value == null) {
      fail(field, "is required");
    }
    return value;
  }

  /** Optional text: null is fine, otherwise at most {@code max} characters, no control characters. */
  public String text(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      fail(field, "must be at most " + max + " characters");
    } else if (value.chars().anyMatch(c -> Character.isISOControl(c))) {
      fail(field, "must not contain control characters");
    }
    return value;
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
