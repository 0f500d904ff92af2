export const num = (v: number | undefined, digits = 2) => v === undefined || Number.isNaN(v) ? '-' : Number(v.toFixed(digits)).toString();
export const mib = (v: number | undefined) => v === undefined ? '-' : v >= 1024 ? `${num(v / 1024, 1)} GiB` : `${num(v, 0)} MiB`;
export const pct = (used: number, total: number) => total > 0 ? Math.round((used / total) * 100) : 0;
export function ago(iso?: string | number): string {
  if (!iso) return '-';
  const t = typeof iso === 'number' ? iso * 1000 : Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : s < 86400 ? `${Math.floor(s / 3600)}h ago` : `${Math.floor(s / 86400)}d ago`;
}
export const when = (iso?: string) => iso ? new Date(iso).toLocaleString() : '-';
