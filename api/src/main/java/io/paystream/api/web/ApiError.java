package io.paystream.api.web;

import io.paystream.domain.Rejection;
import org.springframework.http.HttpStatus;

/**
 * Every error a client can receive, with its stable {@code code} and HTTP status. This enum and
 * {@link #of(Rejection)} are the one place where business rejections become HTTP.
 */
public enum ApiError {
  VALIDATION_FAILED("validation_failed", HttpStatus.BAD_REQUEST, "The request is not valid"),
  MALFORMED_REQUEST(
      "malformed_request", HttpStatus.BAD_REQUEST, "The request is not well-formed HTTP"),
  URI_TOO_LONG("uri_too_long", HttpStatus.URI_TOO_LONG, "The request URI is too long"),
  HEADERS_TOO_LARGE(
      "headers_too_large",
      HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
      "The request headers are too large"),
  IDEMPOTENCY_KEY_MISSING(
      "idempotency_key_missing", HttpStatus.BAD_REQUEST, "An Idempotency-Key header is required"),
  IDEMPOTENCY_KEY_REUSED(
      "idempotency_key_reused",
      HttpStatus.UNPROCESSABLE_CONTENT,
      "The Idempotency-Key was used with a different request"),
  IDEMPOTENCY_KEY_IN_USE(
      "idempotency_key_in_use",
      HttpStatus.CONFLICT,
      "A request with this Idempotency-Key is still being processed"),
  INSUFFICIENT_FUNDS("insufficient_funds", HttpStatus.UNPROCESSABLE_CONTENT, "Insufficient funds"),
  ACCOUNT_NOT_ACTIVE(
      "account_not_active", HttpStatus.UNPROCESSABLE_CONTENT, "Account is not active"),
  CURRENCY_MISMATCH("currency_mismatch", HttpStatus.UNPROCESSABLE_CONTENT, "Currency mismatch"),
  SAME_ACCOUNT(
      "same_account",
      HttpStatus.UNPROCESSABLE_CONTENT,
      "Source and destination are the same account"),
  AMOUNT_OUT_OF_RANGE(
      "amount_out_of_range", HttpStatus.UNPROCESSABLE_CONTENT, "Amount out of range"),
  LIMIT_EXCEEDED("limit_exceeded", HttpStatus.UNPROCESSABLE_CONTENT, "Limit exceeded"),
  BALANCE_NOT_ZERO(
      "balance_not_zero", HttpStatus.UNPROCESSABLE_CONTENT, "The account still holds money"),
  ACCOUNT_NOT_FOUND("account_not_found", HttpStatus.NOT_FOUND, "Account not found"),
  TRANSFER_NOT_FOUND("transfer_not_found", HttpStatus.NOT_FOUND, "Transfer not found"),
  WITHDRAWAL_NOT_FOUND("withdrawal_not_found", HttpStatus.NOT_FOUND, "Withdrawal not found"),
  TRANSFER_BATCH_NOT_FOUND(
      "transfer_batch_not_found", HttpStatus.NOT_FOUND, "Transfer batch not found"),
  TRANSFER_NOT_REFUNDABLE(
      "transfer_not_refundable",
      HttpStatus.UNPROCESSABLE_CONTENT,
      "Only a completed transfer that is not itself a refund can be refunded"),
  REFUND_EXCEEDS_TRANSFER(
      "refund_exceeds_transfer",
      HttpStatus.UNPROCESSABLE_CONTENT,
      "The refunds would return more than the transfer paid"),
  HOLD_NOT_FOUND("hold_not_found", HttpStatus.NOT_FOUND, "Hold not found"),
  HOLD_CAPTURED("hold_captured", HttpStatus.CONFLICT, "The hold was already captured"),
  HOLD_VOIDED("hold_voided", HttpStatus.CONFLICT, "The hold was voided"),
  HOLD_EXPIRED("hold_expired", HttpStatus.CONFLICT, "The hold has expired"),
  CAPTURE_EXCEEDS_HOLD(
      "capture_exceeds_hold",
      HttpStatus.UNPROCESSABLE_CONTENT,
      "The capture is more than the hold reserves"),
  EMAIL_TAKEN("email_taken", HttpStatus.CONFLICT, "Email already registered"),
  INVALID_CREDENTIALS("invalid_credentials", HttpStatus.UNAUTHORIZED, "Invalid credentials"),
  INVALID_REFRESH_TOKEN("invalid_refresh_token", HttpStatus.UNAUTHORIZED, "Invalid refresh token"),
  REFRESH_TOKEN_REUSED(
      "refresh_token_reused",
      HttpStatus.UNAUTHORIZED,
      "Refresh token already used; every session of this login is revoked"),
  UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Authentication required"),
  FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Not allowed"),
  NOT_FOUND("not_found", HttpStatus.NOT_FOUND, "Not found"),
  METHOD_NOT_ALLOWED("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
  NOT_ACCEPTABLE("not_acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
  PAYLOAD_TOO_LARGE("payload_too_large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),
  RATE_LIMITED("rate_limited", HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
  DOWNLOAD_LINK_INVALID(
      "download_link_invalid",
      HttpStatus.FORBIDDEN,
      "The download link is not valid or has expired"),
  STATEMENT_TOO_LARGE(
      "statement_too_large",
      HttpStatus.UNPROCESSABLE_CONTENT,
      "The month has too many entries for a statement"),
  SERVICE_UNAVAILABLE(
      "service_unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable"),
  INTERNAL_ERROR("internal_error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

  private final String code;
  private final HttpStatus status;
  private final String title;

  ApiError(String code, HttpStatus status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  public String code() {
    return code;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public static ApiError of(Rejection rejection) {
    return switch (rejection) {
      case INSUFFICIENT_FUNDS -> INSUFFICIENT_FUNDS;
      case ACCOUNT_NOT_ACTIVE -> ACCOUNT_NOT_ACTIVE;
      case CURRENCY_MISMATCH -> CURRENCY_MISMATCH;
      case SAME_ACCOUNT -> SAME_ACCOUNT;
      case AMOUNT_OUT_OF_RANGE -> AMOUNT_OUT_OF_RANGE;
      case LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
      case VALIDATION_FAILED -> VALIDATION_FAILED;
      case ACCOUNT_NOT_FOUND -> ACCOUNT_NOT_FOUND;
      case TRANSFER_NOT_FOUND -> TRANSFER_NOT_FOUND;
      case WITHDRAWAL_NOT_FOUND -> WITHDRAWAL_NOT_FOUND;
      case TRANSFER_BATCH_NOT_FOUND -> TRANSFER_BATCH_NOT_FOUND;
      case TRANSFER_NOT_REFUNDABLE -> TRANSFER_NOT_REFUNDABLE;
      case REFUND_EXCEEDS_TRANSFER -> REFUND_EXCEEDS_TRANSFER;
      case HOLD_NOT_FOUND -> HOLD_NOT_FOUND;
      case HOLD_CAPTURED -> HOLD_CAPTURED;
      case HOLD_VOIDED -> HOLD_VOIDED;
      case HOLD_EXPIRED -> HOLD_EXPIRED;
      case CAPTURE_EXCEEDS_HOLD -> CAPTURE_EXCEEDS_HOLD;
      case BALANCE_NOT_ZERO -> BALANCE_NOT_ZERO;
      case EMAIL_TAKEN -> EMAIL_TAKEN;
      case INVALID_CREDENTIALS -> INVALID_CREDENTIALS;
    };
  }
}
