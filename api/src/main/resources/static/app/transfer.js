// One transfer, watched live: the status shown at once from the answer (or a GET), then every
// change as it arrives over the transfer's event stream, until a terminal status.

import { openStream, request } from './api.js';
import { explain, h, money, say, when } from './dom.js';

const TERMINAL = new Set(['COMPLETED', 'FAILED']);

const SOURCES = {
  accepted: 'accepted by the server',
  fetched: 'as last read',
  live: 'live update',
};

const STREAM_STATES = {
  live: 'Watching live',
  reconnecting: 'Reconnecting…',
  stopped: '',
};

/**
 * A panel for `transfer` that follows it live. `source` says where this first status came from
 * ('accepted' or 'fetched'); onTerminal(transfer) runs once when it completes or fails.
 * Returns {element, close}; close() ends the stream.
 */
export function transferPanel(transfer, source, { onTerminal = () => {} } = {}) {
  const status = h('span', { id: 'transfer-status', className: 'badge' });
  const reason = h('p', { id: 'transfer-reason', className: 'error', hidden: true });
  const live = h('span', { id: 'transfer-live', className: 'live' });
  const timeline = h('ol', { id: 'transfer-timeline', className: 'timeline' });
  const element = h(
    'section',
    { id: 'transfer', className: 'card transfer', dataset: { transferId: transfer.id } },
    h('div', { className: 'transfer-head' }, h('h2', {}, 'Transfer'), status),
    h('p', { className: 'transfer-amount' }, money(transfer.amount, transfer.currency)),
    h(
      'dl',
      { className: 'facts' },
      h('dt', {}, 'From'),
      h('dd', { className: 'mono' }, transfer.fromAccountId),
      h('dt', {}, 'To'),
      h('dd', { className: 'mono' }, transfer.toAccountId),
      h('dt', {}, 'Description'),
      h('dd', { id: 'transfer-description' }, transfer.description || '—'),
      h('dt', {}, 'Created'),
      h('dd', {}, when(transfer.createdAt)),
      h('dt', {}, 'Reference'),
      h('dd', { className: 'mono' }, transfer.id),
    ),
    reason,
    h('div', { className: 'timeline-head' }, h('h3', {}, 'Status'), live),
    timeline,
  );
  let current = null;
  let stream = null;

  function update(next, from) {
    if (current !== null && (TERMINAL.has(current) || next.status === current)) {
      return; // a terminal status is final; a repeat adds nothing
    }
    current = next.status;
    status.textContent = next.status;
    status.className = `badge status-${next.status.toLowerCase()}`;
    timeline.append(
      h(
        'li',
        { dataset: { status: next.status, source: from } },
        h('strong', {}, next.status),
        ` · ${SOURCES[from]} · ${new Date().toLocaleTimeString()}`,
      ),
    );
    if (next.status === 'FAILED') {
      say(reason, `Not sent: ${next.failureReason || 'the payment could not be completed'}. The money is back in your account.`);
    }
    if (TERMINAL.has(next.status)) {
      close();
      onTerminal(next);
    }
  }

  function close() {
    if (stream !== null) {
      stream.close();
      stream = null;
    }
    live.textContent = '';
  }

  update(transfer, source);
  if (!TERMINAL.has(current)) {
    stream = openStream(`/api/v1/transfers/${encodeURIComponent(transfer.id)}/events`, {
      onEvent(event) {
        if (event.data && typeof event.data.status === 'string') {
          update(event.data, 'live');
        }
      },
      onState(state) {
        if (stream !== null) {
          live.textContent = STREAM_STATES[state];
        }
        if (state === 'stopped' && !TERMINAL.has(current)) {
          // The stream gave up: show at least the latest status.
          request('GET', `/api/v1/transfers/${encodeURIComponent(transfer.id)}`)
            .then((latest) => update(latest, 'fetched'))
            .catch(() => {});
        }
      },
    });
  }
  return { element, close };
}

/** #/transfer/{id}: any of the user's transfers, live. */
export function renderTransfer(main, [id]) {
  const error = h('p', { className: 'error', hidden: true, attrs: { role: 'alert' } });
  main.append(h('h1', {}, 'Transfer'), error);
  let panel = null;
  let alive = true;
  request('GET', `/api/v1/transfers/${encodeURIComponent(id || '')}`)
    .then((transfer) => {
      if (alive) {
        panel = transferPanel(transfer, 'fetched');
        main.append(panel.element);
      }
    })
    .catch((failed) => say(error, explain(failed)));
  return () => {
    alive = false;
    panel?.close();
  };
}
