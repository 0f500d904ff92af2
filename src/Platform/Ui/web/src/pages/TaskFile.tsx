import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { href } from '../lib/hooks';
import { ErrorBox, Tabs } from '../components/Common';

/** The sandbox directory of <taskId> from the agent's /state (its executor's, for a command task the task's own). */
async function sandboxOf(agentId: string, taskId: string): Promise<string> {
  const state = await api(`/agent/${encodeURIComponent(agentId)}/state`);
  for (const f of [...(state.frameworks ?? []), ...(state.completed_frameworks ?? [])]) {
    for (const e of [...(f.executors ?? []), ...(f.completed_executors ?? [])]) {
      const tasks = [...(e.tasks ?? []), ...(e.queued_tasks ?? []), ...(e.completed_tasks ?? [])];
      if (e.id === taskId || tasks.some((t: any) => t.id === taskId)) return e.directory;
    }
  }
  throw new Error(`task ${taskId} is not on agent ${agentId} any more`);
}

/**
 * A task's stdout or stderr, read through Admin Router's /agent/<id>/files/read (Mesos's files API) and followed:
 * each read asks from the last offset, so a long log is not fetched again.
 */
export function TaskFile({ agentId, taskId, file }: { agentId: string; taskId: string; file: string }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [dir, setDir] = useState<string>();
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => { setText(''); setError(undefined); sandboxOf(agentId, taskId).then(setDir, e => setError(e.message)); }, [agentId, taskId]);
  useEffect(() => {
    if (!dir) return;
    let live = true, offset = 0, timer = 0;
    const read = async () => {
      try {
        for (;;) {
          const r = await api<{ data: string; offset: number }>(`/agent/${encodeURIComponent(agentId)}/files/read?path=${encodeURIComponent(`${dir}/${file}`)}&offset=${offset}&length=65536`);
          if (!live) return;
          if (!r.data) break;
          offset += new TextEncoder().encode(r.data).length;
          setText(t => t + r.data);
          requestAnimationFrame(() => pre.current?.scrollTo(0, pre.current.scrollHeight));
        }
        setError(undefined);
      } catch (e) { if (live) setError((e as Error).message); }
      if (live) timer = window.setTimeout(read, 2000);
    };
    read();
    return () => { live = false; clearTimeout(timer); };
  }, [dir, file]);
  const appId = '/' + taskId.split('.')[0].split('_').join('/');
  return (
    <section>
      <p class="crumbs"><a href={href('services')}>Services</a> / <a href={href('services', 'app', appId)}>{appId}</a> / {taskId}</p>
      <h1>Task logs</h1>
      <Tabs tabs={['stdout', 'stderr']} current={file} onChange={f => { location.hash = href('task', agentId, taskId, f); }} />
      <ErrorBox error={error} />
      <p class="muted mono">{dir ? `${dir}/${file}` : 'finding the sandbox…'}</p>
      <pre class="code log" ref={pre} tabIndex={0} aria-label={`${file} of ${taskId}`} data-testid="log">{text || (dir ? '(empty so far)' : '')}</pre>
    </section>
  );
}
