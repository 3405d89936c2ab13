// Account page (#account/{id}): the owner (masked), balance and status, the entries of a month
// page by page, and freeze / unfreeze / close, each with a reason the operator must type (it goes
// into the audit trail). Without an id: find accounts by the owner's email, or open one by id.

import * as api from '../api.js';
import {el, field, pagedTable, showProblem, viewLink} from '../dom.js';
import {currentMonth, money, time} from '../format.js';

/** The API's limit on a reason (console-api.md, account actions). */
const REASON_CHARS_MAX = 500;

const ACTIONS = [
  {name: 'freeze', label: 'Freeze', from: ['ACTIVE']},
  {name: 'unfreeze', label: 'Unfreeze', from: ['FROZEN']},
  {name: 'close', label: 'Close', from: ['ACTIVE', 'FROZEN'], confirm: 'Close this account for good?'},
];

export function render(container, id) {
  if (!id) {
    return finder(container);
  }
  const problems = el('div', {id: 'account-problem'});
  const summary = el('div', {class: 'card', id: 'account-summary'}, 'Loading…');
  const actions = el('div', {class: 'card', id: 'account-actions'});
  const entries = el('div', {class: 'card', id: 'account-entries'});
  container.append(el('h1', null, 'Account'), problems, summary, actions, entries);

  async function load() {
    try {
      const view = await api.get(`/api/v1/ops/accounts/${encodeURIComponent(id)}`);
      showSummary(summary, view);
      showActions(actions, view.account, load, problems);
    } catch (error) {
      summary.replaceChildren();
      showProblem(problems, error);
    }
  }
  load();
  showEntries(entries, id);
  return null;
}

function finder(container) {
  const id = el('input', {id: 'account-find-id', placeholder: 'account id', autocomplete: 'off', required: true});
  const byId = el('form', {class: 'filters'}, field('Account id', id),
    el('div', {class: 'actions'}, el('button', {type: 'submit', class: 'primary'}, 'Open')));
  byId.addEventListener('submit', (event) => {
    event.preventDefault();
    if (id.value.trim()) {
      location.hash = `#account/${id.value.trim()}`;
    }
  });
  const email = el('input', {id: 'account-find-email', type: 'email', placeholder: 'customer email', required: true});
  const results = el('div');
  const byEmail = el('form', {class: 'filters'}, field('Owner email', email),
    el('div', {class: 'actions'}, el('button', {type: 'submit', class: 'primary'}, 'Find')));
  byEmail.addEventListener('submit', (event) => {
    event.preventDefault();
    results.replaceChildren(pagedTable(
      [
        {label: 'Account', value: (v) => viewLink(`#account/${v.account.id}`, v.account.id)},
        {label: 'Owner', value: (v) => `${v.owner.name} (${v.owner.email})`},
        {label: 'Status', value: (v) => v.account.status},
        {label: 'Balance', value: (v) => money(v.account.balance, v.account.currency)},
      ],
      (cursor) => api.get('/api/v1/ops/accounts', {email: email.value.trim(), cursor}),
    ));
  });
  container.append(el('h1', null, 'Accounts'), byId, byEmail, results);
  return null;
}

function showSummary(summary, view) {
  const {account, owner} = view;
  const facts = el('dl', {class: 'facts wide'});
  const fact = (label, value, id) => facts.append(el('dt', null, label), el('dd', id ? {id} : null, value));
  fact('Account', el('span', {class: 'id'}, account.id));
  fact('Status', el('span', {class: `status ${account.status}`}, account.status), 'account-status');
  fact('Balance', money(account.balance, account.currency), 'account-balance');
  // what holds do not reserve; the same as the balance when nothing is held
  fact('Available', money(account.availableBalance, account.currency), 'account-available');
  fact('Currency', account.currency);
  fact('Opened', time(account.createdAt));
  if (owner) {
    fact('Owner', owner.name);
    fact('Owner email', owner.email, 'account-owner-email');
    fact('Owner id', el('span', {class: 'id'}, owner.userId));
  }
  summary.replaceChildren(el('h2', null, 'Summary'), facts);
}

function showActions(actions, account, reload, problems) {
  const reason = el('textarea', {
    id: 'account-reason',
    maxlength: REASON_CHARS_MAX,
    rows: 2,
    placeholder: 'Why? Required; kept in the audit log.',
  });
  const note = el('p', {class: 'muted', id: 'account-action-note'});
  const buttons = ACTIONS.map((action) =>
    el('button', {type: 'button', id: `account-${action.name}`, 'data-action': action.name,
      class: action.name === 'close' ? 'danger' : 'primary'}, action.label));
  const allowed = (action) => action.from.includes(account.status);
  const update = () => {
    const given = reason.value.trim().length > 0;
    buttons.forEach((button, index) => {
      button.disabled = !given || !allowed(ACTIONS[index]);
    });
    note.textContent = given ? '' : 'Type a reason to enable the actions.';
  };
  reason.addEventListener('input', update);
  buttons.forEach((button, index) => {
    const action = ACTIONS[index];
    button.addEventListener('click', async () => {
      const text = reason.value.trim();
      // The disabled button is the first guard; this is the second, for anything that clicks anyway.
      if (!text) {
        note.textContent = 'A reason is required.';
        reason.focus();
        return;
      }
      if (action.confirm && !window.confirm(action.confirm)) {
        return;
      }
      buttons.forEach((b) => (b.disabled = true));
      try {
        await api.post(`/api/v1/accounts/${encodeURIComponent(account.id)}/${action.name}`, {reason: text});
        showProblem(problems, null);
        await reload();
      } catch (error) {
        showProblem(problems, error);
        update();
      }
    });
  });
  update();
  actions.replaceChildren(
    el('h2', null, 'Actions'),
    field('Reason', reason),
    el('div', {class: 'actions'}, buttons),
    note,
  );
}

function showEntries(entries, id) {
  const month = el('input', {id: 'account-month', type: 'month', value: currentMonth()});
  const list = el('div');
  const columns = [
    {label: 'When', value: (e) => time(e.createdAt)},
    {label: 'Direction', value: (e) => e.direction},
    {label: 'Amount', value: (e) => money(e.direction === 'DEBIT' ? -e.amount : e.amount, e.currency)},
    {label: 'Balance after', value: (e) => money(e.balanceAfter, e.currency)},
    {label: 'Counterparty', value: (e) => e.counterpartyAccountId
      ? viewLink(`#account/${e.counterpartyAccountId}`, e.counterpartyAccountId) : ''},
    {label: 'Description', value: (e) => e.description},
    {label: 'Transfer', value: (e) => el('span', {class: 'id'}, e.transferId)},
  ];
  const load = () => list.replaceChildren(pagedTable(columns, (cursor) =>
    api.get(`/api/v1/accounts/${encodeURIComponent(id)}/transactions`, {month: month.value, cursor})));
  month.addEventListener('change', load);
  entries.append(el('h2', null, 'Entries'), field('Month (UTC)', month), list);
  load();
}
