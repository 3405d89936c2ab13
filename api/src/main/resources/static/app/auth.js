// Log in and register. Registering logs the new customer in at once.

import { login, register } from './api.js';
import { explain, field, h, say } from './dom.js';
import { go, notify } from './app.js';

/** The contract's password length, checked here too so the user learns it before the round trip. */
const PASSWORD_LENGTH_MIN = 12;

export function renderLogin(main) {
  const email = h('input', { id: 'login-email', type: 'email', required: true, autocomplete: 'username' });
  const password = h('input', {
    id: 'login-password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const submit = h('button', { id: 'login-submit', type: 'submit', className: 'primary' }, 'Log in');
  const error = h('p', { id: 'login-error', className: 'error', hidden: true, attrs: { role: 'alert' } });
  const form = h(
    'form',
    { className: 'card narrow' },
    h('h1', {}, 'Log in'),
    field('Email', email),
    field('Password', password),
    error,
    submit,
    h('p', { className: 'aside' }, 'New here? ', h('a', { href: '#/register' }, 'Create a wallet')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    say(error, null);
    try {
      await login(email.value.trim(), password.value);
      notify(null);
      go('#/accounts');
    } catch (failed) {
      say(error, explain(failed));
      submit.disabled = false;
    }
  });
  main.append(form);
  email.focus();
}

export function renderRegister(main) {
  const name = h('input', { id: 'register-name', required: true, autocomplete: 'name', maxLength: 140 });
  const email = h('input', { id: 'register-email', type: 'email', required: true, autocomplete: 'username' });
  const password = h('input', {
    id: 'register-password',
    type: 'password',
    required: true,
    minLength: PASSWORD_LENGTH_MIN,
    maxLength: 128,
    autocomplete: 'new-password',
  });
  const submit = h('button', { id: 'register-submit', type: 'submit', className: 'primary' }, 'Create wallet');
  const error = h('p', { id: 'register-error', className: 'error', hidden: true, attrs: { role: 'alert' } });
  const form = h(
    'form',
    { className: 'card narrow' },
    h('h1', {}, 'Create your wallet'),
    field('Your name', name),
    field('Email', email),
    field('Password', password, `At least ${PASSWORD_LENGTH_MIN} characters.`),
    error,
    submit,
    h('p', { className: 'aside' }, 'Already registered? ', h('a', { href: '#/login' }, 'Log in')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    say(error, null);
    try {
      await register(name.value.trim(), email.value.trim(), password.value);
      await login(email.value.trim(), password.value);
      notify(null);
      go('#/accounts');
    } catch (failed) {
      say(error, explain(failed));
      submit.disabled = false;
    }
  });
  main.append(form);
  name.focus();
}
