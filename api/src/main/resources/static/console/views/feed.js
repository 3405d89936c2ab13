// Live feed: every event of GET /api/v1/ops/events, newest on top. The stream reconnects by
// itself with Last-Event-ID; "Pause" drops the connection and "Resume" opens a new one from the
// last event seen, so nothing that happened in between is lost.

import * as api from '../api.js';
import {el, viewLink} from '../dom.js';
import {money, time} from '../format.js';

/** Events kept on screen; older ones are dropped from the bottom. */
const FEED_ROWS_MAX = 200;

const STATES = {
  connecting: 'Connecting…',
  live: 'Live',
  waiting: 'Reconnecting…',
  paused: 'Paused',
  stopped: 'Stopped',
};

export function render(container) {
  const status = el('span', {class: 'badge', id: 'feed-state'}, STATES.connecting);
  const detail = el('span', {class: 'muted', id: 'feed-detail'});
  const last = el('span', {class: 'muted', id: 'feed-last-id'});
  const toggle = el('button', {type: 'button', id: 'feed-toggle'}, 'Pause');
  const list = el('ol', {class: 'feed', id: 'feed-list', reversed: true});
  const empty = el('p', {class: 'muted', id: 'feed-empty'}, 'Waiting for events…');
  container.append(
    el('h1', null, 'Live feed'),
    el('div', {class: 'toolbar'}, status, toggle, last, detail),
    empty,
    list,
  );

  let connection = null;
  let resumeFrom = null;
  const seen = new Set(); // event ids on screen: a replay after reconnect never shows one twice

  function onEvent(frame) {
    last.textContent = `last event id ${frame.id}`;
    if (frame.id !== null && seen.has(frame.id)) {
      return;
    }
    seen.add(frame.id);
    empty.hidden = true;
    list.prepend(row(frame));
    while (list.children.length > FEED_ROWS_MAX) {
      seen.delete(list.lastElementChild.dataset.eventId);
      list.lastElementChild.remove();
    }
  }

  function onState(name, message) {
    status.textContent = STATES[name] || name;
    status.dataset.state = name;
    detail.textContent = name === 'waiting' && message ? message : '';
  }

  function start() {
    // A paused connection may still report 'stopped' after a new one started: only the current
    // connection speaks.
    const handlers = {
      onEvent,
      onState: (name, message) => connection && connection.handlers === handlers && onState(name, message),
    };
    connection = api.stream('/api/v1/ops/events', handlers, resumeFrom);
    connection.handlers = handlers;
    onState('connecting');
    toggle.textContent = 'Pause';
  }

  function pause() {
    resumeFrom = connection.lastEventId();
    const stopping = connection;
    connection = null;
    stopping.stop();
    onState('paused');
    toggle.textContent = 'Resume';
  }

  toggle.addEventListener('click', () => (connection ? pause() : start()));
  start();
  return () => {
    if (connection) {
      connection.stop();
      connection = null;
    }
  };
}

/** One event as a list item; every value as text. */
function row(frame) {
  let resource = null;
  try {
    resource = JSON.parse(frame.data);
  } catch (notJson) {
    resource = null;
  }
  const item = el('li', {class: 'event', 'data-event-id': frame.id, 'data-type': frame.event});
  const head = el('div', {class: 'event-head'},
    el('span', {class: `badge type ${String(frame.event).split('.').pop()}`}, frame.event),
    el('span', {class: 'muted'}, `#${frame.id}`),
  );
  item.append(head);
  if (!resource || typeof resource !== 'object') {
    item.append(el('pre', {class: 'raw'}, frame.data));
    return item;
  }
  if (resource.amount !== undefined) {
    head.append(el('strong', {class: 'amount'}, money(resource.amount, resource.currency)));
  }
  if (resource.status) {
    head.append(el('span', {class: 'status'}, resource.status));
  }
  const facts = el('dl', {class: 'facts'});
  const fact = (label, value) => {
    if (value !== undefined && value !== null && value !== '') {
      facts.append(el('dt', null, label), el('dd', null, value));
    }
  };
  fact('id', resource.id);
  fact('from', resource.fromAccountId ? viewLink(`#account/${resource.fromAccountId}`, resource.fromAccountId) : null);
  fact('to', resource.toAccountId ? viewLink(`#account/${resource.toAccountId}`, resource.toAccountId) : null);
  fact('account', resource.accountId ? viewLink(`#account/${resource.accountId}`, resource.accountId) : null);
  fact('description', resource.description);
  fact('reason', resource.failureReason);
  fact('destination', resource.destination);
  fact('at', time(resource.updatedAt || resource.createdAt));
  item.append(facts);
  return item;
}
