// How numbers, money and times read on screen. Money is integer minor units: it is never
// divided as a floating-point number, only split into whole and fractional digits.

const exponents = new Map();

/** ISO 4217 exponent of a currency (EUR 2, JPY 0, KWD 3), as the browser knows it. */
export function exponent(currency) {
  if (!exponents.has(currency)) {
    let digits = 2;
    try {
      digits = new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits;
    } catch (unknown) {
      // an unknown code: show two digits, as most currencies have
    }
    exponents.set(currency, digits);
  }
  return exponents.get(currency);
}

/** 123456, 'EUR' -> '1,234.56 EUR'. */
export function money(minorUnits, currency) {
  if (minorUnits === null || minorUnits === undefined) {
    return '';
  }
  const digits = BigInt(minorUnits).toString();
  const negative = digits.startsWith('-');
  const magnitude = negative ? digits.slice(1) : digits;
  const scale = exponent(currency);
  const padded = magnitude.padStart(scale + 1, '0');
  const whole = padded.slice(0, padded.length - scale).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = scale > 0 ? `.${padded.slice(padded.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction} ${currency || ''}`.trim();
}

/** RFC 3339 -> '2026-12-07 07:41:05 UTC' (operators compare times across machines: UTC). */
export function time(text) {
  if (!text) {
    return '';
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    return String(text);
  }
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Seconds as '42 s', '3 min 5 s', '2 h 4 min'. */
export function age(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function count(value) {
  return value === null || value === undefined ? '–' : Number(value).toLocaleString('en');
}

/** A value of a datetime-local input, read as UTC (the console shows UTC), as RFC 3339. */
export function utcFromInput(value) {
  if (!value) {
    return '';
  }
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  return `${withSeconds}Z`;
}

/** The current month as YYYY-MM in UTC. */
export function currentMonth() {
  return new Date().toISOString().slice(0, 7);
}

/** A short form of a UUID for tight spaces; the full one stays in the title. */
export function shortId(id) {
  return id ? String(id).slice(0, 8) + '…' : '';
}
