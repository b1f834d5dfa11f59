// Flotilla dashboard: plain JavaScript, no dependencies. Every object's text goes into the page through
// textContent (never innerHTML); the bearer token lives in sessionStorage and travels only in Authorization headers.
'use strict';
(() => {
  const TOKEN_KEY = 'flotilla.token';
  const API = '/apis/flotilla.io/v1alpha1';
  const REPO_LABEL = 'flotilla.io/repo-name';
  const state = {
    gitrepos: new Map(), bundles: new Map(), clusters: new Map(), // "ns/name" -> status, from the status stream
    repoSpecs: new Map(), clusterObjects: new Map(),               // "ns/name" -> object, from the REST API
    expandedRepos: new Set(), expandedClusters: new Set(),
    details: new Map(),  // "repo:ns/name" | "cluster:ns/name" -> {bundles, bds, error}
    tab: 'gitrepos', stream: null,
  };
  const $ = id => document.getElementById(id);

  /** An element with properties and children; strings become text nodes. */
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children.flat()) {
      if (c !== undefined && c !== null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const cssState = s => String(s || '').toLowerCase().replace(/[^a-z]/g, '');

  class Unauthorized extends Error {}

  async function api(path) {
    const res = await fetch(path, {
      headers: { authorization: 'Bearer ' + token(), accept: 'application/json' },
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    });
    let body = null;
    try { body = await res.json(); } catch (ignored) { /* not JSON */ }
    if (res.status === 401) throw new Unauthorized((body && body.message) || 'the token was refused');
    if (!res.ok) throw new Error((body && body.message) || ('HTTP ' + res.status));
    return body;
  }

  // ---- sign in / out ----

  async function signIn(candidate) {
    sessionStorage.setItem(TOKEN_KEY, candidate);
    try {
      const who = await api('/auth/v1/whoami');
      $('who').textContent = who.name + ' (' + who.role + ')';
      showMain();
    } catch (e) {
      signOut(e instanceof Unauthorized ? 'Sign-in refused: ' + e.message : 'Cannot reach the manager: ' + e.message);
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (state.stream) state.stream.abort();
    state.stream = null;
    $('main').hidden = true;
    $('logout').hidden = true;
    $('who').textContent = '';
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token').value = '';
    $('token').focus();
    setLive(false);
  }

  function showMain() {
    $('login').hidden = true;
    $('main').hidden = false;
    $('logout').hidden = false;
    $('login-error').textContent = '';
    loadObjects();
    watch();
  }

  function failed(e) {
    if (e instanceof Unauthorized) signOut('Signed out: ' + e.message);
    else $('error').textContent = e.message;
  }

  // ---- data ----

  async function loadObjects() {
    try {
      const [repos, clusters] = await Promise.all([api(API + '/gitrepos'), api(API + '/clusters')]);
      state.repoSpecs = new Map(repos.items.map(o => [key(o), o]));
      state.clusterObjects = new Map(clusters.items.map(o => [key(o), o]));
      $('error').textContent = '';
      render();
    } catch (e) { failed(e); }
  }
  const key = o => o.metadata.namespace + '/' + o.metadata.name;
  let reloadTimer = null;
  function reloadObjectsSoon() {
    if (!reloadTimer) reloadTimer = setTimeout(() => { reloadTimer = null; loadObjects(); }, 500);
  }

  /** The status stream (SSE) read with fetch, which can send the Authorization header EventSource cannot. */
  async function watch() {
    const ctrl = new AbortController();
    state.stream = ctrl;
    let backoff = 500;
    while (!ctrl.signal.aborted) {
      try {
        const res = await fetch('/status/watch?kind=GitRepo&kind=Bundle&kind=Cluster', {
          headers: { authorization: 'Bearer ' + token(), accept: 'text/event-stream' },
          cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', signal: ctrl.signal,
        });
        if (res.status === 401) { signOut('Signed out: the token was refused'); return; }
        if (!res.ok) throw new Error('status stream: HTTP ' + res.status);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const snapshot = { gitrepos: new Map(), bundles: new Map(), clusters: new Map() };
        let inSnapshot = true;
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = parseFrame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (frame.event === 'snapshot-end') {
              // a (re)connect replaces everything: objects deleted while away disappear
              Object.assign(state, snapshot);
              inSnapshot = false;
              backoff = 500;
              setLive(true);
              scheduleRender();
            } else if (frame.event === 'status') {
              apply(inSnapshot ? snapshot : state, JSON.parse(frame.data));
              if (!inSnapshot) scheduleRender();
            }
          }
        }
        throw new Error('status stream ended');
      } catch (e) {
        if (ctrl.signal.aborted) return;
        setLive(false);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 10000);
      }
    }
  }

  function parseFrame(text) {
    const frame = { event: 'message', data: '' };
    for (const line of text.split('\n')) {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') frame.event = value;
      else if (field === 'data') frame.data += (frame.data ? '\n' : '') + value;
    }
    return frame;
  }

  function apply(target, ev) {
    const map = ev.kind === 'GitRepo' ? target.gitrepos : ev.kind === 'Bundle' ? target.bundles
      : ev.kind === 'Cluster' ? target.clusters : null;
    if (!map) return;
    const k = ev.namespace + '/' + ev.name;
    if (ev.deleted) map.delete(k); else map.set(k, ev.status || {});
    if (target !== state) return;
    // the commit and the spec live on the object, not in the aggregated status: re-read them after a change
    if (ev.kind === 'GitRepo') reloadObjectsSoon();
    if (ev.kind === 'Cluster' && !state.clusterObjects.has(k)) reloadObjectsSoon();
    // expanded drill-downs follow the changes of what they show
    if (ev.kind === 'GitRepo' && state.expandedRepos.has(k)) loadDetailSoon('repo:' + k);
    if (ev.kind === 'Bundle') {
      for (const r of state.expandedRepos) {
        const d = state.details.get('repo:' + r);
        if (d && d.bundles && d.bundles.some(b => key(b) === k)) loadDetailSoon('repo:' + r);
      }
      for (const c of state.expandedClusters) loadDetailSoon('cluster:' + c);
    }
    if (ev.kind === 'Cluster' && state.expandedClusters.has(k)) loadDetailSoon('cluster:' + k);
  }

  const detailTimers = new Map();
  function loadDetailSoon(id) {
    if (detailTimers.has(id)) return;
    detailTimers.set(id, setTimeout(() => { detailTimers.delete(id); loadDetail(id); }, 150));
  }

  async function loadDetail(id) {
    const [type, k] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
    const [ns, name] = k.split('/');
    const sel = s => '?labelSelector=' + encodeURIComponent(s);
    try {
      let detail;
      if (type === 'repo') {
        const [bundles, bds] = await Promise.all([
          api(API + '/namespaces/' + encodeURIComponent(ns) + '/bundles' + sel(REPO_LABEL + '=' + name)),
          api(API + '/bundledeployments' + sel(REPO_LABEL + '=' + name + ',flotilla.io/bundle-namespace=' + ns)),
        ]);
        detail = { bundles: bundles.items, bds: bds.items };
      } else {
        const bds = await api(API + '/bundledeployments'
          + sel('flotilla.io/cluster=' + name + ',flotilla.io/cluster-namespace=' + ns));
        detail = { bds: bds.items };
      }
      state.details.set(id, detail);
    } catch (e) {
      if (e instanceof Unauthorized) { failed(e); return; }
      state.details.set(id, { error: e.message });
    }
    scheduleRender();
  }

  // ---- view ----

  let renderQueued = false;
  function scheduleRender() {
    if (!renderQueued) { renderQueued = true; setTimeout(() => { renderQueued = false; render(); }, 20); }
  }

  function setLive(on) {
    $('live').textContent = on ? 'live' : 'offline';
    $('live').className = 'live ' + (on ? 'on' : 'off');
  }

  const readyCondition = st => (st.conditions || []).find(c => c.type === 'Ready') || {};
  const repoState = st => (st.display && st.display.state) || (readyCondition(st).status === 'False' ? 'NotReady' : 'Ready');
  function clusterState(st) {
    const s = st.display && st.display.state;
    return s || 'Ready';
  }
  const online = st => !['Offline', 'WaitCheckIn'].includes(st.display && st.display.state);

  function matches(k, s) {
    const ns = $('filter-namespace').value;
    const f = $('filter-state').value;
    if (ns && k.split('/')[0] !== ns) return false;
    if (f === 'ready') return s === 'Ready';
    if (f === 'not-ready') return s !== 'Ready';
    if (f.startsWith('state:')) return s === f.slice(6);
    return true;
  }

  function refreshFilters() {
    const namespaces = new Set([...state.gitrepos.keys(), ...state.clusters.keys()].map(k => k.split('/')[0]));
    syncOptions($('filter-namespace'), [...namespaces].sort().map(n => [n, n]), 1);
    const states = new Set([...state.gitrepos.values()].map(repoState));
    for (const c of state.clusters.values()) states.add(clusterState(c));
    syncOptions($('filter-state'), [...states].sort().map(s => ['state:' + s, 'state ' + s]), 3);
  }

  function syncOptions(select, options, fixed) {
    const wanted = options.map(o => o[0]).join('\n');
    const have = [...select.options].slice(fixed).map(o => o.value).join('\n');
    if (wanted === have) return;
    const chosen = select.value;
    while (select.options.length > fixed) select.remove(fixed);
    for (const [value, label] of options) select.append(el('option', { value }, label));
    select.value = [...select.options].some(o => o.value === chosen) ? chosen : '';
  }

  function render() {
    refreshFilters();
    renderRepos();
    renderClusters();
  }

  function renderRepos() {
    const rows = [];
    for (const k of [...state.gitrepos.keys()].sort()) {
      const st = state.gitrepos.get(k);
      const s = repoState(st);
      if (!matches(k, s)) continue;
      const [ns, name] = k.split('/');
      const spec = (state.repoSpecs.get(k) || {}).spec || {};
      const open = state.expandedRepos.has(k);
      const row = el('tr', { class: 'row gitrepo', 'data-key': k },
        el('td', { class: 'toggle' }, open ? '▾' : '▸'),
        el('td', {}, ns), el('td', { class: 'name' }, name), el('td', { class: 'mono' }, spec.repo || ''),
        el('td', { class: 'mono commit' }, (st.commit || ((state.repoSpecs.get(k) || {}).status || {}).commit || '').slice(0, 12)),
        el('td', { class: 'ready-bds' }, (st.display && st.display.readyBundleDeployments) || ''),
        el('td', {}, (st.readyClusters || 0) + '/' + (st.desiredReadyClusters || 0)),
        el('td', { class: 'state ' + cssState(s), 'data-state': s }, s),
        el('td', { class: 'message' }, readyCondition(st).message || ''));
      row.addEventListener('click', () => toggle(state.expandedRepos, k, 'repo:' + k));
      rows.push(row);
      if (open) rows.push(el('tr', { class: 'detail' }, el('td', { colSpan: 9 }, repoDetail(k))));
    }
    $('gitrepo-rows').replaceChildren(...rows);
    $('gitrepos-empty').hidden = rows.length > 0;
  }

  function repoDetail(k) {
    const d = state.details.get('repo:' + k);
    if (!d) return el('p', { class: 'empty' }, 'Loading…');
    if (d.error) return el('p', { class: 'error' }, d.error);
    if (!d.bundles.length) return el('p', { class: 'empty' }, 'No bundles yet.');
    return d.bundles.map(b => {
      const bk = key(b);
      const st = state.bundles.get(bk) || b.status || {};
      const s = repoState(st);
      const bds = d.bds.filter(bd => (bd.metadata.labels || {})['flotilla.io/bundle-name'] === b.metadata.name);
      return el('div', { class: 'bundle', 'data-bundle': bk },
        el('h3', {}, 'Bundle ', b.metadata.name, ' — ', (st.display && st.display.readyClusters) || '', ' ready ',
          el('span', { class: 'state ' + cssState(s) }, s)),
        bdTable(bds, 'Cluster', bd => (bd.metadata.labels || {})['flotilla.io/cluster'] || bd.metadata.namespace));
    });
  }

  function bdTable(bds, firstColumn, first) {
    if (!bds.length) return el('p', { class: 'empty' }, 'No BundleDeployments.');
    return el('table', {},
      el('thead', {}, el('tr', {}, ['', 'State', 'Message', 'Non-ready resources', 'Modified resources']
        .map((h, i) => el('th', {}, i === 0 ? firstColumn : h)))),
      el('tbody', {}, bds.map(bd => {
        const st = bd.status || {};
        const s = (st.display && st.display.state) || (st.ready ? 'Ready' : 'NotReady');
        return el('tr', { class: 'bd', 'data-bd': bd.metadata.namespace + '/' + bd.metadata.name },
          el('td', {}, first(bd)),
          el('td', { class: 'state ' + cssState(s), 'data-state': s }, s),
          el('td', {}, readyCondition(st).message || ''),
          el('td', {}, resourceList((st.nonReadyStatus || []).map(r => ref(r)
            + ((r.summary && r.summary.state) ? ': ' + r.summary.state : '')
            + ((r.summary && r.summary.message && r.summary.message.length) ? ' (' + r.summary.message.join('; ') + ')' : '')))),
          el('td', {}, resourceList((st.modifiedStatus || []).map(r => ref(r)
            + (r.missing ? ' missing' : r.delete ? ' to delete' : ' modified')))));
      })));
  }

  const ref = r => r.kind + ' ' + (r.namespace ? r.namespace + '/' : '') + r.name;
  const resourceList = items => items.length ? el('ul', { class: 'resources' }, items.map(i => el('li', {}, i))) : '';

  function renderClusters() {
    const rows = [];
    for (const k of [...state.clusters.keys()].sort()) {
      const st = state.clusters.get(k);
      const s = clusterState(st);
      if (!matches(k, s)) continue;
      const [ns, name] = k.split('/');
      const labels = ((state.clusterObjects.get(k) || {}).metadata || {}).labels || {};
      const open = state.expandedClusters.has(k);
      const isOnline = online(st);
      const row = el('tr', { class: 'row cluster', 'data-key': k },
        el('td', { class: 'toggle' }, open ? '▾' : '▸'),
        el('td', {}, ns), el('td', { class: 'name' }, name),
        el('td', { class: 'agent ' + (isOnline ? 'online' : 'offline') }, isOnline ? 'online' : 'offline'),
        el('td', {}, (st.display && st.display.readyBundles) || ''),
        el('td', { class: 'state ' + cssState(s), 'data-state': s }, s),
        el('td', { class: 'mono' }, Object.entries(labels).map(([a, b]) => a + '=' + b).join(', ')));
      row.addEventListener('click', () => toggle(state.expandedClusters, k, 'cluster:' + k));
      rows.push(row);
      if (open) {
        const d = state.details.get('cluster:' + k);
        rows.push(el('tr', { class: 'detail' }, el('td', { colSpan: 7 },
          !d ? el('p', { class: 'empty' }, 'Loading…') : d.error ? el('p', { class: 'error' }, d.error)
            : bdTable(d.bds, 'Bundle', bd => bd.metadata.name))));
      }
    }
    $('cluster-rows').replaceChildren(...rows);
    $('clusters-empty').hidden = rows.length > 0;
  }

  function toggle(set, k, id) {
    if (set.has(k)) { set.delete(k); state.details.delete(id); } else { set.add(k); loadDetail(id); }
    render();
  }

  function showTab(tab) {
    state.tab = tab;
    for (const t of ['gitrepos', 'clusters']) {
      $(t).hidden = t !== tab;
      $('tab-' + t).classList.toggle('active', t === tab);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', ev => {
      ev.preventDefault();
      const t = $('token').value.trim();
      $('token').value = '';
      if (t) signIn(t);
    });
    $('logout').addEventListener('click', () => signOut('Signed out.'));
    for (const t of ['gitrepos', 'clusters']) $('tab-' + t).addEventListener('click', () => showTab(t));
    $('filter-namespace').addEventListener('change', render);
    $('filter-state').addEventListener('change', render);
    if (token()) signIn(token()); else signOut('');
  });
})();
