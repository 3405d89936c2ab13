// Send money to any account by its number, then watch the transfer go PENDING -> COMPLETED live.

import { request } from './api.js';
import { accountSelect, explain, field, h, money, parseAmount, say } from './dom.js';
import { moneyFormParts, wireMoneyForm } from './money-form.js';
import { transferPanel } from './transfer.js';

/** The contract's longest description. */
const DESCRIPTION_LENGTH_MAX = 140;

export function renderSend(main, [chosen]) {
  const loadError = h('p', { className: 'error', hidden: true, attrs: { role: 'alert' } });
  const body = h('div', { className: 'columns' });
  main.append(h('h1', {}, 'Send money'), loadError, body);
  let panel = null;
  let alive = true;

  request('GET', '/api/v1/accounts')
    .then(({ items }) => {
      if (!alive) {
        return;
      }
      const usable = items.filter((account) => account.status === 'ACTIVE');
      if (usable.length === 0) {
        body.append(
          h('p', { className: 'card' }, 'You need an active account with money in it first. ',
            h('a', { href: '#/accounts' }, 'Open an account')),
        );
        return;
      }
      const slot = h('div', { className: 'transfer-slot' });
      body.append(sendForm(usable, chosen, (accepted, refresh) => {
        panel?.close();
        panel = transferPanel(accepted, 'accepted', { onTerminal: refresh });
        slot.replaceChildren(panel.element);
      }));
      body.append(slot);
    })
    .catch((failed) => say(loadError, explain(failed)));

  return () => {
    alive = false;
    panel?.close();
  };
}

function sendForm(accounts, chosen, onAccepted) {
  const from = accountSelect('send-from', accounts, chosen);
  const currency = h('output', { id: 'send-currency', className: 'currency' });
  const balance = h('p', { id: 'send-balance', className: 'hint' });
  const to = h('input', {
    id: 'send-to',
    required: true,
    autocomplete: 'off',
    spellcheck: false,
    placeholder: 'Account number of the payee',
    className: 'mono',
  });
  const amount = h('input', {
    id: 'send-amount',
    required: true,
    inputMode: 'decimal',
    autocomplete: 'off',
    placeholder: '0.00',
  });
  const description = h('input', {
    id: 'send-description',
    maxLength: DESCRIPTION_LENGTH_MAX,
    autocomplete: 'off',
    placeholder: 'What is it for?',
  });
  const submit = h('button', { id: 'send-submit', type: 'submit', className: 'primary' }, 'Send');
  const parts = moneyFormParts('send');
  const amountRow = h('div', { className: 'field' },
    h('label', { attrs: { for: 'send-amount' } }, 'Amount'),
    h('div', { className: 'with-unit' }, amount, currency));
  const form = h(
    'form',
    { className: 'card', id: 'send-form' },
    field('From', from),
    balance,
    field('To', to),
    amountRow,
    field('Description', description),
    parts.error,
    parts.unconfirmed,
    submit,
  );

  const selected = () => accounts.find((account) => account.id === from.value);
  const showAccount = () => {
    const account = selected();
    currency.textContent = account.currency;
    balance.textContent = `Balance: ${money(account.balance, account.currency)}`;
  };
  from.addEventListener('change', showAccount);
  showAccount();

  // When a transfer ends, the balances it changed are read again.
  const refresh = async () => {
    try {
      const { items } = await request('GET', '/api/v1/accounts');
      const keep = from.value;
      accounts.splice(0, accounts.length, ...items.filter((account) => account.status === 'ACTIVE'));
      from.replaceChildren(...accountSelect('send-from', accounts, keep).children);
      showAccount();
    } catch (ignored) {
      // The balance shown stays the old one; the accounts page reads it again anyway.
    }
  };

  wireMoneyForm({
    form,
    submit,
    parts,
    path: '/api/v1/transfers',
    body() {
      const account = selected();
      const minor = parseAmount(amount.value, account.currency);
      if (!minor) {
        say(parts.error, `Enter an amount in ${account.currency}, like 12 or 12.50.`);
        return null;
      }
      if (!to.value.trim()) {
        say(parts.error, 'Enter the account number to send to.');
        return null;
      }
      return {
        fromAccountId: account.id,
        toAccountId: to.value.trim(),
        amount: minor,
        currency: account.currency,
        description: description.value,
      };
    },
    onAccepted(transfer) {
      onAccepted(transfer, refresh);
      refresh();
    },
  });
  return form;
}
