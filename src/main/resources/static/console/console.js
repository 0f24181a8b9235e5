// HookBridge console: a static page over the admin API (/admin/**). The admin token is typed in once and kept in
// this tab's sessionStorage; every request sends it as a bearer token. All text from the API is put in the page as
// text (never as HTML).
'use strict';

const TOKEN_KEY = 'hookbridge.adminToken';
const STATUSES = ['pending', 'delivered', 'retrying', 'dead_lettered', 'skipped'];
const FILTERS = ['source', 'type', 'subject', 'status', 'subscription', 'since', 'until'];
const main = document.getElementById('main');
let subscriptionNames = null;

function token() { return sessionStorage.getItem(TOKEN_KEY); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.substring(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || ('HTTP ' + status));
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + token(), 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  try { json = await response.json(); } catch (e) { json = null; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

// a page answers the nodes to show; route() shows them only if no later navigation started meanwhile
function show(...nodes) {
  return nodes;
}
let generation = 0;

function problem(e) {
  if (e instanceof ApiError && e.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    return tokenForm('The admin API refused the token: ' + e.message);
  }
  return el('div', { class: 'problem', id: 'problem' }, e.message);
}

function tokenForm(message) {
  const input = el('input', { type: 'password', id: 'token', size: 40, autocomplete: 'off', placeholder: 'hookbridge.admin.token' });
  const form = el('form', { id: 'token-form', class: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    if (!input.value.trim()) return;
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    route();
  } }, el('label', {}, 'Admin token', input), el('button', { type: 'submit', id: 'save-token' }, 'Open console'));
  renderTokenState();
  return el('div', {}, el('h1', {}, 'Sign in'),
    message ? el('div', { class: 'problem' }, message) : el('p', { class: 'notice' },
      'Paste the admin token (hookbridge.admin.token). It stays in this browser tab only.'), form);
}

function renderTokenState() {
  const state = document.getElementById('token-state');
  state.replaceChildren();
  if (token()) {
    state.append('token set', el('button', { id: 'forget-token', onclick: () => { sessionStorage.removeItem(TOKEN_KEY); route(); } }, 'Forget'));
  }
}

function statusBadge(s) {
  return el('span', { class: 'status status-' + s.status, 'data-subscription': s.subscription, 'data-status': s.status },
    s.subscription + ': ' + s.status.replace('_', ' ') + (s.attempts ? ' (' + s.attempts + ')' : ''));
}

function time(t) { return t ? t.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }

function hashParams() {
  const hash = location.hash || '#/events';
  const q = hash.indexOf('?');
  return { path: q < 0 ? hash.substring(1) : hash.substring(1, q), params: new URLSearchParams(q < 0 ? '' : hash.substring(q + 1)) };
}

async function names() {
  if (!subscriptionNames) subscriptionNames = (await api('GET', '/admin/subscriptions')).subscriptions.map(s => s.name);
  return subscriptionNames;
}

function select(id, values, selected, blank) {
  return el('select', { id, name: id }, el('option', { value: '' }, blank || 'any'),
    values.map(v => el('option', { value: v, selected: v === selected }, v)));
}

// ---- events ----

async function eventsPage(params) {
  const subs = await names();
  const inputs = {};
  for (const f of FILTERS) {
    if (f === 'status') inputs[f] = select('f-status', STATUSES, params.get('status'));
    else if (f === 'subscription') inputs[f] = select('f-subscription', subs, params.get('subscription'));
    else inputs[f] = el('input', { id: 'f-' + f, name: f, value: params.get(f) || '',
      placeholder: f === 'since' || f === 'until' ? '2026-12-01T09:00:00Z' : '', size: f === 'subject' ? 28 : 16 });
  }
  const form = el('form', { class: 'filters', id: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const f of FILTERS) if (inputs[f].value.trim()) q.set(f, inputs[f].value.trim());
    location.hash = '#/events?' + q.toString();
  } }, FILTERS.map(f => el('label', {}, f, inputs[f])), el('button', { type: 'submit', id: 'f-search' }, 'Search'));

  const query = new URLSearchParams();
  for (const f of FILTERS.concat(['cursor'])) if (params.get(f)) query.set(f, params.get(f));
  let page;
  try {
    page = await api('GET', '/admin/events?' + query.toString());
  } catch (e) {
    return show(el('h1', {}, 'Events'), form, problem(e));
  }
  const rows = page.events.map(e => el('tr', { class: 'event-row', 'data-id': e.id },
    el('td', {}, time(e.receivedAt)),
    el('td', {}, el('a', { class: 'event-link', href: '#/event/' + encodeURIComponent(e.id) }, e.id)),
    el('td', {}, e.source), el('td', {}, e.type), el('td', {}, e.subject || ''), el('td', {}, e.vendorEvent || ''),
    el('td', {}, e.statuses.map(statusBadge))));
  const older = page.nextCursor ? (() => {
    const q = new URLSearchParams(params); q.set('cursor', page.nextCursor);
    return el('a', { href: '#/events?' + q.toString(), id: 'older' }, 'Older events →');
  })() : el('span', { class: 'muted' }, 'No older events.');
  return show(el('h1', {}, 'Events'), form,
    el('table', { id: 'events' }, el('thead', {}, el('tr', {}, ['Received', 'Id', 'Source', 'Type', 'Subject', 'Vendor event', 'Status']
      .map(h => el('th', {}, h)))), el('tbody', {}, rows)),
    rows.length ? null : el('p', { class: 'notice', id: 'no-events' }, 'No events match.'),
    el('p', {}, older, ' ', el('span', { class: 'muted' }, '(' + page.scanned + ' positions looked at)')));
}

// ---- one event ----

async function eventPage(id) {
  let e;
  try {
    e = await api('GET', '/admin/events/' + encodeURIComponent(id));
  } catch (err) {
    return show(el('h1', {}, 'Event'), problem(err));
  }
  const attempts = e.attempts.map(a => el('tr', { class: 'attempt-row' },
    el('td', {}, a.subscription), el('td', {}, a.attempt), el('td', {}, time(a.time)),
    el('td', {}, a.status === 0 ? 'no answer' : a.status), el('td', {}, a.durationMillis + ' ms'),
    el('td', { class: a.error ? 'error attempt-error' : '' }, a.error || 'ok'),
    el('td', {}, a.responseBody ? el('code', { class: 'response-body' }, a.responseBody) : ''),
    el('td', {}, a.nextRetryAt ? time(a.nextRetryAt) : '')));
  const replayButtons = e.statuses.filter(s => s.status === 'dead_lettered' || s.status === 'delivered').map(s =>
    el('a', { class: 'replay-link', 'data-subscription': s.subscription, href: '#/replay?' + new URLSearchParams({ subscription: s.subscription,
      from: s.status === 'dead_lettered' ? 'dead-letters' : 'events', ids: e.id }).toString() },
      'Replay to ' + s.subscription + (s.status === 'dead_lettered' ? ' (from dead letters)' : ' (again)')));
  return show(el('h1', {}, 'Event ', el('code', { id: 'event-id' }, e.id)),
    el('table', { id: 'event-summary' }, [['Source', e.source], ['Type', e.type], ['Subject', e.subject || ''],
      ['Vendor event', e.vendorEvent || ''], ['Time', time(e.time)], ['Received', time(e.receivedAt)]]
      .map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))),
    el('h2', {}, 'Status per subscription'), el('div', { id: 'statuses' }, e.statuses.map(statusBadge)),
    el('p', {}, replayButtons.map(b => [b, ' '])),
    el('h2', {}, 'Delivery attempts'),
    e.attempts.length ? el('table', { id: 'attempts' }, el('thead', {}, el('tr', {}, ['Subscription', 'Attempt', 'Time', 'Status',
      'Duration', 'Error', 'Response (start)', 'Next retry'].map(h => el('th', {}, h)))), el('tbody', {}, attempts))
      : el('p', { class: 'muted', id: 'attempts' }, 'No attempts recorded.'),
    el('h2', {}, 'Vendor payload'), el('pre', { id: 'vendor-payload' }, JSON.stringify(e.vendorPayload, null, 2)),
    el('h2', {}, 'Canonical event'), el('pre', { id: 'canonical-event' }, JSON.stringify(e.event, null, 2)));
}

// ---- subscriptions ----

async function subscriptionsPage() {
  let all;
  try {
    all = (await api('GET', '/admin/subscriptions')).subscriptions;
  } catch (e) {
    return show(el('h1', {}, 'Subscriptions'), problem(e));
  }
  subscriptionNames = all.map(s => s.name);
  const act = (name, action) => async () => {
    try { await api('POST', '/admin/subscriptions/' + name + '/' + action); route(); } catch (e) { main.prepend(problem(e)); }
  };
  const rows = all.map(s => el('tr', { class: 'subscription-row', 'data-name': s.name },
    el('td', {}, s.name), el('td', {}, s.paused ? 'Paused' : s.status),
    el('td', {}, s.lagSeconds.toFixed(1) + ' s'), el('td', {}, s.held === null ? '' : s.held),
    el('td', {}, s.heldBehindRetries === null ? '' : s.heldBehindRetries),
    el('td', {}, s.successRate === null ? '' : (100 * s.successRate).toFixed(1) + ' %'),
    el('td', {}, s.delivered), el('td', {}, s.failed), el('td', {}, s.deadLettered), el('td', {}, s.queueDepth),
    el('td', {}, el('a', { href: '#/dead-letters/' + s.name, class: 'dead-letters-link' }, s.deadLetterDepth)),
    el('td', {}, s.paused ? el('button', { class: 'resume', onclick: act(s.name, 'resume') }, 'Resume')
      : el('button', { class: 'pause', onclick: act(s.name, 'pause') }, 'Pause'),
      ' ', el('a', { href: '#/events?subscription=' + s.name }, 'events'))));
  return show(el('h1', {}, 'Subscriptions'),
    el('table', { id: 'subscriptions' }, el('thead', {}, el('tr', {}, ['Name', 'State', 'Lag', 'Held', 'Behind retries',
      'Success', 'Delivered', 'Failed attempts', 'Dead-lettered', 'Queue', 'Dead letters', ''].map(h => el('th', {}, h)))),
    el('tbody', {}, rows)),
    el('p', { class: 'muted' }, 'Counts since this instance started. Lag: age of the oldest event on the queue not yet acknowledged.'));
}

async function deadLettersPage(name) {
  let answer;
  try {
    answer = await api('GET', '/admin/subscriptions/' + encodeURIComponent(name) + '/dead-letters?limit=200');
  } catch (e) {
    return show(el('h1', {}, 'Dead letters'), problem(e));
  }
  const rows = answer.deadLetters.map(d => el('tr', { class: 'dead-letter-row' },
    el('td', {}, time(d.deadLetteredAt)), el('td', {}, el('a', { href: '#/event/' + encodeURIComponent(d.id) }, d.id)),
    el('td', {}, d.source), el('td', {}, d.type), el('td', {}, d.subject || ''), el('td', {}, d.attempts),
    el('td', {}, d.lastStatus), el('td', { class: 'error' }, d.error)));
  return show(el('h1', {}, 'Dead letters of ' + name + ' (' + answer.total + ')'),
    el('p', {}, el('a', { href: '#/replay?' + new URLSearchParams({ subscription: name, from: 'dead-letters' }) }, 'Replay dead letters…')),
    el('table', { id: 'dead-letters' }, el('thead', {}, el('tr', {}, ['Parked', 'Id', 'Source', 'Type', 'Subject', 'Attempts',
      'Last status', 'Error'].map(h => el('th', {}, h)))), el('tbody', {}, rows)));
}

// ---- replay ----

async function replayPage(params) {
  const subs = await names();
  const subscription = select('r-subscription', subs, params.get('subscription'), 'choose…');
  const from = el('select', { id: 'r-from' }, el('option', { value: 'dead-letters', selected: params.get('from') !== 'events' }, 'dead letters'),
    el('option', { value: 'events', selected: params.get('from') === 'events' }, 'the event log (delivered again)'));
  const ids = el('textarea', { id: 'r-ids', rows: 2, cols: 50, placeholder: 'event ids, one a line (optional)' }, params.get('ids') || '');
  const fields = {};
  for (const f of ['source', 'type', 'subject', 'status', 'since', 'until']) {
    fields[f] = f === 'status' ? select('r-status', STATUSES, params.get('status'))
      : el('input', { id: 'r-' + f, value: params.get(f) || '', size: f === 'subject' ? 28 : 16 });
  }
  const outcome = el('div', { id: 'r-outcome' });
  const replayButton = el('button', { type: 'button', id: 'r-replay', disabled: true }, 'Replay');
  const body = (dryRun) => {
    const b = { from: from.value, dryRun };
    const list = ids.value.split(/\s+/).filter(x => x);
    if (list.length) b.ids = list;
    for (const [f, input] of Object.entries(fields)) if (input.value.trim()) b[f] = input.value.trim();
    return b;
  };
  const reset = () => { replayButton.disabled = true; replayButton.textContent = 'Replay'; };
  for (const input of [subscription, from, ids, ...Object.values(fields)]) input.addEventListener('input', reset);
  const dryRun = el('button', { type: 'button', id: 'r-dry-run', onclick: async () => {
    reset();
    if (!subscription.value) { outcome.replaceChildren(el('div', { class: 'problem' }, 'Choose a subscription.')); return; }
    try {
      const r = await api('POST', '/admin/subscriptions/' + subscription.value + '/replay', body(true));
      outcome.replaceChildren(el('div', { class: 'notice', id: 'r-count', 'data-matched': r.matched },
        r.matched + ' event(s) would be replayed to ' + r.subscription + (r.limited ? ' (the first ' + r.matched + ' of more)' : '') + '.'));
      if (r.matched > 0) { replayButton.disabled = false; replayButton.textContent = 'Replay ' + r.matched + ' event(s)'; }
    } catch (e) { outcome.replaceChildren(problem(e)); }
  } }, 'Count (dry run)');
  replayButton.addEventListener('click', async () => {
    replayButton.disabled = true;
    try {
      const r = await api('POST', '/admin/subscriptions/' + subscription.value + '/replay', body(false));
      outcome.replaceChildren(el('div', { class: 'notice', id: 'r-result', 'data-replayed': r.replayed },
        r.replayed + ' event(s) put back on ' + r.subscription + "'s queue."),
        ids.value.trim() ? el('p', {}, ids.value.split(/\s+/).filter(x => x).map(id =>
          [el('a', { href: '#/event/' + encodeURIComponent(id), class: 'replayed-event' }, id), ' '])) : null);
    } catch (e) { outcome.replaceChildren(problem(e)); }
  });
  return show(el('h1', {}, 'Replay'),
    el('p', { class: 'notice' }, 'From dead letters: parked events go back on the subscription\'s queue (since/until: when they were parked). ',
      'From the event log: events already delivered (or any status) are sent again, for example to backfill a new receiver. ',
      'Count first; then replay.'),
    el('form', { class: 'replay', id: 'replay-form', onsubmit: (ev) => ev.preventDefault() },
      el('label', {}, 'subscription', subscription), el('label', {}, 'from', from), el('label', {}, 'ids', ids),
      Object.entries(fields).map(([f, input]) => el('label', {}, f, input)), dryRun, replayButton),
    outcome);
}

// ---- routing ----

async function page(path, params) {
  if (path.startsWith('/event/')) return eventPage(decodeURIComponent(path.substring(7)));
  if (path === '/subscriptions') return subscriptionsPage();
  if (path.startsWith('/dead-letters/')) return deadLettersPage(decodeURIComponent(path.substring(14)));
  if (path === '/replay') return replayPage(params);
  return eventsPage(params);
}

async function route() {
  const mine = ++generation;
  renderTokenState();
  let nodes;
  if (!token()) {
    nodes = [tokenForm()];
  } else {
    const { path, params } = hashParams();
    try {
      nodes = await page(path, params);
    } catch (e) {
      nodes = [problem(e)];
    }
  }
  if (mine === generation) main.replaceChildren(...nodes.filter(n => n !== null && n !== undefined));
}

window.addEventListener('hashchange', route);
route();
