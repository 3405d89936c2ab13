// Withdrawals to a bank account (IBAN): create one and follow its status. The public API has no
// list of a customer's withdrawals, so the wallet remembers the ones made in this session.

import { onSessionEnd, request } from './api.js';
import { accountSelect, badge, explain, field, h, money, parseAmount, say, shortId, when } from './dom.js';
import { moneyFormParts, wireMoneyForm } from './money-form.js';

const TERMINAL = new Set(['COMPLETED', 'FAILED']);
/** How often an unfinished withdrawal is read again while this page is open. */
const POLL_MILLIS = 2000;
/** Reads per visit of the page; the provider answers in seconds, so this is generous. */
const POLLS_MAX = 90;

/** Withdrawals of this session, newest first (in memory, like the tokens). */
const made = [];
onSessionEnd(() => {
  made.length = 0;
});

export function renderWithdraw(main) {
  const loadError = h('p', { className: 'error', hidden: true, attrs: { role: 'alert' } });
  const list = h('ul', { id: 'withdrawals', className: 'entries' });
  const body = h('div', { className: 'columns' });
  main.append(h('h1', {}, 'Withdraw'), loadError, body);
  let polls = 0;
  let timer = 0;

  const draw = () =>
    list.replaceChildren(
      ...(made.length === 0 ? [h('li', { className: 'empty' }, 'No withdrawals in this session.')] : made.map(item)),
    );

  async function poll() {
    const open = made.filter((w) => !TERMINAL.has(w.status));
    if (open.length === 0 || polls++ >= POLLS_MAX) {
      return;
    }
    await Promise.all(
      open.map(async (w) => {
        try {
          Object.assign(w, await request('GET', `/api/v1/withdrawals/${encodeURIComponent(w.id)}`));
        } catch (ignored) {
          // Read again on the next tick.
        }
      }),
    );
    draw();
    timer = setTimeout(poll, POLL_MILLIS);
  }

  request('GET', '/api/v1/accounts')
    .then(({ items }) => {
      const usable = items.filter((account) => account.status === 'ACTIVE');
      body.append(
        usable.length > 0
          ? withdrawForm(usable, (withdrawal) => {
              made.unshift(withdrawal);
              draw();
              clearTimeout(timer);
              polls = 0;
              timer = setTimeout(poll, POLL_MILLIS);
            })
          : h('p', { className: 'card' }, 'You need an active account first.'),
        h('section', { className: 'card' }, h('h2', {}, 'Your withdrawals'), list),
      );
    })
    .catch((failed) => say(loadError, explain(failed)));
  draw();
  timer = setTimeout(poll, 0);
  return () => clearTimeout(timer);
}

function item(w) {
  return h(
    'li',
    { className: 'withdrawal', dataset: { withdrawalId: w.id } },
    h(
      'div',
      { className: 'entry-main' },
      h('span', {}, `To ${w.destination}`),
      h('span', { className: 'entry-amount' }, money(w.amount, w.currency)),
    ),
    h(
      'div',
      { className: 'entry-meta' },
      h('span', { className: 'withdrawal-status' }, badge(w.status)),
      h('span', {}, when(w.createdAt)),
      h('span', {}, `from ${shortId(w.accountId)}`),
      w.failureReason ? h('span', { className: 'error-text' }, w.failureReason) : null,
    ),
  );
}

function withdrawForm(accounts, onAccepted) {
  const from = accountSelect('withdraw-account', accounts);
  const amount = h('input', { id: 'withdraw-amount', required: true, inputMode: 'decimal', autocomplete: 'off', placeholder: '0.00' });
  const destination = h('input', {
    id: 'withdraw-destination',
    required: true,
    autocomplete: 'off',
    spellcheck: false,
    placeholder: 'DE89 3704 0044 0532 0130 00',
    className: 'mono',
  });
  const submit = h('button', { id: 'withdraw-submit', type: 'submit', className: 'primary' }, 'Withdraw');
  const parts = moneyFormParts('withdraw');
  const form = h(
    'form',
    { className: 'card' },
    h('h2', {}, 'To your bank'),
    field('From', from),
    field('Amount', amount),
    field('IBAN', destination),
    parts.error,
    parts.unconfirmed,
    submit,
  );
  // The money leaves at acceptance: the balances in the account choice are read again.
  const refreshBalances = async () => {
    try {
      const { items } = await request('GET', '/api/v1/accounts');
      const keep = from.value;
      accounts.splice(0, accounts.length, ...items.filter((account) => account.status === 'ACTIVE'));
      from.replaceChildren(...accountSelect('withdraw-account', accounts, keep).children);
    } catch (ignored) {
      // The old balances stay shown; the accounts page reads them again anyway.
    }
  };
  wireMoneyForm({
    form,
    submit,
    parts,
    path: '/api/v1/withdrawals',
    body() {
      const account = accounts.find((a) => a.id === from.value);
      const minor = parseAmount(amount.value, account.currency);
      if (!minor) {
        say(parts.error, `Enter an amount in ${account.currency}, like 20 or 20.50.`);
        return null;
      }
      return {
        accountId: account.id,
        amount: minor,
        currency: account.currency,
        destination: destination.value.replace(/\s+/g, '').toUpperCase(),
      };
    },
    onAccepted(withdrawal) {
      amount.value = '';
      onAccepted(withdrawal);
      refreshBalances();
    },
  });
  return form;
}
