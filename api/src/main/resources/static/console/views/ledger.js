// Ledger check: GET /api/v1/ops/ledger/check, run when asked (it sums every posting).

import * as api from '../api.js';
import {el, showProblem, table} from '../dom.js';
import {count} from '../format.js';

export function render(container) {
  const run = el('button', {type: 'button', class: 'primary', id: 'ledger-run'}, 'Run the check');
  const problems = el('div');
  const result = el('div', {id: 'ledger-result'});
  run.addEventListener('click', async () => {
    run.disabled = true;
    showProblem(problems, null);
    result.replaceChildren(el('p', {class: 'muted'}, 'Checking…'));
    try {
      const check = await api.get('/api/v1/ops/ledger/check');
      const verdict = check.balanced
        ? el('p', {class: 'verdict ok', id: 'ledger-verdict'}, 'Balanced: every currency sums to zero.')
        : el('p', {class: 'verdict bad', id: 'ledger-verdict'}, 'NOT balanced: see the sums below.');
      result.replaceChildren(
        verdict,
        el('p', null, `Customer accounts whose balance differs from their entries: ${count(check.unreconciledAccounts || 0)}`),
        table(
          [
            {label: 'Currency', value: (row) => row.currency},
            // a sum of minor units, shown as the raw integer: it must be exactly 0
            {label: 'Sum (minor units)', value: (row) => String(row.sum)},
          ],
          check.byCurrency || [],
        ),
        el('p', {id: 'ledger-holds'},
          `Customer accounts whose held amount differs from their holds: ${count(check.unreconciledHolds || 0)}`),
        table(
          [
            {label: 'Currency', value: (row) => row.currency},
            // reserved by holds: part of the customer balances above, not money of its own
            {label: 'Held (minor units)', value: (row) => String(row.held)},
          ],
          check.heldByCurrency || [],
        ),
      );
    } catch (error) {
      result.replaceChildren();
      showProblem(problems, error);
    } finally {
      run.disabled = false;
    }
  });
  container.append(
    el('h1', null, 'Ledger check'),
    el('p', {class: 'muted'}, 'Double entry: all postings of a currency, system accounts included, sum to zero.'),
    run,
    problems,
    result,
  );
  run.click();
}
