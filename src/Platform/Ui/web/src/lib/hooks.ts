import { useEffect, useRef, useState, useCallback } from 'preact/hooks';

export interface Loaded<T> { data?: T; error?: string; status?: number; loading: boolean; reload: () => void; }

/** Loads with <fn> now and every <everyMs> (0: once); keeps the last good data while a reload fails. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[], everyMs = 0): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; status?: number; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick(t => t + 1), []);
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    const run = () => {
      fn().then(
        data => { if (live) setState({ data, loading: false }); },
        e => { if (live) setState(s => ({ data: s.data, error: e.message ?? String(e), status: e.status, loading: false })); })
        .finally(() => { if (live && everyMs > 0) timer = window.setTimeout(run, everyMs); });
    };
    run();
    return () => { live = false; if (timer) clearTimeout(timer); };
  }, [...deps, tick]);
  return { ...state, reload };
}

/** The route in the URL fragment: #/services/app/%2Fweb -> ['services', 'app', '/web']. */
export function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: string[]) => '#/' + parts.map(encodeURIComponent).join('/');
export const go = (...parts: string[]) => { location.hash = href(...parts); };

/**
 * Marathon's /v2/events (server-sent events) through Admin Router: calls <onEvent> for each event, and reconnects
 * (EventSource does) when the stream drops. The cookie carries the token, as EventSource cannot set headers.
 */
export function useMarathonEvents(onEvent: (type: string, data: any) => void): boolean {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const source = new EventSource('/marathon/v2/events', { withCredentials: true });
    const types = ['status_update_event', 'health_status_changed_event', 'instance_health_changed_event', 'deployment_info', 'deployment_success',
      'deployment_failed', 'deployment_step_success', 'api_post_event', 'app_terminated_event', 'group_change_success', 'failed_health_check_event', 'instance_changed_event'];
    const listen = (e: MessageEvent) => { let d: any = e.data; try { d = JSON.parse(e.data); } catch { /* keep text */ } handler.current(e.type, d); };
    types.forEach(t => source.addEventListener(t, listen as EventListener));
    source.onmessage = listen;
    source.onopen = () => setOpen(true);
    source.onerror = () => setOpen(false);
    return () => source.close();
  }, []);
  return open;
}
