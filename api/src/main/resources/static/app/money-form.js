// The one way the wallet submits a money movement (send, deposit, withdraw), so that none of them
// can pay twice: one Attempt (one Idempotency-Key) per thing the user means to do once, the
// submit button disabled while a request is out, and a lost answer offered as "retry", which
// sends the very same body with the very same key.

import { Attempt, NetworkError, ProblemError, postMoney, settles } from './api.js';
import { explain, h, say } from './dom.js';

/**
 * The parts of a money form with a name prefix: `${prefix}-error`, `${prefix}-unconfirmed` and
 * `${prefix}-retry`. Append `parts.error` and `parts.unconfirmed` to the form.
 */
export function moneyFormParts(prefix) {
  const error = h('p', { id: `${prefix}-error`, className: 'error', hidden: true, attrs: { role: 'alert' } });
  const retry = h('button', { id: `${prefix}-retry`, type: 'button', className: 'secondary' }, 'Retry');
  const unconfirmedText = h('span', {});
  const unconfirmed = h(
    'div',
    { id: `${prefix}-unconfirmed`, className: 'unconfirmed', hidden: true, attrs: { role: 'alert' } },
    unconfirmedText,
    retry,
  );
  return { error, retry, unconfirmed, unconfirmedText };
}

/**
 * Wires a form: `body()` builds the request body from the fields (or shows why it cannot and
 * returns null), `onAccepted(result)` gets the server's answer. Returns nothing; the form keeps
 * its state in this closure.
 */
export function wireMoneyForm({ form, submit, parts, path, body, onAccepted }) {
  const attempt = new Attempt();
  let inFlight = false;
  // Accepted, and the form not touched since: a second click of a double click that lands after
  // the answer must not pay again with a fresh key. Editing the form allows the next payment.
  let accepted = false;
  let unsettled = null; // the body whose answer never came, resent as is by "retry"

  async function send(payload) {
    if (inFlight) {
      return;
    }
    inFlight = true;
    submit.disabled = true;
    parts.retry.disabled = true;
    say(parts.error, null);
    try {
      const result = await postMoney(path, payload, attempt);
      attempt.settle();
      unsettled = null;
      parts.unconfirmed.hidden = true;
      accepted = true;
      onAccepted(result);
    } catch (failed) {
      if (settles(failed)) {
        attempt.settle();
        unsettled = null;
        parts.unconfirmed.hidden = true;
        say(parts.error, explain(failed));
      } else if (failed instanceof NetworkError || failed instanceof ProblemError) {
        unsettled = payload;
        parts.unconfirmedText.textContent =
          failed instanceof NetworkError
            ? 'Not confirmed: the answer did not arrive, so we cannot tell yet whether this went through. Retry asks again; it never pays twice.'
            : `Not confirmed: ${explain(failed)} Retry asks again; it never pays twice.`;
        parts.unconfirmed.hidden = false;
      } else {
        say(parts.error, explain(failed));
      }
    } finally {
      inFlight = false;
      submit.disabled = accepted;
      parts.retry.disabled = false;
    }
  }

  const touched = () => {
    if (accepted) {
      accepted = false;
      submit.disabled = inFlight;
    }
  };
  form.addEventListener('input', touched);
  form.addEventListener('change', touched);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight || accepted) {
      return;
    }
    say(parts.error, null);
    const payload = body();
    if (payload !== null) {
      // Disabled before anything awaits, so a second click of a double click finds it disabled.
      submit.disabled = true;
      send(payload);
    }
  });
  parts.retry.addEventListener('click', () => {
    if (unsettled !== null) {
      send(unsettled);
    }
  });
}
