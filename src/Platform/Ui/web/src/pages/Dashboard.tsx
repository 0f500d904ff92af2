import { api } from '../lib/api';
import { href, useLoad } from '../lib/hooks';
import { mib, num } from '../lib/format';
import { liveTasks, stateName, totals, type MasterState } from '../lib/mesos';
import { statusOf, type MarathonApp } from '../lib/marathon';
import { Donut, Meter } from '../components/Charts';
import { ErrorBox, Loading, StatusBadge } from '../components/Common';

/** Allocated against total resources (active agents), tasks by state, and the services that need a look. */
export function Dashboard() {
  const state = useLoad(() => api<MasterState>('/mesos/master/state'), [], 5000);
  const apps = useLoad(() => api<{ apps: MarathonApp[] }>('/marathon/v2/apps'), [], 5000);
  const s = state.data;
  const t = s && totals(s);
  const byState: Record<string, number> = {};
  if (s) for (const task of liveTasks(s)) byState[stateName(task.state)] = (byState[stateName(task.state)] ?? 0) + 1;
  const list = apps.data?.apps ?? [];
  const byStatus: Record<string, number> = {};
  for (const a of list) byStatus[statusOf(a)] = (byStatus[statusOf(a)] ?? 0) + 1;
  const troubled = list.filter(a => ['Unhealthy', 'Deploying', 'Staging'].includes(statusOf(a)) || (a.tasksRunning ?? 0) < a.instances);
  return (
    <section>
      <h1>Dashboard</h1>
      <ErrorBox error={state.error} status={state.status} />
      <ErrorBox error={apps.error} status={apps.status} />
      {!s ? <Loading what="cluster state" /> : (
        <div class="grid">
          <div class="card">
            <h2>Allocated resources</h2>
            <Meter label="CPU" used={t!.usedCpus} total={t!.cpus} unit={v => num(v)} />
            <Meter label="Memory" used={t!.usedMem} total={t!.mem} unit={mib} />
            <Meter label="Disk" used={t!.usedDisk} total={t!.disk} unit={mib} />
            <p class="muted">{s.slaves.filter(a => a.active).length} active agents{s.slaves.some(a => !a.active) ? `, ${s.slaves.filter(a => !a.active).length} unreachable` : ''}.</p>
          </div>
          <div class="card"><Donut title="Tasks by state" counts={byState} /></div>
          <div class="card"><Donut title="Services by status" counts={byStatus} /></div>
          <div class="card">
            <h2>Services needing attention</h2>
            {troubled.length === 0 ? <p class="muted">None: every service runs all its instances.</p> : (
              <ul class="plain">
                {troubled.map(a => <li key={a.id}><a href={href('services', 'app', a.id)}>{a.id}</a> <StatusBadge status={statusOf(a)} /> {a.tasksRunning ?? 0}/{a.instances} running</li>)}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
