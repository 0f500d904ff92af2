import { pct } from '../lib/format';

/** A horizontal meter: used of total, with a label and the figures (SVG, so it prints and scales). */
export function Meter({ label, used, total, unit }: { label: string; used: number; total: number; unit: (v: number) => string }) {
  const p = pct(used, total);
  return (
    <figure class="meter" aria-label={`${label}: ${unit(used)} of ${unit(total)} allocated (${p}%)`}>
      <figcaption><span>{label}</span><span>{unit(used)} / {unit(total)} <b>{p}%</b></span></figcaption>
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" role="img">
        <rect x="0" y="0" width="100" height="8" rx="2" class="meter-bg" />
        <rect x="0" y="0" width={Math.min(100, p)} height="8" rx="2" class={p > 90 ? 'meter-hot' : 'meter-fg'} />
      </svg>
    </figure>
  );
}

const palette = ['var(--ok)', 'var(--accent)', 'var(--warn)', 'var(--bad)', 'var(--muted)', '#a855f7', '#14b8a6'];

/** A donut of counts by name, with a legend that says the numbers (the chart alone is not read by everyone). */
export function Donut({ title, counts }: { title: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts).filter(([, v]) => v > 0);
  const total = entries.reduce((s, [, v]) => s + v, 0);
  let offset = 25;
  return (
    <figure class="donut" aria-label={title}>
      <svg viewBox="0 0 42 42" role="img">
        <circle cx="21" cy="21" r="15.915" fill="none" class="meter-bg-stroke" stroke-width="6" />
        {entries.map(([, v], i) => {
          const share = (v / total) * 100;
          const el = <circle cx="21" cy="21" r="15.915" fill="none" stroke={palette[i % palette.length]} stroke-width="6"
            stroke-dasharray={`${share} ${100 - share}`} stroke-dashoffset={offset} />;
          offset -= share;
          return el;
        })}
        <text x="21" y="23.5" text-anchor="middle" class="donut-total">{total}</text>
      </svg>
      <figcaption>
        <strong>{title}</strong>
        <ul class="legend">
          {entries.length === 0 ? <li>none</li> : entries.map(([k, v], i) => <li key={k}><i style={{ background: palette[i % palette.length] }} />{k}: {v}</li>)}
        </ul>
      </figcaption>
    </figure>
  );
}
