import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { ErrorBox, Loading } from '../components/Common';

interface Backend { is_healthy: boolean; pending_connections: number; total_failures: number; total_successes: number; protocol?: string; }
interface Named { name: string; label: string; framework: string; ip: string; }

/**
 * The data plane's VIP table (Minuteman's /vips, reached through Admin Router's /mesos_dns/) with each VIP's
 * backends and health, and the names (/l4lb/named) that map to each VIP address.
 */
export function Network() {
  const vips = useLoad(() => api<{ vips: Record<string, Record<string, Backend>> }>('/mesos_dns/vips'), [], 3000);
  const named = useLoad(() => api<{ named_vips: Named[] }>('/mesos_dns/l4lb/named').catch(() => ({ named_vips: [] })), [], 10000);
  const names = new Map<string, Named>((named.data?.named_vips ?? []).map(n => [n.ip, n]));
  const entries = Object.entries(vips.data?.vips ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section>
      <h1>Network</h1>
      <p class="muted">Virtual IPs of the L4 load balancer: each VIP, the name that resolves to it, and its backends with their health.</p>
      {vips.status === 404 ? <div class="error" role="alert">The data plane's L4 balancer is off (<code>minuet up</code> without root, or <code>--l4lb off</code>): there are no VIPs to show.</div> : <ErrorBox error={vips.error} status={vips.status} />}
      {!vips.data ? (vips.error ? null : <Loading what="VIPs" />) : entries.length === 0 ? <p class="muted">No VIPs yet: tick "Load Balanced" on a service's port to give it one.</p> : (
        <div class="table-wrap">
          <table class="vips">
            <thead><tr><th>VIP</th><th>Name</th><th>Backends</th></tr></thead>
            <tbody>
              {entries.map(([vip, backends]) => {
                const ip = vip.split(':')[0];
                const port = vip.split(':')[1]?.split('/')[0];
                const n = names.get(ip);
                return (
                  <tr key={vip} data-vip={n?.label ?? vip}>
                    <td class="mono">{vip}</td>
                    <td>{n ? <><b>{n.label}</b><div class="muted mono">{n.name}:{port}</div></> : '-'}</td>
                    <td>
                      <ul class="plain">
                        {Object.entries(backends).map(([b, s]) => (
                          <li key={b} class="mono"><span class={s.is_healthy ? 'health-healthy' : 'health-unhealthy'}>{s.is_healthy ? '● healthy' : '● unhealthy'}</span> {b} <span class="muted">{s.total_successes} ok, {s.total_failures} failed, {s.pending_connections} pending</span></li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
