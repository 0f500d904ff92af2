import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { ago } from '../lib/format';
import { ConfirmButton, ErrorBox, Loading } from '../components/Common';

interface Job {
  id: string; description?: string; run?: { cpus?: number; mem?: number; cmd?: string; docker?: { image?: string } };
  schedules?: { id: string; cron: string; enabled?: boolean }[];
  activeRuns?: { id: string; status: string; createdAt?: string }[];
  history?: { successCount?: number; failureCount?: number; lastSuccessAt?: string; lastFailureAt?: string };
}

const base = '/service/metronome/v1/jobs';

/** Metronome's jobs (/service/metronome/v1/jobs?embed=...), with "Run now"; a clear note while no jobs service runs. */
export function Jobs() {
  const jobs = useLoad(() => api<Job[]>(`${base}?embed=activeRuns&embed=schedules&embed=history`), [], 5000);
  const missing = jobs.status === 404 || jobs.status === 502 || jobs.status === 503;
  return (
    <section>
      <h1>Jobs</h1>
      {missing ? (
        <div class="notice" role="status"><b>Jobs service not available.</b> Nothing answers at <code>/service/metronome/</code> (HTTP {jobs.status}): the cluster runs no Metronome-compatible jobs service yet.</div>
      ) : <ErrorBox error={jobs.error} status={jobs.status} />}
      {!jobs.data ? (jobs.error ? null : <Loading what="jobs" />) : jobs.data.length === 0 ? <p class="muted">No jobs.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Job</th><th>Command</th><th>Schedule</th><th>Active runs</th><th>Last success</th><th>Last failure</th><th /></tr></thead>
            <tbody>
              {jobs.data.map(j => (
                <tr key={j.id}>
                  <td><b>{j.id}</b><div class="muted">{j.description}</div></td>
                  <td class="mono">{j.run?.cmd ?? j.run?.docker?.image ?? '-'}</td>
                  <td>{(j.schedules ?? []).map(s => <div key={s.id} class="mono">{s.cron}{s.enabled === false ? ' (off)' : ''}</div>)}</td>
                  <td>{(j.activeRuns ?? []).map(r => <div key={r.id}>{r.status} {ago(r.createdAt)}</div>)}</td>
                  <td>{ago(j.history?.lastSuccessAt)}</td>
                  <td>{ago(j.history?.lastFailureAt)}</td>
                  <td><ConfirmButton label="Run now" title={`Run ${j.id} now?`} run={async () => { await api(`${base}/${encodeURIComponent(j.id)}/runs`, { method: 'POST', json: {} }); jobs.reload(); }} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
