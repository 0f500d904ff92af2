// Marathon's app JSON as the pages read it, and the statuses DC/OS's services page showed.
export interface MarathonTask {
  id: string; appId: string; host: string; ports?: number[]; state?: string; startedAt?: string; stagedAt?: string; slaveId?: string;
  healthCheckResults?: { alive: boolean; lastFailureCause?: string }[]; version?: string;
}
export interface MarathonApp {
  id: string; cmd?: string; cpus: number; mem: number; disk?: number; instances: number; version?: string;
  tasksRunning?: number; tasksHealthy?: number; tasksUnhealthy?: number; tasksStaged?: number;
  healthChecks?: any[]; labels?: Record<string, string>; env?: Record<string, any>; portDefinitions?: any[];
  container?: any; networks?: any[]; constraints?: string[][]; deployments?: { id: string }[]; tasks?: MarathonTask[];
  lastTaskFailure?: { message?: string; state?: string; timestamp?: string };
}

export type Status = 'Running' | 'Deploying' | 'Suspended' | 'Unhealthy' | 'Healthy' | 'Staging';

export function statusOf(app: MarathonApp): Status {
  if ((app.deployments?.length ?? 0) > 0) return 'Deploying';
  if (app.instances === 0 && (app.tasksRunning ?? 0) === 0) return 'Suspended';
  if ((app.tasksUnhealthy ?? 0) > 0) return 'Unhealthy';
  if ((app.healthChecks?.length ?? 0) > 0 && (app.tasksHealthy ?? 0) >= app.instances && app.instances > 0) return 'Healthy';
  if ((app.tasksStaged ?? 0) > 0) return 'Staging';
  return 'Running';
}

/** VIP labels (VIP_n = /name:port or ip:port) from port definitions and port mappings. */
export function vipsOf(app: MarathonApp): string[] {
  const ports = [...(app.portDefinitions ?? []), ...(app.container?.portMappings ?? []), ...(app.container?.docker?.portMappings ?? [])];
  const out: string[] = [];
  for (const p of ports) for (const [k, v] of Object.entries<string>(p?.labels ?? {})) if (/^VIP_\d+$/.test(k)) out.push(v);
  return out;
}

/** "/name:80" -> "name.marathon.l4lb.thisdcos.directory:80", the name DC/OS gives a named VIP. */
export function vipAddress(label: string): string {
  const m = /^\/?(.+):(\d+)$/.exec(label);
  if (!m || /^\d+\.\d+\.\d+\.\d+$/.test(m[1])) return label;
  return `${m[1].split('/').filter(Boolean).reverse().join('.').replace(/\.$/, '')}.marathon.l4lb.thisdcos.directory:${m[2]}`;
}

export interface GroupNode { id: string; apps: MarathonApp[]; groups: GroupNode[]; }

/** Builds the group tree from a flat app list (ids such as /prod/web/api). */
export function treeOf(apps: MarathonApp[]): GroupNode {
  const root: GroupNode = { id: '/', apps: [], groups: [] };
  for (const app of [...apps].sort((a, b) => a.id.localeCompare(b.id))) {
    const parts = app.id.split('/').filter(Boolean);
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const gid = '/' + parts.slice(0, i + 1).join('/');
      let child = node.groups.find(g => g.id === gid);
      if (!child) { child = { id: gid, apps: [], groups: [] }; node.groups.push(child); }
      node = child;
    }
    node.apps.push(app);
  }
  return root;
}

export const healthOf = (t: MarathonTask) =>
  !t.healthCheckResults || t.healthCheckResults.length === 0 ? 'no checks' : t.healthCheckResults.every(r => r.alive) ? 'healthy' : 'unhealthy';
