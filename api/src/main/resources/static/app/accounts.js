// Home: the customer's accounts and balances, opening an account, and adding money (a simulated
// deposit, which moves money and so carries an Idempotency-Key like every other movement).

import { request } from './api.js';
import { accountSelect, badge, explain, field, h, money, parseAmount, say, shortId } from './dom.js';
import { moneyFormParts, wireMoneyForm } from './money-form.js';

/** Currencies offered when opening an account; the server accepts any ISO 4217 code. */
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'JPY'];

export function renderAccounts(main) {
  const list = h('ul', { id: 'accounts', className: 'accounts' });
  const listError = h('p', { className: 'error', hidden: true, attrs: { role: 'alert' } });
  const deposit = depositForm();
  const open = openForm();
  let alive = true;

  async function load() {
    try {
      const { items } = await request('GET', '/api/v1/accounts');
      if (!alive) {
        return;
      }
      say(listError, null);
      list.replaceChildren(
        ...(items.length === 0
          ? [h('li', { className: 'empty' }, 'No accounts yet. Open one below to start.')]
          : items.map(accountCard)),
      );
      deposit.show(items);
    } catch (failed) {
      say(listError, explain(failed));
    }
  }

  open.onOpened = load;
  deposit.onDeposited = load;
  main.append(
    h('section', { className: 'block' }, h('h1', {}, 'Your accounts'), listError, list),
    h('div', { className: 'columns' }, deposit.element, open.element),
  );
  load();
  return () => {
    alive = false;
  };
}

function accountCard(account) {
  return h(
    'li',
    { className: 'account card', dataset: { accountId: account.id } },
    h(
      'div',
      { className: 'account-head' },
      h('span', { className: 'account-currency' }, account.currency),
      badge(account.status),
    ),
    h('p', { className: 'account-balance' }, money(account.balance, account.currency)),
    account.availableBalance != null && account.availableBalance !== account.balance
      ? h(
          'p',
          { className: 'account-available' },
          h('span', { className: 'label' }, 'Available'),
          ' ',
          money(account.availableBalance, account.currency),
        )
      : null,
    h(
      'p',
      { className: 'account-number' },
      h('span', { className: 'label' }, 'Account number'),
      h('span', { className: 'account-id' }, account.id),
    ),
    h(
      'p',
      { className: 'account-actions' },
      h('a', { className: 'button small', href: `#/send/${account.id}` }, 'Send'),
      h('a', { className: 'button small secondary', href: `#/history/${account.id}` }, 'History'),
    ),
  );
}

function openForm() {
  const currency = h(
    'select',
    { id: 'open-currency', required: true },
    CURRENCIES.map((code) => h('option', { value: code }, code)),
  );
  const submit = h('button', { id: 'open-submit', type: 'submit' }, 'Open account');
  const error = h('p', { id: 'open-error', className: 'error', hidden: true, attrs: { role: 'alert' } });
  const form = h(
    'form',
    { className: 'card' },
    h('h2', {}, 'Open an account'),
    field('Currency', currency),
    error,
    submit,
  );
  const result = { element: form, onOpened: () => {} };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    say(error, null);
    try {
      await request('POST', '/api/v1/accounts', { body: { currency: currency.value } });
      result.onOpened();
    } catch (failed) {
      say(error, explain(failed));
    } finally {
      submit.disabled = false;
    }
  });
  return result;
}

function depositForm() {
  const holder = h('div', { className: 'field' });
  let accounts = [];
  const amount = h('input', {
    id: 'deposit-amount',
    required: true,
    inputMode: 'decimal',
    autocomplete: 'off',
    placeholder: '0.00',
  });
  const reference = h('input', { id: 'deposit-reference', required: true, maxLength: 140, value: 'Top-up' });
  const submit = h('button', { id: 'deposit-submit', type: 'submit' }, 'Add money');
  const done = h('p', { id: 'deposit-result', className: 'ok', hidden: true, attrs: { role: 'status' } });
  const parts = moneyFormParts('deposit');
  const form = h(
    'form',
    { className: 'card' },
    h('h2', {}, 'Add money'),
    h('p', { className: 'hint' }, 'A simulated top-up from your bank.'),
    holder,
    field('Amount', amount),
    field('Reference', reference),
    parts.error,
    parts.unconfirmed,
    done,
    submit,
  );
  const result = {
    element: form,
    onDeposited: () => {},
    show(items) {
      accounts = items;
      const chosen = holder.querySelector('select')?.value ?? null;
      holder.replaceChildren(
        h('label', { attrs: { for: 'deposit-account' } }, 'To account'),
        accountSelect('deposit-account', items, chosen),
      );
      form.hidden = items.length === 0;
    },
  };
  wireMoneyForm({
    form,
    submit,
    parts,
    path: '/api/v1/deposits',
    body() {
      say(done, null);
      const account = accounts.find((a) => a.id === holder.querySelector('select').value);
      const minor = account && parseAmount(amount.value, account.currency);
      if (!minor) {
        say(parts.error, 'Enter an amount, like 25 or 25.50.');
        return null;
      }
      return { accountId: account.id, amount: minor, currency: account.currency, reference: reference.value };
    },
    onAccepted(deposit) {
      say(done, `Added ${money(deposit.amount, deposit.currency)} to ${shortId(deposit.accountId)}.`);
      amount.value = '';
      result.onDeposited();
    },
  });
  return result;
}
