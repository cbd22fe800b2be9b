/** Signing in with an API key. The key goes to the hub once; the browser keeps only the session cookie. */
import { signIn } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

export function render(main, _route, ctx) {
  const key = h('input', { id: 'sign-in-key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { id: 'sign-in-error', class: 'bad', role: 'alert' });
  const button = h('button', { type: 'submit' }, t('signIn.submit'));
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, t('signIn.title')),
    h('p', { class: 'muted' }, t('signIn.help')),
    h('div', { class: 'field' }, h('label', { for: key.id }, t('signIn.key')), key),
    error,
    h('p', {}, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    button.disabled = true;
    try {
      const principal = await signIn(key.value.trim());
      key.value = '';
      ctx.signedIn(principal);
    } catch (e) {
      error.textContent = e.status === 401 ? t('signIn.refused') : `${t('error')}: ${e.message}`;
      key.focus();
    } finally {
      button.disabled = false;
    }
  });
  replace(main, form);
  key.focus();
}
