// Paystream wallet: the customer's pages, on the public API only (docs/CONTRACT.md), as a mobile
// client would use it. Plain ES modules, no framework: api.js talks to the server (fetch, tokens,
// refresh, SSE), dom.js builds elements from data as text, one module per view. Navigation is by
// the URL hash, so a view change never reloads the page (nor forgets the in-memory tokens).
//
// Stable element ids, for browser tests (keep them when changing the pages):
//   Log in (#/login):     #login-email, #login-password, #login-submit, #login-error
//   Register (#/register): #register-name, #register-email, #register-password, #register-submit,
//                          #register-error
//   Navigation:           #nav-accounts, #nav-send, #nav-history, #nav-withdraw, #logout;
//                          #notice (session messages, e.g. "please log in again")
//   Accounts (#/accounts): #accounts (list; each item li.account[data-account-id] holds
//                          .account-balance, .account-status, .account-id), #open-currency,
//                          #open-submit, #open-error, #deposit-account, #deposit-amount,
//                          #deposit-reference, #deposit-submit, #deposit-error, #deposit-result
//   Send (#/send):        #send-from, #send-to, #send-amount, #send-currency (the currency of the
//                          chosen account, shown read-only), #send-description, #send-submit,
//                          #send-error (the refusal, readable), #send-unconfirmed (no answer came),
//                          #send-retry (retries with the same Idempotency-Key)
//   A transfer (on #/send after sending, and #/transfer/{id}): #transfer (the panel,
//                          data-transfer-id), #transfer-status (PENDING, COMPLETED, FAILED),
//                          #transfer-description, #transfer-reason, #transfer-live (stream state),
//                          #transfer-timeline (li[data-status][data-source="accepted"|"fetched"|
//                          "live"]: each status as it arrived; "live" means over SSE),
//                          #send-balance (the payer's balance, refreshed when the transfer ends)
//   History (#/history/{accountId}): #history-account, #history-month, #history-list
//                          (li.entry), #history-more, #recent-list, #statement-format,
//                          #statement-submit, #statement-link, #history-error
//   Withdraw (#/withdraw): #withdraw-account, #withdraw-amount, #withdraw-destination,
//                          #withdraw-submit, #withdraw-error, #withdraw-unconfirmed,
//                          #withdraw-retry, #withdrawals (li.withdrawal[data-withdrawal-id]
//                          with .withdrawal-status)

import { logout, onSessionEnd, signedIn } from './api.js';
import { say } from './dom.js';
import { renderAccounts } from './accounts.js';
import { renderLogin, renderRegister } from './auth.js';
import { renderHistory } from './history.js';
import { renderSend } from './send.js';
import { renderTransfer } from './transfer.js';
import { renderWithdraw } from './withdraw.js';

/** Each route: its view and whether it needs a signed-in user. */
const ROUTES = {
  login: { view: renderLogin, open: true },
  register: { view: renderRegister, open: true },
  accounts: { view: renderAccounts },
  send: { view: renderSend },
  transfer: { view: renderTransfer },
  history: { view: renderHistory },
  withdraw: { view: renderWithdraw },
};

const main = document.getElementById('view');
const nav = document.getElementById('nav');
const notice = document.getElementById('notice');
const logoutButton = document.getElementById('logout');
let leave = null; // the current view's clean-up (closes its streams and timers)

/** Shows a message above the views until the next navigation by the user. */
export function notify(text) {
  say(notice, text);
}

export function go(hash) {
  if (location.hash === hash) {
    show();
  } else {
    location.hash = hash;
  }
}

function show() {
  const [name, ...params] = location.hash.replace(/^#\/?/, '').split('/');
  let route = ROUTES[name];
  if (!route) {
    go(signedIn() ? '#/accounts' : '#/login');
    return;
  }
  if (!route.open && !signedIn()) {
    go('#/login');
    return;
  }
  if (route.open && signedIn()) {
    go('#/accounts');
    return;
  }
  if (leave) {
    leave();
    leave = null;
  }
  nav.hidden = !signedIn();
  logoutButton.hidden = !signedIn();
  for (const link of nav.querySelectorAll('a')) {
    link.classList.toggle('current', link.id === `nav-${name}`);
  }
  main.replaceChildren();
  const cleanUp = route.view(main, params.map(decodeURIComponent));
  leave = typeof cleanUp === 'function' ? cleanUp : null;
  window.scrollTo(0, 0);
}

onSessionEnd((reason) => {
  notify(reason);
  go('#/login');
});

logoutButton.addEventListener('click', async () => {
  await logout();
  notify('You are logged out.');
  go('#/login');
});

nav.addEventListener('click', () => notify(null));
window.addEventListener('hashchange', show);
show();
