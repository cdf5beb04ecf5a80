'use strict';
// Vanilla client of the job API: list, submit, inspect, cancel, delete, and a live log over EventSource.
const $ = (id) => document.getElementById(id);
let current = null;      // job id shown in the detail panel
let source = null;       // EventSource of that job

/** The message of a failed call: the problem+json detail (RFC 9457), its errors[] when there are several. */
function problemMessage(res, data) {
  if (!data || typeof data.detail !== 'string') return res.status + ' ' + res.statusText;
  const errors = Array.isArray(data.errors) ? data.errors.filter((e) => !data.detail.includes(e)) : [];
  return errors.length ? data.detail + ' (' + errors.join('; ') + ')' : data.detail;
}

// body: an object (sent as JSON) or a string (sent as is, so the server reports line and column of a JSON typo)
async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    // a proxy's HTML error page: report the status instead of a JSON syntax error
    if (res.ok) throw new Error('unexpected response from ' + path + ': not JSON');
  }
  if (!res.ok) throw new Error(problemMessage(res, data));
  return data;
}

let targets = [];        // GET /targets: what the submit form offers

async function loadTargets() {
  const data = await api('GET', '/targets');
  targets = data.targets;
  const select = $('target');
  select.replaceChildren();
  for (const t of targets) {
    const o = document.createElement('option');
    o.value = t.name;
    o.textContent = t.name + ' (' + t.steps.join(' → ') + ')';
    select.appendChild(o);
  }
  if (targets.some((t) => t.name === 'validate')) select.value = 'validate';
  markRequiredInputs();
}

// undeploy and setup run without inputs, simulate needs a model: each URL field is required where the target says so
function markRequiredInputs() {
  const t = targets.find((x) => x.name === $('target').value);
  const required = t ? t.requiredInputs : ['knowledge', 'shacl'];
  for (const name of ['knowledge', 'shacl', 'model']) $(name).required = required.includes(name);
}

async function loadJobs() {
  const status = $('status-filter').value;
  const data = await api('GET', '/jobs?limit=100' + (status ? '&status=' + status : ''));
  const body = document.querySelector('#jobs tbody');
  body.replaceChildren();
  for (const j of data.jobs) {
    const tr = document.createElement('tr');
    tr.dataset.jobId = j.jobId;
    for (const v of [j.jobId, j.target, j.status, j.createdAt, j.lastError || '']) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    tr.children[2].className = 'badge status-' + j.status;
    tr.addEventListener('click', () => show(j.jobId));
    body.appendChild(tr);
  }
}

function setStatus(status) {
  const badge = $('detail-status');
  badge.textContent = status;
  badge.className = 'badge status-' + status;
}

async function refreshDetail() {
  if (!current) return;
  const job = await api('GET', '/jobs/' + encodeURIComponent(current));
  setStatus(job.status);
  const steps = $('steps');
  steps.replaceChildren();
  for (const s of job.steps) {
    const li = document.createElement('li');
    li.textContent = s.name + ': ' + s.status;
    steps.appendChild(li);
  }
  const artifacts = await api('GET', '/jobs/' + encodeURIComponent(current) + '/artifacts');
  const list = $('artifacts');
  list.replaceChildren();
  for (const a of artifacts.artifacts) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = '/jobs/' + encodeURIComponent(current) + '/artifacts/' + encodeURIComponent(a.name);
    link.textContent = a.name + ' (' + a.bytes + ' bytes)';
    li.appendChild(link);
    list.appendChild(li);
  }
}

function appendLine(text, cls) {
  const log = $('log');
  const span = document.createElement('span');
  span.textContent = text + '\n';
  if (cls) span.className = cls;
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.appendChild(span);
  if (atBottom) log.scrollTop = log.scrollHeight;
}

// keys of a status event itself; any other key is the state of something a step watches (StepContext.status)
const STATUS_EVENT_KEYS = new Set(['jobId', 'status', 'step', 'stepStatus', 'at', 'lastError']);

function describeFields(fields) {
  if (fields === null || typeof fields !== 'object') return String(fields);
  return Object.entries(fields)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v))
    .join(', ');
}

function show(jobId) {
  if (source) source.close();
  current = jobId;
  $('detail-section').hidden = false;
  $('detail-id').textContent = jobId;
  $('log').textContent = '';
  $('stream-state').textContent = 'connecting…';
  refreshDetail().catch((e) => appendLine(e.message, 'error'));
  // EventSource resumes with Last-Event-ID by itself after a network error
  source = new EventSource('/jobs/' + encodeURIComponent(jobId) + '/logs');
  source.onopen = () => { $('stream-state').textContent = 'live'; };
  source.addEventListener('log', (e) => {
    const cls = / (ERROR) /.test(e.data) ? 'error' : / WARN /.test(e.data) ? 'warn' : '';
    appendLine(e.data, cls);
  });
  source.addEventListener('status', (e) => {
    const s = JSON.parse(e.data);
    const watched = Object.keys(s).filter((k) => !STATUS_EVENT_KEYS.has(k));
    if (s.stepStatus) {
      appendLine('· step ' + s.step + ': ' + s.stepStatus, 'status');
    } else if (watched.length) {
      // what a step watches, e.g. flink {resource, jobState} or deployment {name, status}
      for (const kind of watched) appendLine('· [' + s.step + '] ' + kind + ': ' + describeFields(s[kind]), 'status');
    } else {
      setStatus(s.status);
      appendLine('· job ' + s.status + (s.lastError ? ': ' + s.lastError : ''), 'status');
    }
    // a deploy job's status events change deployments: the deployments view listens for this
    document.dispatchEvent(new CustomEvent('fjr:job-status', { detail: s }));
    refreshDetail().catch(() => {});
  });
  source.addEventListener('done', (e) => {
    const s = JSON.parse(e.data);
    $('stream-state').textContent = 'ended: ' + s.status;
    source.close();
    document.dispatchEvent(new CustomEvent('fjr:job-status', { detail: s }));
    loadJobs().catch(() => {});
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CONNECTING) $('stream-state').textContent = 'reconnecting…';
  };
}

$('submit-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = $('submit-result');
  out.className = '';
  const body = { target: $('target').value };
  if ($('jobId').value.trim()) body.jobId = $('jobId').value.trim();
  const urls = {};
  for (const name of ['knowledge', 'shacl', 'model']) {
    if ($(name).value.trim()) urls[name] = $(name).value.trim();
  }
  if (Object.keys(urls).length) body.urls = urls;
  const context = {};
  if ($('namespace').value.trim()) context.namespace = $('namespace').value.trim();
  if ($('deployment').value.trim()) context.deployment = $('deployment').value.trim();
  if (Object.keys(context).length) body.context = context;
  try {
    const r = await api('POST', '/jobs', body);
    out.textContent = 'Accepted ' + r.jobId + ' (' + r.status + ')';
    await loadJobs();
    show(r.jobId);
  } catch (err) {
    out.className = 'error';
    out.textContent = err.message;
  }
});

$('cancel').addEventListener('click', async () => {
  try { await api('POST', '/jobs/' + encodeURIComponent(current) + '/cancel'); } catch (e) { appendLine(e.message, 'error'); }
  refreshDetail().catch(() => {});
});
$('delete').addEventListener('click', async () => {
  try {
    await api('DELETE', '/jobs/' + encodeURIComponent(current));
    if (source) source.close();
    $('detail-section').hidden = true;
    current = null;
    await loadJobs();
  } catch (e) { appendLine(e.message, 'error'); }
});
$('refresh').addEventListener('click', () => loadJobs());
$('target').addEventListener('change', markRequiredInputs);
$('status-filter').addEventListener('change', () => loadJobs());

loadTargets().catch((e) => { $('submit-result').textContent = e.message; });
loadJobs().catch(() => {});
setInterval(() => loadJobs().catch(() => {}), 5000);
