import { useEffect, useState } from 'preact/hooks';
import { cosmos } from '../lib/api';
import { go, href, useLoad } from '../lib/hooks';
import { ErrorBox, Loading, Tabs } from '../components/Common';
import { defaultsOf, SchemaForm } from '../components/SchemaForm';

interface Listed { name: string; currentVersion?: string; version?: string; description?: string; tags?: string[]; framework?: boolean; selected?: boolean; }

/** Universe packages through the Cosmos API (/package/search, describe, install). */
export function Catalog({ name }: { name?: string }) {
  return name ? <PackageDetail name={name} /> : <PackageList />;
}

function PackageList() {
  const [query, setQuery] = useState('');
  const [asked, setAsked] = useState('');
  useEffect(() => { const t = setTimeout(() => setAsked(query), 250); return () => clearTimeout(t); }, [query]);
  const found = useLoad(() => cosmos<{ packages: Listed[] }>('search', { query: asked }), [asked]);
  return (
    <section>
      <h1>Catalog</h1>
      <input type="search" placeholder="Search packages" aria-label="Search packages" value={query} onInput={e => setQuery(e.currentTarget.value)} />
      <ErrorBox error={found.error} status={found.status} />
      {!found.data ? <Loading what="packages" /> : found.data.packages.length === 0 ? <p class="muted">No package matches.</p> : (
        <div class="grid packages">
          {found.data.packages.map(p => (
            <a class="card package" href={href('catalog', p.name)} key={p.name} data-package={p.name}>
              <h2>{p.name}</h2>
              <p class="muted">{p.currentVersion ?? p.version}{p.selected ? ' · certified' : ''}</p>
              <p>{p.description}</p>
              <p>{(p.tags ?? []).map(t => <span class="tag" key={t}>{t}</span>)}</p>
            </a>
          ))}
        </div>
      )}
    </section>
  );
}

function PackageDetail({ name }: { name: string }) {
  const described = useLoad(() => cosmos('describe', { packageName: name }, ['v3', 'v2', 'v1']), [name]);
  const pkg = described.data?.package ?? described.data;
  const schema = pkg?.config ?? described.data?.config;
  const [options, setOptions] = useState<any>();
  const [mode, setMode] = useState('Form');
  const [json, setJson] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (schema && options === undefined) setOptions(defaultsOf(schema) ?? {}); }, [schema]);
  const switchMode = (m: string) => {
    if (m === 'Advanced JSON') { setJson(JSON.stringify(options ?? {}, null, 2)); setMode(m); return; }
    try { setOptions(JSON.parse(json || '{}')); setMode(m); setError(undefined); } catch (e) { setError(`The options JSON does not parse: ${(e as Error).message}`); }
  };
  const install = async (e: Event) => {
    e.preventDefault();
    let opts = options;
    if (mode === 'Advanced JSON') { try { opts = JSON.parse(json || '{}'); } catch (x) { setError(`The options JSON does not parse: ${(x as Error).message}`); return; } }
    setBusy(true); setError(undefined);
    try {
      const r = await cosmos('install', { packageName: name, packageVersion: pkg?.version, options: opts }, ['v2', 'v1']);
      setDone(r.appId ?? name);
    } catch (x) {
      const err = x as any;
      setError(err.body?.message ? `${err.body.type ?? 'Error'}: ${err.body.message}` : err.message);
    } finally { setBusy(false); }
  };
  return (
    <section>
      <p class="crumbs"><a href={href('catalog')}>Catalog</a> / {name}</p>
      <h1>{name} <span class="muted">{pkg?.version}</span></h1>
      <ErrorBox error={described.error} status={described.status} />
      {!pkg ? (described.error ? null : <Loading what="the package" />) : (
        <>
          <p>{pkg.description}</p>
          {pkg.preInstallNotes && <p class="notice">{pkg.preInstallNotes}</p>}
          {done ? (
            <div class="notice" role="status">
              <b>Installed.</b> {pkg.postInstallNotes} <a href={href('services', 'app', done.startsWith('/') ? done : '/' + done)} onClick={e => { e.preventDefault(); go('services', 'app', done.startsWith('/') ? done : '/' + done); }}>Open the service {done}</a>
            </div>
          ) : (
            <form onSubmit={install} class="app-form">
              <h2>Install</h2>
              <Tabs tabs={['Form', 'Advanced JSON']} current={mode} onChange={switchMode} />
              {mode === 'Form'
                ? (schema ? <SchemaForm schema={schema} value={options} onChange={setOptions} /> : <p class="muted">This package has no options.</p>)
                : <label>Options (JSON, as <code>--options</code> takes them)<textarea class="code" rows={16} value={json} onInput={e => setJson(e.currentTarget.value)} spellcheck={false} /></label>}
              {error && <div class="error" role="alert">{error}</div>}
              <div class="actions"><button type="submit" class="primary" disabled={busy}>Install {name}</button></div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
