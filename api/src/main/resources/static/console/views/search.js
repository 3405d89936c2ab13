// Search: transfers, withdrawals or holds by id, account, customer email, status and time range, one page
// at a time ("More" follows nextCursor with the same filters).

import * as api from '../api.js';
import {clear, el, field, pagedTable, viewLink} from '../dom.js';
import {money, time, utcFromInput} from '../format.js';

const KINDS = {
  transfers: {
    label: 'Transfers',
    path: '/api/v1/ops/transfers',
    statuses: ['PENDING', 'COMPLETED', 'FAILED'],
    columns: [
      {label: 'Id', value: (t) => el('span', {class: 'id'}, t.id)},
      {label: 'Status', value: (t) => el('span', {class: `status ${t.status}`}, t.status)},
      {label: 'Amount', value: (t) => money(t.amount, t.currency)},
      {label: 'From', value: (t) => viewLink(`#account/${t.fromAccountId}`, t.fromAccountId)},
      {label: 'To', value: (t) => viewLink(`#account/${t.toAccountId}`, t.toAccountId)},
      {label: 'Description', value: (t) => t.description},
      {label: 'Failure', value: (t) => t.failureReason},
      {label: 'Created', value: (t) => time(t.createdAt)},
    ],
  },
  withdrawals: {
    label: 'Withdrawals',
    path: '/api/v1/ops/withdrawals',
    statuses: ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'],
    columns: [
      {label: 'Id', value: (w) => el('span', {class: 'id'}, w.id)},
      {label: 'Status', value: (w) => el('span', {class: `status ${w.status}`}, w.status)},
      {label: 'Amount', value: (w) => money(w.amount, w.currency)},
      {label: 'Account', value: (w) => viewLink(`#account/${w.accountId}`, w.accountId)},
      {label: 'Destination', value: (w) => w.destination},
      {label: 'Provider ref.', value: (w) => w.externalReference},
      {label: 'Failure', value: (w) => w.failureReason},
      {label: 'Created', value: (w) => time(w.createdAt)},
    ],
  },
  holds: {
    label: 'Holds',
    path: '/api/v1/ops/holds',
    statuses: ['HELD', 'CAPTURED', 'VOIDED', 'EXPIRED'],
    columns: [
      {label: 'Id', value: (x) => el('span', {class: 'id'}, x.id)},
      {label: 'Status', value: (x) => el('span', {class: `status ${x.status}`}, x.status)},
      {label: 'Amount', value: (x) => money(x.amount, x.currency)},
      {label: 'Captured', value: (x) => (x.capturedAmount == null ? '' : money(x.capturedAmount, x.currency))},
      {label: 'From', value: (x) => viewLink(`#account/${x.fromAccountId}`, x.fromAccountId)},
      {label: 'To', value: (x) => viewLink(`#account/${x.toAccountId}`, x.toAccountId)},
      {label: 'Description', value: (x) => x.description},
      {label: 'Expires', value: (x) => time(x.expiresAt)},
      {label: 'Created', value: (x) => time(x.createdAt)},
    ],
  },
};

export function render(container) {
  const kind = el('select', {id: 'search-kind', name: 'kind'},
    Object.entries(KINDS).map(([value, k]) => el('option', {value}, k.label)));
  const id = el('input', {id: 'search-id', name: 'id', placeholder: 'exact id', autocomplete: 'off'});
  const accountId = el('input', {id: 'search-account', name: 'accountId', placeholder: 'account id', autocomplete: 'off'});
  const email = el('input', {id: 'search-email', name: 'email', type: 'email', placeholder: 'customer email', autocomplete: 'off'});
  const status = el('select', {id: 'search-status', name: 'status'});
  const from = el('input', {id: 'search-from', name: 'from', type: 'datetime-local', step: 1});
  const to = el('input', {id: 'search-to', name: 'to', type: 'datetime-local', step: 1});
  const results = el('div', {id: 'search-results'});

  function statuses() {
    clear(status);
    status.append(el('option', {value: ''}, 'any status'));
    for (const value of KINDS[kind.value].statuses) {
      status.append(el('option', {value}, value));
    }
  }
  kind.addEventListener('change', statuses);
  statuses();

  const form = el('form', {class: 'filters', id: 'search-form'},
    field('Kind', kind),
    field('Id', id),
    field('Account', accountId),
    field('Customer email', email),
    field('Status', status),
    field('From (UTC)', from),
    field('To (UTC, exclusive)', to),
    el('div', {class: 'actions'}, el('button', {type: 'submit', class: 'primary', id: 'search-submit'}, 'Search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = KINDS[kind.value];
    const query = {
      id: id.value.trim(),
      accountId: accountId.value.trim(),
      email: email.value.trim(),
      status: status.value,
      from: utcFromInput(from.value),
      to: utcFromInput(to.value),
    };
    const page = pagedTable(
      chosen.columns,
      (cursor) => api.get(chosen.path, {...query, cursor}),
      (item) => ({'data-id': item.id}),
    );
    results.replaceChildren(el('h2', null, chosen.label), page);
  });

  container.append(el('h1', null, 'Search'), form, results);
}
