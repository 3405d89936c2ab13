// Building the page from data without ever parsing data as HTML: every value goes in through
// createTextNode / textContent, so a description like <img src=x onerror=alert(1)> stays text.

import { NetworkError, ProblemError, SessionEndedError } from './api.js';

/**
 * h('p', {id: 'x', className: 'y', attrs: {for: 'z'}, on: {click: f}}, 'text', child, ...)
 * Strings become text nodes; null and false children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  const { attrs = {}, on = {}, dataset = {}, ...properties } = props;
  for (const [name, value] of Object.entries(properties)) {
    element[name] = value;
  }
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'style' || name.startsWith('on')) {
      throw new Error(`refusing attribute ${name}: the Content-Security-Policy forbids it`);
    }
    element.setAttribute(name, value);
  }
  Object.assign(element.dataset, dataset);
  for (const [event, listener] of Object.entries(on)) {
    element.addEventListener(event, listener);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A labelled form field; the input carries the id the tests and the label use. */
export function field(label, input, hint = null) {
  return h(
    'div',
    { className: 'field' },
    h('label', { attrs: { for: input.id } }, label),
    input,
    hint && h('p', { className: 'hint' }, hint),
  );
}

/** A <select> of the user's accounts, labelled with currency, balance and a short id. */
export function accountSelect(id, accounts, selected = null) {
  const select = h('select', { id, name: id, required: true });
  for (const account of accounts) {
    select.append(
      h(
        'option',
        { value: account.id, selected: account.id === selected },
        `${account.currency} · ${money(account.balance, account.currency)} · ${shortId(account.id)}`,
      ),
    );
  }
  return select;
}

/** A status shown as a badge: the class tells the colour, the text the status. */
export function badge(status, id = null) {
  const element = h('span', { className: `badge status-${String(status).toLowerCase()}` }, status);
  if (id) {
    element.id = id;
  }
  return element;
}

/**
 * The last 6 hex digits of a UUID: enough to tell one's accounts apart on a phone. (Not the
 * first ones: in a UUIDv7 those are the creation time, the same for accounts opened together.)
 */
export function shortId(uuid) {
  return `…${String(uuid).slice(-6)}`;
}

/** Minor units of the currency (ISO 4217 exponent: EUR 2, JPY 0, KWD 3), from the browser's ICU. */
export function exponent(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch (unknown) {
    return 2;
  }
}

/**
 * An amount in minor units as text, with integer arithmetic only (a double cannot hold 10^15
 * minor units with cents exactly). 123456 EUR -> "1,234.56 EUR".
 */
export function money(minor, currency) {
  const digits = exponent(currency);
  const negative = Number(minor) < 0;
  const text = String(minor).replace('-', '').padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction} ${currency}`;
}

/**
 * What the user typed ("12.5", "1,000.25") as minor units, or null when it is not an amount in
 * this currency (too many decimals, not a number). No floating point: the digits are joined.
 */
export function parseAmount(text, currency) {
  const digits = exponent(currency);
  const cleaned = String(text).trim().replace(/[,\s_]/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[2] || '').length > digits) {
    return null;
  }
  const minor = `${match[1]}${(match[2] || '').padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  if (minor.length > 16) {
    return null; // the contract's ceiling is 10^15; past 16 digits a JS number loses precision
  }
  return Number(minor);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function when(timestamp) {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? String(timestamp) : dateTime.format(date);
}

/** The current month as YYYY-MM, in UTC like the server's months. */
export function thisMonth() {
  return new Date().toISOString().slice(0, 7);
}

const REFUSALS = {
  insufficient_funds: 'There is not enough money in the account for this.',
  account_not_active: 'One of the accounts is frozen or closed, so no money can move through it.',
  currency_mismatch: 'Both accounts and the amount must be in the same currency.',
  same_account: 'You cannot send money to the account it comes from.',
  amount_out_of_range: 'That amount is too small or too large.',
  limit_exceeded: 'This would go over a payment limit.',
  account_not_found: 'No such account: check the account number.',
  transfer_not_found: 'No such transfer.',
  withdrawal_not_found: 'No such withdrawal.',
  balance_not_zero: 'Only an empty account can be closed.',
  email_taken: 'An account with this email already exists. Log in instead?',
  invalid_credentials: 'The email or password is not right.',
  idempotency_key_in_use: 'The first try is still being processed. Wait a moment, then retry.',
  idempotency_key_reused: 'This retry does not match the first try; start a new one.',
  rate_limited: 'Too many requests just now. Wait a moment and try again.',
  service_unavailable: 'The service is busy right now. Try again in a moment.',
  statement_too_large: 'This month has too many entries for one statement.',
};

/**
 * A readable sentence for any error: a known refusal code gets a plain sentence, the server's
 * detail follows it; validation failures name each field.
 */
export function explain(error) {
  if (error instanceof ProblemError) {
    if (error.code === 'validation_failed' && error.errors.length > 0) {
      return `Please check: ${error.errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`;
    }
    const sentence = REFUSALS[error.code];
    if (sentence && error.detail) {
      return `${sentence} (${error.detail})`;
    }
    return sentence || error.detail || `The server refused this (HTTP ${error.status}).`;
  }
  if (error instanceof NetworkError) {
    return 'The server could not be reached. Check the connection and try again.';
  }
  if (error instanceof SessionEndedError) {
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}

/** Shows an error in a message element (hidden when text is empty). */
export function say(element, text) {
  element.textContent = text || '';
  element.hidden = !text;
}
