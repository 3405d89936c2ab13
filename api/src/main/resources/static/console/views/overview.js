// Overview: the live numbers of GET /api/v1/ops/overview, refreshed every few seconds, and two
// charts of the last 15 minutes (rates, and the queues that should stay near zero).

import * as api from '../api.js';
import {el, showProblem} from '../dom.js';
import {age, count, time} from '../format.js';
import {lineChart} from './chart.js';

/** How often the numbers are fetched again; the server samples every 10 s. */
const REFRESH_SECONDS = 5;

const TILES = [
  {key: 'acceptedPerSecond', label: 'Accepted / s', format: rate},
  {key: 'completedPerSecond', label: 'Completed / s', format: rate},
  {key: 'failedPerSecond', label: 'Failed / s', format: rate},
  {key: 'pending', label: 'Pending', format: count},
  {key: 'oldestPendingAgeSeconds', label: 'Oldest pending', format: age},
  {key: 'outboxBacklog', label: 'Outbox backlog', format: count},
  {key: 'consumerLag', label: 'Consumer lag', format: count},
  {key: 'deadLetters', label: 'Dead letters', format: count},
  {key: 'sseSubscribers', label: 'SSE subscribers', format: count},
];

const RATES = [
  {key: 'acceptedPerSecond', label: 'accepted', className: 'series-1'},
  {key: 'completedPerSecond', label: 'completed', className: 'series-2'},
  {key: 'failedPerSecond', label: 'failed', className: 'series-3'},
];

const QUEUES = [
  {key: 'pending', label: 'pending', className: 'series-1'},
  {key: 'outboxBacklog', label: 'outbox backlog', className: 'series-2'},
  {key: 'consumerLag', label: 'consumer lag', className: 'series-3'},
  {key: 'deadLetters', label: 'dead letters', className: 'series-4'},
];

function rate(value) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(1);
}

export function render(container) {
  const values = new Map();
  const tiles = el('div', {class: 'tiles', id: 'overview-tiles'});
  for (const tile of TILES) {
    const value = el('span', {class: 'value', id: `tile-${tile.key}`}, '–');
    values.set(tile.key, value);
    tiles.append(el('div', {class: 'tile'}, el('span', {class: 'label'}, tile.label), value));
  }
  const updated = el('p', {class: 'muted', id: 'overview-updated'}, 'Loading…');
  const problems = el('div');
  const ratesChart = el('figure', {class: 'chart', id: 'chart-rates'});
  const queuesChart = el('figure', {class: 'chart', id: 'chart-queues'});
  container.append(
    el('h1', null, 'Overview'),
    updated,
    problems,
    tiles,
    el('div', {class: 'charts'}, ratesChart, queuesChart),
  );

  let timer = null;
  let left = false;
  async function load() {
    try {
      const overview = await api.get('/api/v1/ops/overview');
      if (left) {
        return;
      }
      showProblem(problems, null);
      for (const tile of TILES) {
        values.get(tile.key).textContent = tile.format(overview.current ? overview.current[tile.key] : null);
      }
      updated.textContent = `As of ${time(overview.at)}, sampled every ${overview.sampleSeconds} s; refreshes every ${REFRESH_SECONDS} s.`;
      const samples = Array.isArray(overview.samples) ? [...overview.samples] : [];
      // The ring is sampled every sampleSeconds; the current numbers end the line so that it
      // moves with the tiles above it.
      const lastAt = samples.length ? new Date(samples[samples.length - 1].at).getTime() : 0;
      if (overview.current && new Date(overview.current.at).getTime() > lastAt) {
        samples.push(overview.current);
      }
      lineChart(ratesChart, 'Transfers per second, last 15 minutes', samples, RATES);
      lineChart(queuesChart, 'Queues, last 15 minutes', samples, QUEUES);
    } catch (error) {
      if (!left) {
        showProblem(problems, error);
      }
    } finally {
      if (!left) {
        timer = setTimeout(load, REFRESH_SECONDS * 1000);
      }
    }
  }
  load();
  return () => {
    left = true;
    clearTimeout(timer);
  };
}
