package io.paystream.domain;

/**
 * Why a request was refused before anything moved. Each has a stable snake_case {@link #code()}
 * that clients rely on (CONTRACT.md); the mapping to HTTP status lives in one place in the api
 * module. A rejection is a business answer, not an outage: retrying the same request gets the same
 * answer unless the state it depends on (a balance, a status) changes.
 */
public enum Rejection {
  INSUFFICIENT_FUNDS("insufficient_funds"),
  ACCOUNT_NOT_ACTIVE("account_not_active"),
  CURRENCY_MISMATCH("currency_mismatch"),
  SAME_ACCOUNT("same_account"),
  AMOUNT_OUT_OF_RANGE("amount_out_of_range"),
  LIMIT_EXCEEDED("limit_exceeded"),
  VALIDATION_FAILED("validation_failed"),
  ACCOUNT_NOT_FOUND("account_not_found"),
  TRANSFER_NOT_FOUND("transfer_not_found"),
  WITHDRAWAL_NOT_FOUND("withdrawal_not_found"),
  TRANSFER_BATCH_NOT_FOUND("transfer_batch_not_found"),
  TRANSFER_NOT_REFUNDABLE("transfer_not_refundable"),
  REFUND_EXCEEDS_TRANSFER("refund_exceeds_transfer"),
  HOLD_NOT_FOUND("hold_not_found"),
  HOLD_CAPTURED("hold_captured"),
  HOLD_VOIDED("hold_voided"),
  HOLD_EXPIRED("hold_expired"),
  CAPTURE_EXCEEDS_HOLD("capture_exceeds_hold"),
  BALANCE_NOT_ZERO("balance_not_zero"),
  EMAIL_TAKEN("email_taken"),
  INVALID_CREDENTIALS("invalid_credentials");

  private final String code;

  Rejection(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
