import { useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Status } from '../lib/marathon';

export function StatusBadge({ status }: { status: Status | string }) {
  return <span class={`badge badge-${status.toLowerCase().replace(/[^a-z]/g, '')}`}>{status}</span>;
}

export function ErrorBox({ error, status }: { error?: string; status?: number }) {
  if (!error) return null;
  return <div class="error" role="alert">{error}{status === 0 ? ' (is the cluster running?)' : ''}</div>;
}

export function Loading({ what }: { what: string }) { return <p class="muted" aria-busy="true">Loading {what}…</p>; }

/**
 * A button that asks first, in a modal <dialog> (Esc cancels, focus stays inside, so it works by keyboard).
 * <run> may throw; its message is shown in the dialog and the dialog stays open.
 */
export function ConfirmButton({ label, title, children, run, danger, confirmLabel, onOpen }:
  { label: string; title: string; children?: ComponentChildren; run: () => Promise<void>; danger?: boolean; confirmLabel?: string; onOpen?: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async (e: Event) => {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try { await run(); dialog.current?.close(); } catch (x) { setError((x as Error).message); } finally { setBusy(false); }
  };
  return (
    <>
      <button type="button" class={danger ? 'danger' : ''} onClick={() => { setError(undefined); onOpen?.(); dialog.current?.showModal(); }}>{label}</button>
      <dialog ref={dialog} aria-label={title}>
        <form method="dialog" onSubmit={confirm}>
          <h3>{title}</h3>
          {children}
          {error && <div class="error" role="alert">{error}</div>}
          <div class="actions">
            <button type="button" onClick={() => dialog.current?.close()}>Cancel</button>
            <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>{confirmLabel ?? label}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}

export function Tabs({ tabs, current, onChange }: { tabs: string[]; current: string; onChange: (t: string) => void }) {
  return (
    <div class="tabs" role="tablist">
      {tabs.map(t => <button type="button" role="tab" aria-selected={t === current} class={t === current ? 'active' : ''} onClick={() => onChange(t)} key={t}>{t}</button>)}
    </div>
  );
}
