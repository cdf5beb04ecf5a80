'use strict';
// Deployments view: the list (GET /deployments), a form that feeds NGSI-LD entities to a deployment on the local
// engine (POST /deployments/{name}/entities) and its live alert set over EventSource (GET /deployments/{name}/alerts).
// Loaded after app.js, whose $ and api it uses. Everything shown is set with textContent, never parsed as HTML.
let selectedDeployment = null; // name of the deployment shown in the detail panel
let alertSource = null;        // EventSource of its alerts, null when no stream is open
const alertRows = new Map();   // alert key (resource + event) → its table row

function shown(value) {
  return value === null || value === undefined ? '' : String(value);
}

function cell(value) {
  const td = document.createElement('td');
  td.textContent = shown(value);
  return td;
}

function flinkJob(job) {
  if (!job) return '';
  return job.state + ' (' + job.jobId.slice(0, 8) + (job.stateFrom ? ', state from ' + job.stateFrom : '') + ')';
}

// rows are kept per deployment and updated in place: a refresh must not swap the row a user is about to click
const deploymentRows = new Map();

function deploymentRow(name) {
  let tr = deploymentRows.get(name);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.deployment = name;
    for (let i = 0; i < 6; i++) tr.appendChild(cell(''));
    tr.addEventListener('click', () => showDeployment(name));
    deploymentRows.set(name, tr);
  }
  return tr;
}

async function loadDeployments() {
  const data = await api('GET', '/deployments');
  const names = new Set(data.deployments.map((d) => d.name));
  for (const name of Array.from(deploymentRows.keys())) {
    if (!names.has(name)) deploymentRows.delete(name);
  }
  const rows = data.deployments.map((d) => {
    const tr = deploymentRow(d.name);
    tr.dataset.status = d.status;
    [d.name, d.backend, d.status, d.since, d.sourceJobId, flinkJob(d.job)].forEach((v, i) => {
      tr.children[i].textContent = shown(v);
    });
    tr.children[2].className = 'badge status-' + d.status;
    tr.classList.toggle('selected', d.name === selectedDeployment);
    return tr;
  });
  // moving the same nodes keeps them: only deployments that are gone lose their row
  document.querySelector('#deployments tbody').replaceChildren(...rows);
  $('deployments-empty').hidden = rows.length > 0;
  if (selectedDeployment !== null) {
    syncDeployment(data.deployments.find((d) => d.name === selectedDeployment));
  }
}

function setAlertsState(text, cls) {
  const state = $('alerts-state');
  state.textContent = text;
  state.className = cls || '';
}

function closeAlerts() {
  if (alertSource) alertSource.close();
  alertSource = null;
}

function clearAlerts() {
  alertRows.clear();
  document.querySelector('#alerts tbody').replaceChildren();
  updateAlertCount();
}

function updateAlertCount() {
  const open = Array.from(alertRows.values()).filter((tr) => tr.dataset.severity !== 'ok').length;
  $('alerts-count').textContent = alertRows.size === 0 ? 'no alerts'
    : open + ' open' + (alertRows.size > open ? ', ' + (alertRows.size - open) + ' ok' : '');
}

// The panel follows the deployment's listed state: the alert stream is (re)opened while it runs on the local engine.
function syncDeployment(d) {
  const form = $('entities-form');
  if (!d) {
    closeAlerts();
    $('deployment-status').textContent = 'not found';
    form.hidden = true;
    setAlertsState('');
    return;
  }
  const status = $('deployment-status');
  status.textContent = d.status;
  status.className = 'badge status-' + d.status;
  if (d.backend !== 'local') {
    closeAlerts();
    form.hidden = true;
    setAlertsState('this deployment runs on ' + d.backend + ': its entities and alerts go through the platform\'s '
      + 'topics, not this page');
    return;
  }
  form.hidden = false;
  // an open stream stays open across a redeploy; the server ends it (done) on undeploy or shutdown
  if (d.status === 'RUNNING' && alertSource === null) {
    openAlerts(d.name);
  } else if (alertSource === null && d.status !== 'RUNNING') {
    setAlertsState('no live alerts while the deployment is ' + d.status);
  }
}

function showDeployment(name) {
  if (name !== selectedDeployment) {
    closeAlerts();
    clearAlerts();
    $('entities-result').textContent = '';
  }
  selectedDeployment = name;
  $('deployment-section').hidden = false;
  $('deployment-name').textContent = name;
  $('deployment-status').textContent = '';
  setAlertsState('');
  loadDeployments().catch((e) => setAlertsState(e.message, 'error'));
}

function alertKey(a) {
  return JSON.stringify([a.resource, a.event]);
}

function upsertAlert(a) {
  const key = alertKey(a);
  let tr = alertRows.get(key);
  if (!tr) {
    tr = document.createElement('tr');
    tr.append(cell(a.resource), cell(a.event), cell(''), cell(''));
    tr.dataset.resource = a.resource;
    tr.dataset.event = a.event;
    alertRows.set(key, tr);
    document.querySelector('#alerts tbody').appendChild(tr);
  }
  tr.dataset.severity = a.severity;
  tr.children[2].textContent = a.severity;
  tr.children[2].className = 'badge severity-' + a.severity;
  tr.children[3].textContent = a.text;
  updateAlertCount();
}

// a clear event: the job deleted the alert's row (a property shape's check no longer yields it)
function removeAlert(key) {
  const tr = alertRows.get(alertKey(key));
  if (tr) {
    tr.remove();
    alertRows.delete(alertKey(key));
    updateAlertCount();
  }
}

function openAlerts(name) {
  // a new stream without Last-Event-ID starts with the current set; after a network error the browser reconnects
  // by itself sending Last-Event-ID, and the server continues exactly after it, so the table is kept then
  clearAlerts();
  setAlertsState('connecting…');
  const source = new EventSource('/deployments/' + encodeURIComponent(name) + '/alerts');
  alertSource = source;
  source.onopen = () => setAlertsState('live');
  source.addEventListener('alert', (e) => upsertAlert(JSON.parse(e.data)));
  source.addEventListener('clear', (e) => removeAlert(JSON.parse(e.data)));
  source.addEventListener('done', (e) => {
    source.close();
    if (alertSource === source) alertSource = null;
    const status = JSON.parse(e.data).status;
    if (status === 'UNDEPLOYED') clearAlerts();
    setAlertsState('ended: ' + status);
    loadDeployments().catch(() => {});
  });
  source.onerror = () => {
    if (alertSource !== source) return;
    if (source.readyState === EventSource.CONNECTING) {
      setAlertsState('reconnecting…');
      return;
    }
    // refused (an error status closes an EventSource for good): show why; the list refresh reopens it once running
    alertSource = null;
    api('GET', '/deployments/' + encodeURIComponent(name) + '/alerts')
      .then(() => setAlertsState('stream closed; reopening with the next refresh'))
      .catch((err) => setAlertsState('alerts unavailable: ' + err.message, 'error'));
  };
}

async function postEntities(event) {
  event.preventDefault();
  const out = $('entities-result');
  out.className = '';
  out.textContent = 'posting…';
  const button = $('entities-post');
  button.disabled = true;
  try {
    // the text goes as is: the server's problem detail locates a JSON error by line and column
    const r = await api('POST', '/deployments/' + encodeURIComponent(selectedDeployment) + '/entities',
      $('entities-body').value);
    out.textContent = 'Accepted ' + r.entities + (r.entities === 1 ? ' entity' : ' entities') + ' ('
      + r.attributes + (r.attributes === 1 ? ' attribute' : ' attributes') + ')';
  } catch (e) {
    out.className = 'error';
    out.textContent = e.message;
  } finally {
    button.disabled = false;
  }
}

$('entities-form').addEventListener('submit', postEntities);
$('deployments-refresh').addEventListener('click', () => loadDeployments().catch(() => {}));
// a deploy or undeploy job changes a deployment: refresh at once instead of at the next poll
document.addEventListener('fjr:job-status', () => loadDeployments().catch(() => {}));
loadDeployments().catch(() => {});
setInterval(() => loadDeployments().catch(() => {}), 5000);
