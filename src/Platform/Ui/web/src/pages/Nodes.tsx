import { useState } from 'preact/hooks';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { ago, mib, num } from '../lib/format';
import { liveTasks, stateName, type MasterState } from '../lib/mesos';
import { Meter } from '../components/Charts';
import { ErrorBox, Loading, StatusBadge } from '../components/Common';

/** Agents from the leading master's state: resources used of total, attributes, their tasks; unreachable ones marked. */
export function Nodes() {
  const state = useLoad(() => api<MasterState>('/mesos/master/state'), [], 5000);
  const [open, setOpen] = useState<string>();
  const s = state.data;
  return (
    <section>
      <h1>Nodes</h1>
      <ErrorBox error={state.error} status={state.status} />
      {!s ? <Loading what="agents" /> : s.slaves.length === 0 ? <p class="muted">No agents have registered.</p> : (
        <div class="grid nodes">
          {s.slaves.map(a => {
            const tasks = liveTasks(s).filter(t => t.slave_id === a.id);
            return (
              <article class={a.active ? 'card' : 'card unreachable'} key={a.id} data-agent={a.hostname}>
                <header class="heading">
                  <h2>{a.hostname}</h2>
                  <StatusBadge status={a.active ? 'Healthy' : 'Unreachable'} />
                </header>
                <p class="muted mono">{a.id}{a.registered_time ? ` · registered ${ago(a.registered_time)}` : ''}</p>
                <Meter label="CPU" used={a.used_resources.cpus ?? 0} total={a.resources.cpus ?? 0} unit={v => num(v)} />
                <Meter label="Memory" used={a.used_resources.mem ?? 0} total={a.resources.mem ?? 0} unit={mib} />
                <Meter label="Disk" used={a.used_resources.disk ?? 0} total={a.resources.disk ?? 0} unit={mib} />
                {a.attributes && Object.keys(a.attributes).length > 0 && (
                  <p>{Object.entries(a.attributes).map(([k, v]) => <span class="tag" key={k}>{k}:{String(v)}</span>)}</p>
                )}
                <button type="button" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? undefined : a.id)}>{tasks.length} tasks</button>
                {open === a.id && (
                  <ul class="plain">{tasks.map(t => <li key={t.id} class="mono">{t.id} <span class="muted">{stateName(t.state)}</span></li>)}</ul>
                )}
              </article>
            );
          })}
        </div>
      )}
    </section>
  );
}
