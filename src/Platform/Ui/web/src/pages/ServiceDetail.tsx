import { useState } from 'preact/hooks';
import { api, marathonAppPath } from '../lib/api';
import { go, href, useLoad } from '../lib/hooks';
import { ago, mib, num, when } from '../lib/format';
import { healthOf, statusOf, vipAddress, vipsOf, type MarathonApp } from '../lib/marathon';
import { fromApp } from '../lib/appForm';
import { lineDiff } from '../lib/diff';
import { ConfirmButton, ErrorBox, Loading, StatusBadge, Tabs } from '../components/Common';
import { useLiveReload } from './Services';

const readOnly = ['version', 'versionInfo', 'tasks', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'tasksStaged', 'deployments', 'lastTaskFailure', 'readinessCheckResults', 'taskStats'];
const definitionOf = (app: any) => Object.fromEntries(Object.entries(app).filter(([k]) => !readOnly.includes(k)));

export function ServiceDetail({ appId }: { appId: string }) {
  const app = useLoad(() => api<{ app: MarathonApp }>(marathonAppPath(appId)), [appId], 30000);
  useLiveReload(app.reload);
  const [tab, setTab] = useState('Tasks');
  const a = app.data?.app;
  const path = marathonAppPath(appId);
  const change = async (method: string, suffix: string, json?: unknown) => { await api(path + suffix, { method, json }); app.reload(); };
  return (
    <section>
      <p class="crumbs"><a href={href('services')}>Services</a> / {appId}</p>
      <div class="heading">
        <h1>{appId}</h1>
        {a && <StatusBadge status={statusOf(a)} />}
      </div>
      <ErrorBox error={app.error} status={app.status} />
      {!a ? <Loading what="the service" /> : (
        <>
          <p class="summary">
            <span><b data-testid="running">{a.tasksRunning ?? 0}</b>/{a.instances} running</span>
            {(a.healthChecks?.length ?? 0) > 0 && <span><b data-testid="healthy">{a.tasksHealthy ?? 0}</b> healthy</span>}
            <span>{num(a.cpus)} CPU, {mib(a.mem)} each</span>
            {vipsOf(a).map(v => <span key={v} class="vip">VIP {vipAddress(v)}</span>)}
          </p>
          <div class="toolbar">
            <a class="button" href={href('services', 'edit', appId)}>Edit</a>
            <ScaleButton current={a.instances} run={n => change('PUT', '?force=true', { instances: n })} />
            <ConfirmButton label="Restart" title={`Restart ${appId}?`} run={() => change('POST', '/restart?force=true')}>
              <p>Every task is replaced by a new one, as in a rolling upgrade.</p>
            </ConfirmButton>
            <ConfirmButton label="Suspend" title={`Suspend ${appId}?`} run={() => change('PUT', '?force=true', { instances: 0 })}>
              <p>Scales the service to 0 instances; its configuration stays. Scale it up again to resume.</p>
            </ConfirmButton>
            <ConfirmButton label="Destroy" danger title={`Destroy ${appId}?`} run={async () => { await api(path + '?force=true', { method: 'DELETE' }); go('services'); }}>
              <p>Kills every task and deletes the service and its history. This cannot be undone.</p>
            </ConfirmButton>
          </div>
          {a.lastTaskFailure && <p class="muted">Last task failure: {a.lastTaskFailure.state} {a.lastTaskFailure.message} ({ago(a.lastTaskFailure.timestamp)})</p>}
          <Tabs tabs={['Tasks', 'Configuration', 'Versions', 'Deployments']} current={tab} onChange={setTab} />
          {tab === 'Tasks' && <TasksTab app={a} />}
          {tab === 'Configuration' && <ConfigTab app={a} />}
          {tab === 'Versions' && <VersionsTab app={a} onRolledBack={app.reload} />}
          {tab === 'Deployments' && <DeploymentsTab appId={a.id} />}
        </>
      )}
    </section>
  );
}

function ScaleButton({ current, run }: { current: number; run: (n: number) => Promise<void> }) {
  const [n, setN] = useState(String(current));
  return (
    <ConfirmButton label="Scale" title="Scale the service" confirmLabel="Scale service" onOpen={() => setN(String(current))} run={async () => {
      const count = Number(n);
      if (!Number.isInteger(count) || count < 0) throw new Error('instances: a whole number, 0 or more');
      await run(count);
    }}>
      <label>Instances<input name="instances" type="number" min={0} value={n} onInput={e => setN(e.currentTarget.value)} /></label>
    </ConfirmButton>
  );
}

function TasksTab({ app }: { app: MarathonApp }) {
  const tasks = app.tasks ?? [];
  if (tasks.length === 0) return <p class="muted">No tasks.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead><tr><th>Task</th><th>State</th><th>Health</th><th>Host</th><th>Ports</th><th>Started</th><th>Logs</th></tr></thead>
        <tbody>
          {tasks.map(t => (
            <tr key={t.id} data-task={t.id}>
              <td class="mono">{t.id}</td>
              <td>{(t.state ?? 'TASK_RUNNING').replace('TASK_', '').toLowerCase()}</td>
              <td><span class={`health-${healthOf(t).replace(' ', '-')}`}>{healthOf(t)}</span></td>
              <td>{t.host}</td>
              <td>{(t.ports ?? []).join(', ') || '-'}</td>
              <td title={when(t.startedAt)}>{ago(t.startedAt)}</td>
              <td>{t.slaveId ? <><a href={href('task', t.slaveId, t.id, 'stdout')}>stdout</a> · <a href={href('task', t.slaveId, t.id, 'stderr')}>stderr</a></> : '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConfigTab({ app }: { app: MarathonApp }) {
  const [view, setView] = useState('Form');
  const f = fromApp(app);
  const def = definitionOf(app);
  return (
    <>
      <Tabs tabs={['Form', 'JSON']} current={view} onChange={setView} />
      {view === 'JSON' ? <pre class="code">{JSON.stringify(def, null, 2)}</pre> : (
        <dl class="config">
          <dt>Service ID</dt><dd>{f.id}</dd>
          <dt>Instances</dt><dd>{f.instances}</dd>
          <dt>CPUs / memory / disk</dt><dd>{f.cpus} / {f.mem} MiB / {f.disk} MiB</dd>
          <dt>Command</dt><dd class="mono">{f.cmd || '-'}</dd>
          <dt>Container image</dt><dd>{f.image || '- (Mesos command)'}</dd>
          <dt>Network</dt><dd>{f.network}</dd>
          <dt>Ports</dt><dd>{f.ports.length === 0 ? '-' : f.ports.map((p, i) => <div key={i}>{p.name || `port ${i}`}: {p.port} {p.protocol}{p.loadBalanced ? `, load balanced on ${p.vipPort}` : ''}</div>)}</dd>
          <dt>Health checks</dt><dd>{f.healthChecks.length === 0 ? '-' : f.healthChecks.map((h, i) => <div key={i}>{h.protocol} {h.protocol === 'COMMAND' ? h.command : `port index ${h.portIndex} ${h.path}`} every {h.intervalSeconds}s</div>)}</dd>
          <dt>Environment</dt><dd>{f.env.length === 0 ? '-' : f.env.map(e => <div key={e.key} class="mono">{e.key}={e.value}</div>)}</dd>
          <dt>Labels</dt><dd>{f.labels.length === 0 ? '-' : f.labels.map(e => <div key={e.key} class="mono">{e.key}={e.value}</div>)}</dd>
          <dt>Constraints</dt><dd>{f.constraints.length === 0 ? '-' : f.constraints.map((c, i) => <div key={i}>{c.field} {c.operator} {c.value}</div>)}</dd>
        </dl>
      )}
    </>
  );
}

function VersionsTab({ app, onRolledBack }: { app: MarathonApp; onRolledBack: () => void }) {
  const path = marathonAppPath(app.id);
  const versions = useLoad(() => api<{ versions: string[] }>(path + '/versions'), [app.id, app.version]);
  const [picked, setPicked] = useState<string>();
  const old = useLoad(() => (picked ? api(`${path}/versions/${encodeURIComponent(picked)}`) : Promise.resolve(undefined)), [picked]);
  const current = JSON.stringify(definitionOf(app), null, 2);
  const before = old.data ? JSON.stringify(definitionOf(old.data), null, 2) : undefined;
  return (
    <div class="versions">
      <ErrorBox error={versions.error} />
      <ul class="plain">
        {(versions.data?.versions ?? []).map(v => (
          <li key={v}>
            <button type="button" class={v === picked ? 'active' : ''} onClick={() => setPicked(v)}>{when(v)}</button>
            {v === app.version && <span class="badge">current</span>}
          </li>
        ))}
      </ul>
      {picked && before !== undefined && (
        <div>
          <h3>Changes from {when(picked)} to the current version</h3>
          <pre class="code diff">{lineDiff(before, current).map(([m, l], i) => <div key={i} class={m === '+' ? 'add' : m === '-' ? 'del' : ''}>{m} {l}</div>)}</pre>
          {picked !== app.version && (
            <ConfirmButton label="Roll back to this version" title={`Roll back ${app.id} to ${when(picked)}?`} run={async () => {
              await api(path + '?partialUpdate=false&force=true', { method: 'PUT', json: definitionOf(old.data) });
              onRolledBack();
            }}><p>Deploys that version's definition as a new version.</p></ConfirmButton>
          )}
        </div>
      )}
    </div>
  );
}

function DeploymentsTab({ appId }: { appId: string }) {
  const deployments = useLoad(() => api<any[]>('/marathon/v2/deployments'), [appId], 2000);
  const mine = (deployments.data ?? []).filter(d => (d.affectedApps ?? []).includes(appId));
  if (!deployments.data) return <Loading what="deployments" />;
  if (mine.length === 0) return <p class="muted">No deployment in progress.</p>;
  return (
    <ul class="plain">
      {mine.map(d => (
        <li key={d.id} class="card">
          <b>{d.id}</b> started {ago(d.version)}
          <progress max={d.totalSteps || 1} value={(d.currentStep ?? 1) - 1} aria-label="Deployment progress" /> step {d.currentStep}/{d.totalSteps}
          <div class="muted">{(d.currentActions ?? []).map((x: any) => `${x.action} ${x.app}`).join(', ')}</div>
          <ConfirmButton label="Roll back deployment" title="Roll back this deployment?" run={async () => { await api(`/marathon/v2/deployments/${encodeURIComponent(d.id)}`, { method: 'DELETE' }); deployments.reload(); }}>
            <p>Marathon starts a new deployment that undoes this one.</p>
          </ConfirmButton>
        </li>
      ))}
    </ul>
  );
}
