import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { api, ApiError, marathonAppPath } from '../lib/api';
import { go, href } from '../lib/hooks';
import { emptyForm, fieldOf, fromApp, newHealth, newPort, toApp, type AppForm } from '../lib/appForm';
import { ErrorBox, Loading, Tabs } from '../components/Common';

type Errors = Record<string, string[]>;

/** Create (no appId) or edit a service, as a form or as JSON; Marathon's 422 details are shown beside their fields. */
export function ServiceEdit({ appId }: { appId?: string }) {
  const [base, setBase] = useState<any>(appId ? undefined : {});
  const [form, setForm] = useState<AppForm>(emptyForm());
  const [mode, setMode] = useState('Form');
  const [json, setJson] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!appId) return;
    api(marathonAppPath(appId)).then(r => { setBase(r.app); setForm(fromApp(r.app)); }, e => setGeneral(e.message));
  }, [appId]);
  if (base === undefined) return general ? <ErrorBox error={general} /> : <Loading what="the service" />;

  const switchMode = (m: string) => {
    if (m === mode) return;
    if (m === 'JSON') { setJson(JSON.stringify(toApp(form, base), null, 2)); setMode(m); return; }
    try { const parsed = JSON.parse(json); setBase(parsed); setForm(fromApp(parsed)); setMode(m); setGeneral(undefined); }
    catch (e) { setGeneral(`The JSON does not parse: ${(e as Error).message}`); }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    let body: any;
    try { body = mode === 'JSON' ? JSON.parse(json) : toApp(form, base); } catch (x) { setGeneral(`The JSON does not parse: ${(x as Error).message}`); return; }
    setBusy(true); setErrors({}); setGeneral(undefined);
    try {
      if (appId) await api(marathonAppPath(appId) + '?partialUpdate=false', { method: 'PUT', json: body });
      else await api('/marathon/v2/apps', { method: 'POST', json: body });
      go('services', 'app', body.id.startsWith('/') ? body.id : '/' + body.id);
    } catch (x) {
      const err = x as ApiError;
      const found: Errors = {};
      const rest: string[] = [];
      for (const d of err.body?.details ?? []) {
        const field = mode === 'Form' ? fieldOf(d.path ?? '') : '';
        const text = (d.errors ?? []).join('; ');
        if (field) (found[field] ??= []).push(text); else rest.push(`${d.path}: ${text}`);
      }
      setErrors(found);
      setGeneral([err.message, ...rest].join('\n'));
    } finally { setBusy(false); }
  };
  const set = (patch: Partial<AppForm>) => setForm({ ...form, ...patch });
  return (
    <section>
      <p class="crumbs"><a href={href('services')}>Services</a> / {appId ? <><a href={href('services', 'app', appId)}>{appId}</a> / edit</> : 'new'}</p>
      <h1>{appId ? `Edit ${appId}` : 'Run a service'}</h1>
      <Tabs tabs={['Form', 'JSON']} current={mode} onChange={switchMode} />
      <form onSubmit={submit} class="app-form" noValidate>
        {general && <div class="error" role="alert" style={{ whiteSpace: 'pre-wrap' }}>{general}</div>}
        {mode === 'JSON' ? (
          <label>App definition (Marathon JSON)<textarea class="code" rows={24} value={json} onInput={e => setJson(e.currentTarget.value)} spellcheck={false} /></label>
        ) : <FormFields form={form} set={set} errors={errors} editing={!!appId} />}
        <div class="actions">
          <a class="button" href={appId ? href('services', 'app', appId) : href('services')}>Cancel</a>
          <button type="submit" class="primary" disabled={busy}>{appId ? 'Deploy changes' : 'Run service'}</button>
        </div>
      </form>
    </section>
  );
}

function Field({ label, name, errors, children, hint }: { label: string; name: string; errors: Errors; children: ComponentChildren; hint?: string }) {
  const errs = errors[name];
  return (
    <div class={errs ? 'field invalid' : 'field'}>
      <label>{label}{children}</label>
      {hint && <small class="muted">{hint}</small>}
      {errs && <small class="field-error" role="alert" data-field={name}>{errs.join('; ')}</small>}
    </div>
  );
}

function FormFields({ form, set, errors, editing }: { form: AppForm; set: (p: Partial<AppForm>) => void; errors: Errors; editing: boolean }) {
  const text = (name: keyof AppForm, label: string, attrs: Record<string, any> = {}) => (
    <Field label={label} name={name} errors={errors}>
      <input name={name} value={form[name] as string} onInput={e => set({ [name]: e.currentTarget.value } as any)} aria-invalid={!!errors[name]} {...attrs} />
    </Field>
  );
  const rows = <T,>(key: 'env' | 'labels' | 'ports' | 'healthChecks' | 'constraints', i: number, patch: Partial<T>) =>
    set({ [key]: (form[key] as any[]).map((r, j) => (j === i ? { ...r, ...patch } : r)) } as any);
  const drop = (key: 'env' | 'labels' | 'ports' | 'healthChecks' | 'constraints', i: number) => set({ [key]: (form[key] as any[]).filter((_, j) => j !== i) } as any);
  return (
    <>
      <fieldset>
        <legend>Service</legend>
        <div class="row">
          {text('id', 'Service ID', { placeholder: '/my-service', readOnly: editing, required: true })}
          {text('instances', 'Instances', { type: 'number', min: 0 })}
        </div>
        <div class="row">
          {text('cpus', 'CPUs', { type: 'number', step: '0.01', min: 0 })}
          {text('mem', 'Memory (MiB)', { type: 'number', min: 0 })}
          {text('disk', 'Disk (MiB)', { type: 'number', min: 0 })}
        </div>
        <Field label="Command" name="cmd" errors={errors}>
          <textarea name="cmd" rows={3} class="code" value={form.cmd} onInput={e => set({ cmd: e.currentTarget.value })} aria-invalid={!!errors.cmd} />
        </Field>
        <div class="row">
          {text('image', 'Container image (Docker)', { placeholder: 'optional, e.g. nginx:1.27' })}
          <Field label="Network" name="network" errors={errors}>
            <select name="network" value={form.network} onChange={e => set({ network: e.currentTarget.value })}>
              <option value="HOST">Host</option><option value="BRIDGE">Bridge</option><option value="USER">Virtual network (container)</option>
            </select>
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Ports and load balancing</legend>
        {errors.ports && <small class="field-error" role="alert" data-field="ports">{errors.ports.join('; ')}</small>}
        {form.ports.map((p, i) => (
          <div class="row port-row" key={i}>
            <label>Name<input name={`port-name-${i}`} value={p.name} onInput={e => rows('ports', i, { name: e.currentTarget.value })} /></label>
            <label>{form.network === 'HOST' ? 'Host port (0: any)' : 'Container port'}<input name={`port-${i}`} type="number" min={0} value={p.port} onInput={e => rows('ports', i, { port: e.currentTarget.value })} /></label>
            <label>Protocol<select value={p.protocol} onChange={e => rows('ports', i, { protocol: e.currentTarget.value })}><option>tcp</option><option>udp</option></select></label>
            <label class="check"><input type="checkbox" name={`load-balanced-${i}`} checked={p.loadBalanced} onChange={e => rows('ports', i, { loadBalanced: e.currentTarget.checked })} /> Load Balanced</label>
            {p.loadBalanced && <label>VIP port<input name={`vip-port-${i}`} type="number" min={1} value={p.vipPort} onInput={e => rows('ports', i, { vipPort: e.currentTarget.value })} /></label>}
            <button type="button" class="icon" aria-label={`Remove port ${i}`} onClick={() => drop('ports', i)}>✕</button>
            {p.loadBalanced && <small class="muted wide">VIP label VIP_{i} = /{form.id.replace(/^\//, '') || '<id>'}:{p.vipPort || '80'}, reachable as {(form.id.replace(/^\//, '') || '<id>').split('/').reverse().join('.')}.marathon.l4lb.thisdcos.directory:{p.vipPort || '80'}</small>}
          </div>
        ))}
        <button type="button" onClick={() => set({ ports: [...form.ports, newPort()] })}>Add port</button>
      </fieldset>

      <fieldset>
        <legend>Health checks</legend>
        {errors.healthChecks && <small class="field-error" role="alert" data-field="healthChecks">{errors.healthChecks.join('; ')}</small>}
        {form.healthChecks.map((h, i) => (
          <div class="row" key={i}>
            <label>Protocol<select name={`hc-protocol-${i}`} value={h.protocol} onChange={e => rows('healthChecks', i, { protocol: e.currentTarget.value })}>
              {['MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP', 'HTTP', 'HTTPS', 'TCP', 'COMMAND'].map(p => <option key={p}>{p}</option>)}
            </select></label>
            {h.protocol === 'COMMAND'
              ? <label>Command<input value={h.command} onInput={e => rows('healthChecks', i, { command: e.currentTarget.value })} /></label>
              : <label>Port index<input type="number" min={0} value={h.portIndex} onInput={e => rows('healthChecks', i, { portIndex: e.currentTarget.value })} /></label>}
            {/HTTP/.test(h.protocol) && <label>Path<input name={`hc-path-${i}`} value={h.path} onInput={e => rows('healthChecks', i, { path: e.currentTarget.value })} /></label>}
            <label>Grace (s)<input name={`hc-grace-${i}`} type="number" min={0} value={h.gracePeriodSeconds} onInput={e => rows('healthChecks', i, { gracePeriodSeconds: e.currentTarget.value })} /></label>
            <label>Interval (s)<input name={`hc-interval-${i}`} type="number" min={1} value={h.intervalSeconds} onInput={e => rows('healthChecks', i, { intervalSeconds: e.currentTarget.value })} /></label>
            <label>Timeout (s)<input type="number" min={1} value={h.timeoutSeconds} onInput={e => rows('healthChecks', i, { timeoutSeconds: e.currentTarget.value })} /></label>
            <label>Max failures<input type="number" min={0} value={h.maxConsecutiveFailures} onInput={e => rows('healthChecks', i, { maxConsecutiveFailures: e.currentTarget.value })} /></label>
            <button type="button" class="icon" aria-label={`Remove health check ${i}`} onClick={() => drop('healthChecks', i)}>✕</button>
            {Object.entries(errors).filter(([k]) => k.startsWith(`healthChecks.${i}.`)).map(([k, v]) => <small class="field-error wide" role="alert" data-field={k} key={k}>{k.split('.').pop()}: {v.join('; ')}</small>)}
          </div>
        ))}
        <button type="button" onClick={() => set({ healthChecks: [...form.healthChecks, newHealth()] })}>Add health check</button>
      </fieldset>

      <KvSection title="Environment variables" name="env" rows={form.env} errors={errors} onChange={env => set({ env })} />
      <KvSection title="Labels" name="labels" rows={form.labels} errors={errors} onChange={labels => set({ labels })} />

      <fieldset>
        <legend>Placement constraints</legend>
        {errors.constraints && <small class="field-error" role="alert" data-field="constraints">{errors.constraints.join('; ')}</small>}
        {form.constraints.map((c, i) => (
          <div class="row" key={i}>
            <label>Field<input value={c.field} placeholder="hostname" onInput={e => rows('constraints', i, { field: e.currentTarget.value })} /></label>
            <label>Operator<select value={c.operator} onChange={e => rows('constraints', i, { operator: e.currentTarget.value })}>
              {['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER', 'IS'].map(o => <option key={o}>{o}</option>)}
            </select></label>
            <label>Value<input value={c.value} onInput={e => rows('constraints', i, { value: e.currentTarget.value })} /></label>
            <button type="button" class="icon" aria-label={`Remove constraint ${i}`} onClick={() => drop('constraints', i)}>✕</button>
          </div>
        ))}
        <button type="button" onClick={() => set({ constraints: [...form.constraints, { field: 'hostname', operator: 'UNIQUE', value: '' }] })}>Add constraint</button>
      </fieldset>
    </>
  );
}

function KvSection({ title, name, rows, errors, onChange }: { title: string; name: string; rows: { key: string; value: string }[]; errors: Errors; onChange: (r: { key: string; value: string }[]) => void }) {
  return (
    <fieldset>
      <legend>{title}</legend>
      {errors[name] && <small class="field-error" role="alert" data-field={name}>{errors[name].join('; ')}</small>}
      {rows.map((r, i) => (
        <div class="row" key={i}>
          <label>Key<input name={`${name}-key-${i}`} value={r.key} onInput={e => onChange(rows.map((x, j) => (j === i ? { ...x, key: e.currentTarget.value } : x)))} /></label>
          <label>Value<input name={`${name}-value-${i}`} value={r.value} onInput={e => onChange(rows.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)))} /></label>
          <button type="button" class="icon" aria-label={`Remove ${name} ${i}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>✕</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { key: '', value: '' }])}>Add {name === 'env' ? 'variable' : 'label'}</button>
    </fieldset>
  );
}
