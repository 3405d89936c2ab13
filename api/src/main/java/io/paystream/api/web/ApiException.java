package io.paystream.api.web;

import java.util.List;
import java.util.Objects;

/** An error answer decided by the api layer; rendered as problem+json by {@link ProblemWriter}. */
public final class ApiException extends RuntimeException {

  private final ApiError error;
  private final List<FieldError> errors;
  private final String limit;
  private final Integer leg;

  public ApiException(ApiError error, String detail) {
    this(error, detail, List.of());
  }

  public ApiException(ApiError error, String detail, List<FieldError> errors) {
    this(error, detail, errors, null);
  }

  /**
   * @param limit the name of the breached limit (problem member {@code limit}), or null
   */
  public ApiException(ApiError error, String detail, List<FieldError> errors, String limit) {
    this(error, detail, errors, limit, null);
  }

  /**
   * @param leg the index of the transfer that refused a batch (problem member {@code leg}), or null
   */
  private ApiException(
      ApiError error, String detail, List<FieldError> errors, String limit, Integer leg) {
    super(detail, null, false, false);
    this.error = Objects.requireNonNull(error);
    this.errors = List.copyOf(errors);
    this.limit = limit;
    this.leg = leg;
  }

  /** A business rejection as the API answers it, keeping the breached limit's name. */
  public static ApiException of(io.paystream.domain.RejectedException rejected) {
    return new ApiException(
        ApiError.of(rejected.rejection()),
        rejected.getMessage(),
        List.of(),
        rejected.limit(),
        rejected.leg());
  }

  /** The index of the batch's transfer that refused it, or null. */
  public Integer leg() {
    return leg;
  }

  /** The breached limit's name, or null. */
  public String limit() {
    return limit;
  }

  public static ApiException invalid(List<FieldError> errors) {
    return new ApiException(
        ApiError.VALIDATION_FAILED,
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid",
        errors);
  }

  public static ApiException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public ApiError error() {
    return error;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** One invalid field: the JSON property name (or header/parameter name) and why. */
  public record FieldError(String field, String message) {}
}
