'use strict';
// Deployments view: the list (GET /deployments), a form that feeds NGSI-LD entities to a local deployment and its live
// alert set over EventSource (GET /deployments/{name}/alerts). Loaded after app.js, whose $ and api it uses.
let selectedDeployment = null; // deployment shown in the detail panel
let alertSource = null;        // EventSource of its alerts

async function loadDeployments() {
  const data = await api('GET', '/deployments');
  const body = document.querySelector('#deployments tbody');
  body.innerHTML = '';
  for (const d of data.deployments) {
    const tr = document.createElement('tr');
    tr.dataset.deployment = d.name;
    const job = d.job ? d.job.state + ' (' + d.job.jobId.slice(0, 8) + ', state from ' + d.job.stateFrom + ')' : '';
    for (const v of [d.name, d.backend, d.status, d.since, d.sourceJobId, job]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    tr.children[2].className = 'badge status-' + d.status;
    tr.addEventListener('click', () => showDeployment(d.name));
    body.appendChild(tr);
  }
}

function alertKey(a) {
  return a.resource + '\u0000' + a.event;
}

function upsertAlert(a) {
  const body = document.querySelector('#alerts tbody');
  let tr = Array.from(body.children).find((row) => row.dataset.key === alertKey(a));
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.key = alertKey(a);
    tr.dataset.resource = a.resource;
    for (let i = 0; i < 4; i++) tr.appendChild(document.createElement('td'));
    body.appendChild(tr);
  }
  tr.dataset.severity = a.severity;
  tr.children[0].textContent = a.resource;
  tr.children[1].textContent = a.event;
  tr.children[2].textContent = a.severity;
  tr.children[2].className = 'badge severity-' + a.severity;
  tr.children[3].textContent = a.text;
}

function removeAlert(key) {
  const body = document.querySelector('#alerts tbody');
  const tr = Array.from(body.children).find((row) => row.dataset.key === alertKey(key));
  if (tr) tr.remove();
}

function showDeployment(name) {
  if (alertSource) alertSource.close();
  selectedDeployment = name;
  $('deployment-section').hidden = false;
  $('deployment-name').textContent = name;
  $('entities-result').textContent = '';
  document.querySelector('#alerts tbody').innerHTML = '';
  $('alerts-state').textContent = 'connecting…';
  // without Last-Event-ID the stream starts with the current set; EventSource resumes by itself after a network error
  alertSource = new EventSource('/deployments/' + encodeURIComponent(name) + '/alerts');
  alertSource.onopen = () => { $('alerts-state').textContent = 'live'; };
  alertSource.addEventListener('alert', (e) => upsertAlert(JSON.parse(e.data)));
  alertSource.addEventListener('clear', (e) => removeAlert(JSON.parse(e.data)));
  alertSource.addEventListener('done', (e) => {
    alertSource.close();
    $('alerts-state').textContent = 'ended: ' + JSON.parse(e.data).status;
    loadDeployments().catch(() => {});
  });
  alertSource.onerror = () => {
    if (alertSource.readyState === EventSource.CLOSED) {
      $('alerts-state').textContent = 'not available (is the deployment running?)';
    } else {
      $('alerts-state').textContent = 'reconnecting…';
    }
  };
}

async function postEntities(event) {
  event.preventDefault();
  const out = $('entities-result');
  out.className = '';
  let body;
  try {
    body = JSON.parse($('entities-body').value);
  } catch (e) {
    out.className = 'error';
    out.textContent = 'not JSON: ' + e.message;
    return;
  }
  try {
    const r = await api('POST', '/deployments/' + encodeURIComponent(selectedDeployment) + '/entities', body);
    out.textContent = 'Fed ' + r.entities + ' entities (' + r.attributes + ' attributes)';
  } catch (e) {
    out.className = 'error';
    out.textContent = e.message;
  }
}

$('entities-form').addEventListener('submit', postEntities);
$('deployments-refresh').addEventListener('click', () => loadDeployments().catch(() => {}));
loadDeployments().catch(() => {});
setInterval(() => loadDeployments().catch(() => {}), 5000);
