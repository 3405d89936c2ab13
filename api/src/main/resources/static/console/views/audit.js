// Audit log: GET /api/v1/ops/audit, newest first, filtered by type and user.

import * as api from '../api.js';
import {el, field, pagedTable} from '../dom.js';
import {time} from '../format.js';

const TYPES = [
  'account.frozen', 'account.unfrozen', 'account.closed',
  'auth.login.succeeded', 'auth.login.failed', 'auth.logout', 'auth.registered',
  'money.accepted', 'money.rejected',
];

export function render(container) {
  const type = el('input', {id: 'audit-type', list: 'audit-types', placeholder: 'e.g. account.frozen', autocomplete: 'off'});
  const types = el('datalist', {id: 'audit-types'}, TYPES.map((value) => el('option', {value})));
  const userId = el('input', {id: 'audit-user', placeholder: 'user id', autocomplete: 'off'});
  const results = el('div', {id: 'audit-results'});
  const form = el('form', {class: 'filters'}, field('Type', type), types, field('User', userId),
    el('div', {class: 'actions'}, el('button', {type: 'submit', class: 'primary', id: 'audit-submit'}, 'Show')));
  const load = () => results.replaceChildren(pagedTable(
    [
      {label: 'When', value: (a) => time(a.createdAt)},
      {label: 'Type', value: (a) => a.type},
      {label: 'User', value: (a) => el('span', {class: 'id'}, a.userId || '')},
      {label: 'Details', value: details},
      {label: 'Request', value: (a) => `${a.requestId || ''} ${a.clientAddress || ''}`.trim()},
    ],
    (cursor) => api.get('/api/v1/ops/audit', {type: type.value.trim(), userId: userId.value.trim(), cursor}),
    (a) => ({'data-id': a.id, 'data-type': a.type}),
  ));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  container.append(el('h1', null, 'Audit log'), form, results);
  load();
}

/** The metadata as name: value lines (the reason first when there is one). */
function details(event) {
  const metadata = event.metadata && typeof event.metadata === 'object' ? event.metadata : {};
  const names = Object.keys(metadata).sort((a, b) => (a === 'reason' ? -1 : b === 'reason' ? 1 : a.localeCompare(b)));
  return el('dl', {class: 'facts compact'}, names.flatMap((name) => [
    el('dt', null, name),
    el('dd', null, typeof metadata[name] === 'string' ? metadata[name] : JSON.stringify(metadata[name])),
  ]));
}
