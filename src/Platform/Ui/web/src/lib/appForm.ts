// The create/edit form's model and its mapping to and from Marathon's app JSON. Fields the form does not show are
// kept from the definition being edited, so editing in the form never drops what JSON mode set.
export interface KV { key: string; value: string; }
export interface PortRow { name: string; port: string; protocol: string; loadBalanced: boolean; vipPort: string; }
export interface HealthRow { protocol: string; path: string; portIndex: string; command: string; gracePeriodSeconds: string; intervalSeconds: string; timeoutSeconds: string; maxConsecutiveFailures: string; }
export interface ConstraintRow { field: string; operator: string; value: string; }
export interface AppForm {
  id: string; cmd: string; cpus: string; mem: string; disk: string; instances: string; image: string; network: string;
  env: KV[]; labels: KV[]; ports: PortRow[]; healthChecks: HealthRow[]; constraints: ConstraintRow[];
}

export const newPort = (): PortRow => ({ name: '', port: '0', protocol: 'tcp', loadBalanced: false, vipPort: '80' });
export const newHealth = (): HealthRow => ({ protocol: 'MESOS_HTTP', path: '/', portIndex: '0', command: '', gracePeriodSeconds: '300', intervalSeconds: '10', timeoutSeconds: '5', maxConsecutiveFailures: '3' });

export const emptyForm = (): AppForm => ({
  id: '', cmd: '', cpus: '0.1', mem: '128', disk: '0', instances: '1', image: '', network: 'HOST',
  env: [], labels: [], ports: [], healthChecks: [], constraints: [],
});

const kv = (o: Record<string, any> | undefined): KV[] => Object.entries(o ?? {}).filter(([, v]) => typeof v !== 'object').map(([key, value]) => ({ key, value: String(value) }));
const obj = (rows: KV[]) => Object.fromEntries(rows.filter(r => r.key.trim()).map(r => [r.key.trim(), r.value]));
const n = (v: string) => (v.trim() === '' ? undefined : Number(v));

export function networkOf(app: any): string {
  const mode = app.networks?.[0]?.mode ?? (app.container?.docker?.network ?? 'HOST').toLowerCase();
  return mode === 'container/bridge' || mode === 'bridge' ? 'BRIDGE' : mode === 'container' || mode === 'user' ? 'USER' : 'HOST';
}

export function fromApp(app: any): AppForm {
  const network = networkOf(app);
  const ports: any[] = network === 'HOST' ? app.portDefinitions ?? [] : app.container?.portMappings ?? app.container?.docker?.portMappings ?? [];
  return {
    id: app.id ?? '', cmd: app.cmd ?? '', cpus: String(app.cpus ?? ''), mem: String(app.mem ?? ''), disk: String(app.disk ?? 0),
    instances: String(app.instances ?? 1), image: app.container?.docker?.image ?? '', network,
    env: kv(app.env), labels: kv(app.labels),
    ports: ports.map((p: any) => {
      const vip = Object.entries<string>(p.labels ?? {}).find(([k]) => /^VIP_\d+$/.test(k))?.[1];
      return { name: p.name ?? '', port: String(network === 'HOST' ? p.port ?? 0 : p.containerPort ?? 0), protocol: p.protocol ?? 'tcp', loadBalanced: !!vip, vipPort: vip?.split(':').pop() ?? '80' };
    }),
    healthChecks: (app.healthChecks ?? []).map((h: any) => ({
      protocol: h.protocol ?? 'HTTP', path: h.path ?? '', portIndex: String(h.portIndex ?? 0), command: h.command?.value ?? '',
      gracePeriodSeconds: String(h.gracePeriodSeconds ?? 300), intervalSeconds: String(h.intervalSeconds ?? 60), timeoutSeconds: String(h.timeoutSeconds ?? 20),
      maxConsecutiveFailures: String(h.maxConsecutiveFailures ?? 3),
    })),
    constraints: (app.constraints ?? []).map((c: string[]) => ({ field: c[0] ?? '', operator: c[1] ?? 'UNIQUE', value: c[2] ?? '' })),
  };
}

/** The app JSON for <form>, on top of <base> (the definition being edited; its read-only fields dropped). */
export function toApp(form: AppForm, base: any = {}): any {
  const app: any = { ...base };
  for (const k of ['version', 'versionInfo', 'tasks', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'tasksStaged', 'deployments', 'lastTaskFailure', 'readinessCheckResults', 'taskStats']) delete app[k];
  const id = form.id.trim();
  app.id = id === '' || id.startsWith('/') ? id : '/' + id;
  if (form.cmd.trim()) app.cmd = form.cmd; else delete app.cmd;
  app.cpus = n(form.cpus); app.mem = n(form.mem); app.disk = n(form.disk) ?? 0; app.instances = n(form.instances);
  app.env = { ...Object.fromEntries(Object.entries(base.env ?? {}).filter(([, v]) => typeof v === 'object')), ...obj(form.env) };
  app.labels = obj(form.labels);
  const appName = app.id.replace(/^\//, '');
  const portLabels = (p: PortRow, i: number, old: any) => {
    const labels = Object.fromEntries(Object.entries(old?.labels ?? {}).filter(([k]) => !/^VIP_\d+$/.test(k)));
    if (p.loadBalanced) labels[`VIP_${i}`] = `/${appName}:${p.vipPort.trim() || '80'}`;
    return labels;
  };
  const container = base.container ? { ...base.container } : undefined;
  if (form.network === 'HOST') {
    app.networks = [{ mode: 'host' }];
    app.portDefinitions = form.ports.map((p, i) => ({ ...(base.portDefinitions?.[i] ?? {}), port: n(p.port) ?? 0, protocol: p.protocol, ...(p.name ? { name: p.name } : {}), labels: portLabels(p, i, base.portDefinitions?.[i]) }));
    if (container) delete container.portMappings;
  } else {
    app.networks = form.network === 'BRIDGE' ? [{ mode: 'container/bridge' }] : [{ mode: 'container', name: base.networks?.[0]?.name ?? 'dcos' }];
    delete app.portDefinitions;
    const old = container?.portMappings ?? [];
    const mappings = form.ports.map((p, i) => ({ ...(old[i] ?? {}), containerPort: n(p.port) ?? 0, ...(form.network === 'BRIDGE' ? { hostPort: old[i]?.hostPort ?? 0 } : {}), protocol: p.protocol, ...(p.name ? { name: p.name } : {}), labels: portLabels(p, i, old[i]) }));
    app.container = { ...(container ?? { type: 'DOCKER' }), portMappings: mappings };
  }
  if (form.image.trim()) {
    const c = app.container ?? container ?? {};
    app.container = { ...c, type: c.type === 'MESOS' ? 'MESOS' : 'DOCKER', docker: { ...(c.docker ?? {}), image: form.image.trim() } };
    if (app.container.docker.network) delete app.container.docker.network; // networks[] says it now
  } else if (app.container?.docker) {
    const { docker, ...rest } = app.container;
    app.container = Object.keys(rest).filter(k => k !== 'type').length > 0 ? { ...rest, type: 'MESOS' } : undefined;
    if (!app.container) delete app.container;
  }
  app.healthChecks = form.healthChecks.map(h => {
    const check: any = { protocol: h.protocol, gracePeriodSeconds: n(h.gracePeriodSeconds), intervalSeconds: n(h.intervalSeconds), timeoutSeconds: n(h.timeoutSeconds), maxConsecutiveFailures: n(h.maxConsecutiveFailures) };
    if (h.protocol === 'COMMAND') check.command = { value: h.command };
    else check.portIndex = n(h.portIndex) ?? 0;
    if (h.protocol.endsWith('HTTP') || h.protocol.endsWith('HTTPS')) check.path = h.path || '/';
    return check;
  });
  app.constraints = form.constraints.filter(c => c.field.trim()).map(c => (c.value.trim() ? [c.field.trim(), c.operator, c.value.trim()] : [c.field.trim(), c.operator]));
  return app;
}

/**
 * Where a Marathon 422 detail path (/cpus, /healthChecks(0)/path, /portDefinitions/0/port, /container/docker/image)
 * shows in the form: the form field name, or '' for errors with no field of their own.
 */
export function fieldOf(path: string): string {
  const p = path.replace(/\((\d+)\)/g, '/$1').replace(/^\/?value/, '').replace(/^\//, '');
  const [head, idx, leaf] = p.split('/');
  if (['id', 'cmd', 'cpus', 'mem', 'disk', 'instances', 'env', 'labels', 'constraints'].includes(head)) return head === 'env' || head === 'labels' || head === 'constraints' ? head : head;
  if (head === 'container') return p.includes('image') ? 'image' : p.includes('portMappings') ? 'ports' : 'image';
  if (head === 'networks') return 'network';
  if (head === 'portDefinitions') return 'ports';
  if (head === 'healthChecks') return idx !== undefined && leaf ? `healthChecks.${idx}.${leaf}` : 'healthChecks';
  if (head === 'args') return 'cmd';
  return '';
}
