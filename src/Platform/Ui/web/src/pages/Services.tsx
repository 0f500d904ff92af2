import { useRef, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { href, useLoad, useMarathonEvents } from '../lib/hooks';
import { mib, num } from '../lib/format';
import { statusOf, treeOf, vipsOf, type GroupNode, type MarathonApp } from '../lib/marathon';
import { ErrorBox, Loading, StatusBadge } from '../components/Common';

/** Reloads <reload> when Marathon reports a change, at most every 300 ms (a deployment sends bursts). */
export function useLiveReload(reload: () => void): boolean {
  const pending = useRef<number>();
  return useMarathonEvents(() => {
    if (pending.current === undefined) pending.current = window.setTimeout(() => { pending.current = undefined; reload(); }, 300);
  });
}

export function Services() {
  const apps = useLoad(() => api<{ apps: MarathonApp[] }>('/marathon/v2/apps?embed=apps.counts&embed=apps.deployments'), [], 30000);
  const live = useLiveReload(apps.reload);
  const [filter, setFilter] = useState('');
  const list = (apps.data?.apps ?? []).filter(a => a.id.includes(filter.trim()));
  return (
    <section>
      <div class="heading">
        <h1>Services</h1>
        <span class={live ? 'live on' : 'live'} title="Marathon's event stream">{live ? '● live' : '○ connecting'}</span>
        <a class="button primary" href={href('services', 'new')}>Run a service</a>
      </div>
      <input type="search" placeholder="Filter by id" aria-label="Filter services by id" value={filter} onInput={e => setFilter(e.currentTarget.value)} />
      <ErrorBox error={apps.error} status={apps.status} />
      {!apps.data ? <Loading what="services" /> : list.length === 0 ? <p class="muted">No services yet. <a href={href('services', 'new')}>Run one</a> or install one from the <a href={href('catalog')}>Catalog</a>.</p> : (
        <div class="table-wrap">
          <table class="services">
            <thead><tr><th>Name</th><th>Status</th><th>Running</th><th>Healthy</th><th>Staged</th><th>CPU</th><th>Mem</th><th>VIPs</th></tr></thead>
            <tbody><Group node={treeOf(list)} depth={0} /></tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Group({ node, depth }: { node: GroupNode; depth: number }) {
  return (
    <>
      {node.groups.map(g => (
        <>
          <tr class="group" key={g.id}><td colSpan={8} style={{ paddingLeft: `${depth + 0.5}rem` }}>▸ {g.id.split('/').pop()}/</td></tr>
          <Group node={g} depth={depth + 1} />
        </>
      ))}
      {node.apps.map(a => (
        <tr key={a.id} data-app={a.id}>
          <td style={{ paddingLeft: `${depth + 0.5}rem` }}><a href={href('services', 'app', a.id)}>{a.id.split('/').pop()}</a></td>
          <td><StatusBadge status={statusOf(a)} /></td>
          <td class="num" data-col="running">{a.tasksRunning ?? 0}/{a.instances}</td>
          <td class="num" data-col="healthy">{(a.healthChecks?.length ?? 0) > 0 ? a.tasksHealthy ?? 0 : '-'}</td>
          <td class="num">{a.tasksStaged ?? 0}</td>
          <td class="num">{num(a.cpus * a.instances)}</td>
          <td class="num">{mib(a.mem * a.instances)}</td>
          <td>{vipsOf(a).join(', ') || '-'}</td>
        </tr>
      ))}
    </>
  );
}
