// The console's shell: login, the OPS check, and hash navigation between views
// (#overview, #feed, #search, #account/{id}, ...). Each view is a module with
// render(container, argument) that may return a function to call when the view is left
// (to stop timers and streams).

import * as api from './api.js';
import {problemBox, showProblem} from './dom.js';
import * as overview from './views/overview.js';
import * as feed from './views/feed.js';
import * as search from './views/search.js';
import * as account from './views/account.js';
import * as ledger from './views/ledger.js';
import * as deadLetters from './views/dead-letters.js';
import * as webhooks from './views/webhooks.js';
import * as audit from './views/audit.js';

const VIEWS = {
  overview,
  feed,
  search,
  account,
  ledger,
  'dead-letters': deadLetters,
  webhooks,
  audit,
};
const DEFAULT_VIEW = 'overview';

const byId = (id) => document.getElementById(id);
let leaveView = null;

function showLogin(message) {
  leave();
  byId('view').hidden = true;
  byId('nav').hidden = true;
  byId('who').hidden = true;
  byId('login').hidden = false;
  showProblem(byId('login-problem'), message ? new Error(message) : null);
  byId('login-email').focus();
}

function leave() {
  if (leaveView) {
    const stop = leaveView;
    leaveView = null;
    stop();
  }
}

async function submitLogin(event) {
  event.preventDefault();
  const submit = byId('login-submit');
  submit.disabled = true;
  showProblem(byId('login-problem'), null);
  try {
    await api.login(byId('login-email').value.trim(), byId('login-password').value);
    const me = await api.get('/api/v1/me');
    if (!Array.isArray(me.roles) || !me.roles.includes('OPS')) {
      await api.logout();
      throw new Error('This user is not an operator (the OPS role is needed).');
    }
    byId('login-password').value = '';
    byId('who-email').textContent = me.email;
    byId('login').hidden = true;
    byId('nav').hidden = false;
    byId('who').hidden = false;
    byId('view').hidden = false;
    route();
  } catch (error) {
    showProblem(byId('login-problem'), error);
  } finally {
    submit.disabled = false;
  }
}

function route() {
  if (!api.loggedIn()) {
    return;
  }
  const [name, ...rest] = decodeURIComponent(location.hash.slice(1)).split('/');
  const view = VIEWS[name];
  if (!view) {
    location.replace(`#${DEFAULT_VIEW}`);
    return;
  }
  leave();
  for (const link of byId('nav').querySelectorAll('a')) {
    link.classList.toggle('current', link.getAttribute('href') === `#${name}`);
  }
  const container = byId('view');
  container.replaceChildren();
  container.dataset.view = name;
  try {
    leaveView = view.render(container, rest.join('/')) || null;
  } catch (error) {
    container.append(problemBox(error));
  }
  window.scrollTo(0, 0);
}

byId('login-form').addEventListener('submit', submitLogin);
byId('logout').addEventListener('click', async () => {
  await api.logout();
  showLogin('Logged out.');
});
api.whenSessionEnds((reason) => showLogin(reason));
window.addEventListener('hashchange', route);
showLogin(null);
