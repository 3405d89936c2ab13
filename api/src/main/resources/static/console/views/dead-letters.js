// Dead letters: Kafka messages no consumer could apply and webhook deliveries that ran out of
// retries, newest first, each with a Replay button (POST .../replay, 202).

import * as api from '../api.js';
import {el, pagedTable, showProblem} from '../dom.js';
import {time} from '../format.js';

/** Long payloads are cut on screen; the whole text stays in the element's title. */
const PAYLOAD_CHARS_SHOWN = 160;

export function render(container) {
  const problems = el('div', {id: 'dead-letters-problem'});
  const list = el('div', {id: 'dead-letters-list'});
  const reload = el('button', {type: 'button', id: 'dead-letters-reload'}, 'Reload');
  const load = () => list.replaceChildren(pagedTable(columns(problems, () => load()),
    (cursor) => api.get('/api/v1/ops/dead-letters', {cursor}),
    (letter) => ({'data-id': letter.id})));
  reload.addEventListener('click', load);
  container.append(el('h1', null, 'Dead letters'), el('div', {class: 'toolbar'}, reload), problems, list);
  load();
}

function columns(problems, reload) {
  return [
    {label: 'Id', value: (d) => el('span', {class: 'id'}, d.id)},
    {label: 'Kind', value: (d) => d.kind},
    {label: 'Dead since', value: (d) => time(d.createdAt)},
    {label: 'What', value: describe},
    {label: 'Error', value: (d) => d.error},
    {label: 'Replay', value: (d) => replayCell(d, problems, reload)},
  ];
}

function describe(letter) {
  if (letter.kind === 'WEBHOOK') {
    return `${letter.eventType || ''} to ${letter.url || ''} (event ${letter.eventId || ''}, ${letter.attempts || 0} attempts)`;
  }
  const payload = letter.payload || '';
  const shown = payload.length > PAYLOAD_CHARS_SHOWN ? `${payload.slice(0, PAYLOAD_CHARS_SHOWN)}…` : payload;
  return el('span', {title: payload},
    el('span', {class: 'muted'}, `${letter.source || ''} / ${letter.consumer || ''} key ${letter.key || ''}: `),
    el('code', null, shown));
}

function replayCell(letter, problems, reload) {
  if (letter.replayedAt) {
    return el('span', {class: 'replayed'}, `replayed ${time(letter.replayedAt)}`);
  }
  const button = el('button', {type: 'button', class: 'primary replay'}, 'Replay');
  const cell = el('span', null, button);
  button.addEventListener('click', async () => {
    button.disabled = true;
    showProblem(problems, null);
    try {
      await api.post(`/api/v1/ops/dead-letters/${encodeURIComponent(letter.id)}/replay`);
      cell.replaceChildren(el('span', {class: 'replayed'}, 'replay requested'));
      // The list shows the replay's outcome (marked, or gone) once it is read again.
      setTimeout(reload, 1500);
    } catch (error) {
      button.disabled = false;
      showProblem(problems, error);
    }
  });
  return cell;
}
