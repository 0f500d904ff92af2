// A form built from a package's config.json (JSON Schema draft 4, as Universe packages write it): objects become
// fieldsets, strings/numbers/integers/booleans/enums become inputs; each input is named by its dotted path.
export function defaultsOf(schema: any): any {
  if (!schema) return undefined;
  if (schema.type === 'object' || schema.properties) {
    const out: any = {};
    for (const [k, s] of Object.entries<any>(schema.properties ?? {})) {
      const v = defaultsOf(s);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return schema.default;
}

/**
 * Whether a string breaks its schema pattern. Checked here rather than with the input's pattern attribute, which
 * compiles with the `v` flag and rejects patterns JSON Schema allows (an unescaped '-' in a class).
 */
function mismatch(pattern: string | undefined, value: unknown): boolean {
  if (!pattern || typeof value !== 'string' || value === '') return false;
  try { return !new RegExp(pattern, 'u').test(value); } catch { return false; }
}

function setAt(obj: any, path: string[], value: unknown): any {
  const [head, ...rest] = path;
  const copy = { ...(obj ?? {}) };
  if (rest.length === 0) { if (value === undefined) delete copy[head]; else copy[head] = value; }
  else copy[head] = setAt(copy[head], rest, value);
  return copy;
}

export function SchemaForm({ schema, value, onChange, path = [] }: { schema: any; value: any; onChange: (v: any) => void; path?: string[] }) {
  const props = Object.entries<any>(schema?.properties ?? {});
  const required: string[] = schema?.required ?? [];
  return (
    <>
      {props.map(([key, s]) => {
        const p = [...path, key];
        const name = p.join('.');
        const v = value?.[key];
        const label = <>{s.title ?? key}{required.includes(key) ? ' *' : ''}</>;
        if (s.type === 'object' || s.properties) {
          return (
            <fieldset key={name}>
              <legend>{s.title ?? key}</legend>
              {s.description && <p class="muted">{s.description}</p>}
              <SchemaForm schema={s} value={v} onChange={child => onChange({ ...(value ?? {}), [key]: child })} path={p} />
            </fieldset>
          );
        }
        const set = (x: unknown) => onChange(setAt(value, [key], x));
        let input;
        if (Array.isArray(s.enum)) {
          input = <select name={name} value={String(v ?? '')} onChange={e => set(s.type === 'integer' || s.type === 'number' ? Number(e.currentTarget.value) : e.currentTarget.value)}>{s.enum.map((o: any) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}</select>;
        } else if (s.type === 'boolean') {
          return <div class="field" key={name}><label class="check"><input type="checkbox" name={name} checked={!!v} onChange={e => set(e.currentTarget.checked)} /> {label}</label>{s.description && <small class="muted">{s.description}</small>}</div>;
        } else if (s.type === 'integer' || s.type === 'number') {
          input = <input type="number" name={name} step={s.type === 'integer' ? 1 : 'any'} min={s.minimum} max={s.maximum} value={v ?? ''} onInput={e => set(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} />;
        } else if (s.type === 'array' || s.type === undefined) {
          input = <input name={name} class="mono" value={v === undefined ? '' : JSON.stringify(v)} placeholder="JSON" onChange={e => { try { set(e.currentTarget.value ? JSON.parse(e.currentTarget.value) : undefined); } catch { /* Advanced JSON is where bad JSON gets its message */ } }} />;
        } else {
          input = <input name={name} value={v ?? ''} aria-invalid={mismatch(s.pattern, v)} onInput={e => set(e.currentTarget.value)} />;
        }
        return (
          <div class={mismatch(s.pattern, v) ? 'field invalid' : 'field'} key={name}>
            <label>{label}{input}</label>
            {s.description && <small class="muted">{s.description}</small>}
            {mismatch(s.pattern, v) && <small class="field-error" role="alert">must match {s.pattern}</small>}
          </div>
        );
      })}
    </>
  );
}
