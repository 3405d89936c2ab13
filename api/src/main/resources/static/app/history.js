// An account's history: entries by month, newest first, a page at a time ("More" follows the
// server's cursor); the latest entries; and a monthly statement as a signed download link.

import { request } from './api.js';
import { accountSelect, explain, field, h, money, say, shortId, thisMonth, when } from './dom.js';
import { go } from './app.js';

/** Entries per page: a phone screen or two. */
const PAGE_SIZE = 20;

export function renderHistory(main, [chosen]) {
  const error = h('p', { id: 'history-error', className: 'error', hidden: true, attrs: { role: 'alert' } });
  const body = h('div', {});
  main.append(h('h1', {}, 'History'), error, body);
  let alive = true;

  request('GET', '/api/v1/accounts')
    .then(({ items }) => {
      if (!alive) {
        return;
      }
      if (items.length === 0) {
        body.append(h('p', { className: 'card' }, 'No accounts yet. ', h('a', { href: '#/accounts' }, 'Open one')));
        return;
      }
      const account = items.find((a) => a.id === chosen) || items[0];
      body.append(historyOf(account, items, error, () => alive));
    })
    .catch((failed) => say(error, explain(failed)));

  return () => {
    alive = false;
  };
}

function historyOf(account, accounts, error, alive) {
  const select = accountSelect('history-account', accounts, account.id);
  select.addEventListener('change', () => go(`#/history/${select.value}`));
  const month = h('input', { id: 'history-month', type: 'month', value: thisMonth(), max: thisMonth() });
  const list = h('ul', { id: 'history-list', className: 'entries' });
  const more = h('button', { id: 'history-more', type: 'button', className: 'secondary', hidden: true }, 'More');
  const recent = h('ul', { id: 'recent-list', className: 'entries compact' });
  let cursor = null;
  let generation = 0; // a page that arrives after the month changed is dropped

  async function page(first) {
    const asked = first ? ++generation : generation;
    const query = new URLSearchParams({ month: month.value || thisMonth(), limit: String(PAGE_SIZE) });
    if (!first && cursor) {
      query.set('cursor', cursor);
    }
    more.disabled = true;
    try {
      const result = await request('GET', `/api/v1/accounts/${account.id}/transactions?${query}`);
      if (!alive() || asked !== generation) {
        return;
      }
      say(error, null);
      if (first) {
        list.replaceChildren();
      }
      list.append(...result.items.map((entry) => entryItem(entry)));
      if (list.children.length === 0) {
        list.append(h('li', { className: 'empty' }, 'Nothing in this month.'));
      }
      cursor = result.nextCursor;
      more.hidden = !cursor;
    } catch (failed) {
      say(error, explain(failed));
    } finally {
      more.disabled = false;
    }
  }

  async function loadRecent() {
    try {
      const result = await request('GET', `/api/v1/accounts/${account.id}/transactions/recent`);
      if (alive()) {
        recent.replaceChildren(
          ...(result.items.length === 0
            ? [h('li', { className: 'empty' }, 'No entries yet.')]
            : result.items.map((entry) => entryItem(entry))),
        );
      }
    } catch (failed) {
      say(error, explain(failed));
    }
  }

  month.addEventListener('change', () => page(true));
  more.addEventListener('click', () => page(false));
  page(true);
  loadRecent();

  return h(
    'div',
    {},
    h(
      'div',
      { className: 'card summary' },
      field('Account', select),
      h('p', { className: 'account-balance' }, money(account.balance, account.currency)),
    ),
    h(
      'div',
      { className: 'columns wide-left' },
      h('section', { className: 'card' },
        h('div', { className: 'section-head' }, h('h2', {}, 'Month'), month),
        list,
        more),
      h('div', {},
        h('section', { className: 'card' }, h('h2', {}, 'Latest'), recent),
        statementCard(account, month, error)),
    ),
  );
}

function entryItem(entry) {
  const credit = entry.direction === 'CREDIT';
  return h(
    'li',
    { className: `entry ${credit ? 'credit' : 'debit'}`, dataset: { entryId: entry.id } },
    h(
      'div',
      { className: 'entry-main' },
      h('span', { className: 'entry-description' }, entry.description || (credit ? 'Money in' : 'Money out')),
      h('span', { className: 'entry-amount' }, `${credit ? '+' : '−'}${money(entry.amount, entry.currency)}`),
    ),
    h(
      'div',
      { className: 'entry-meta' },
      h('span', {}, when(entry.createdAt)),
      entry.counterpartyAccountId ? h('span', {}, `${credit ? 'from' : 'to'} ${shortId(entry.counterpartyAccountId)}`) : null,
      h('span', {}, `balance ${money(entry.balanceAfter, entry.currency)}`),
    ),
  );
}

function statementCard(account, month, error) {
  const format = h(
    'select',
    { id: 'statement-format' },
    h('option', { value: 'pdf' }, 'PDF'),
    h('option', { value: 'csv' }, 'CSV'),
  );
  const submit = h('button', { id: 'statement-submit', type: 'button' }, 'Get statement');
  const link = h('p', { className: 'statement', hidden: true });
  submit.addEventListener('click', async () => {
    submit.disabled = true;
    say(error, null);
    const period = month.value || thisMonth();
    try {
      const answer = await request(
        'GET',
        `/api/v1/accounts/${account.id}/statements/${period}?format=${encodeURIComponent(format.value)}`,
      );
      const url = new URL(answer.downloadUrl, location.href);
      if (url.origin !== location.origin) {
        throw new Error('a statement link to another site');
      }
      link.replaceChildren(
        h('a', { id: 'statement-link', href: url.href, download: '', className: 'button small' },
          `Download ${answer.format || format.value.toUpperCase()} for ${answer.month || period}`),
        h('span', { className: 'hint' },
          ` ${answer.final === false ? 'Month not over yet, so not final. ' : ''}Link valid until ${when(answer.expiresAt)}.`),
      );
      link.hidden = false;
    } catch (failed) {
      say(error, explain(failed));
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    'section',
    { className: 'card' },
    h('h2', {}, 'Statement'),
    h('p', { className: 'hint' }, 'For the month shown with the entries.'),
    h('div', { className: 'inline' }, format, submit),
    link,
  );
}
