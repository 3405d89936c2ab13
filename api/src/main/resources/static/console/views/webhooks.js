// Webhook deliveries: GET /api/v1/ops/webhook-deliveries, filtered by status and webhook.

import * as api from '../api.js';
import {el, field, pagedTable} from '../dom.js';
import {time} from '../format.js';

const STATUSES = ['PENDING', 'DELIVERED', 'DEAD'];

export function render(container) {
  const status = el('select', {id: 'webhooks-status'}, el('option', {value: ''}, 'any status'),
    STATUSES.map((value) => el('option', {value}, value)));
  const webhookId = el('input', {id: 'webhooks-id', placeholder: 'webhook id', autocomplete: 'off'});
  const results = el('div', {id: 'webhooks-results'});
  const form = el('form', {class: 'filters'}, field('Status', status), field('Webhook', webhookId),
    el('div', {class: 'actions'}, el('button', {type: 'submit', class: 'primary'}, 'Show')));
  const load = () => results.replaceChildren(pagedTable(
    [
      {label: 'Delivery', value: (d) => el('span', {class: 'id'}, d.id)},
      {label: 'Status', value: (d) => el('span', {class: `status ${d.status}`}, d.status)},
      {label: 'Event', value: (d) => `${d.eventType || ''} ${d.eventId || ''}`},
      {label: 'URL', value: (d) => d.url},
      {label: 'Attempts', value: (d) => String(d.attempts ?? '')},
      {label: 'Last error', value: (d) => d.lastError},
      {label: 'Created', value: (d) => time(d.createdAt)},
      {label: 'Next attempt', value: (d) => time(d.nextAttemptAt)},
      {label: 'Finished', value: (d) => time(d.finishedAt)},
    ],
    (cursor) => api.get('/api/v1/ops/webhook-deliveries', {status: status.value, webhookId: webhookId.value.trim(), cursor}),
  ));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  container.append(el('h1', null, 'Webhook deliveries'), form, results);
  load();
}
