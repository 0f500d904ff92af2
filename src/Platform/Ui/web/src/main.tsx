import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthorized } from './lib/api';
import { href, useRoute } from './lib/hooks';
import { Login } from './pages/Login';
import { Dashboard } from './pages/Dashboard';
import { Services } from './pages/Services';
import { ServiceDetail } from './pages/ServiceDetail';
import { ServiceEdit } from './pages/ServiceEdit';
import { Nodes } from './pages/Nodes';
import { Network } from './pages/Network';
import { Catalog } from './pages/Catalog';
import { Jobs } from './pages/Jobs';
import { TaskFile } from './pages/TaskFile';

const nav: [string, string][] = [['dashboard', 'Dashboard'], ['services', 'Services'], ['jobs', 'Jobs'], ['catalog', 'Catalog'], ['nodes', 'Nodes'], ['network', 'Network']];

function Page({ route }: { route: string[] }) {
  const [top, ...rest] = route;
  switch (top ?? 'dashboard') {
    case 'dashboard': return <Dashboard />;
    case 'services':
      if (rest[0] === 'new') return <ServiceEdit />;
      if (rest[0] === 'edit' && rest[1]) return <ServiceEdit appId={rest[1]} />;
      if (rest[0] === 'app' && rest[1]) return <ServiceDetail appId={rest[1]} />;
      return <Services />;
    case 'task': return <TaskFile agentId={rest[0]} taskId={rest[1]} file={rest[2] ?? 'stdout'} />;
    case 'nodes': return <Nodes />;
    case 'network': return <Network />;
    case 'catalog': return <Catalog name={rest[0]} />;
    case 'jobs': return <Jobs />;
    default: return <p>No such page. <a href={href('dashboard')}>Dashboard</a></p>;
  }
}

/**
 * The shell: asks Marathon once whether the cookie is good (auth off answers too); a 401 from any call shows the
 * login page instead of the pages, and logging in brings back the page that was asked for.
 */
function App() {
  const route = useRoute();
  const [auth, setAuth] = useState<'checking' | 'in' | 'out'>('checking');
  const [menu, setMenu] = useState(false);
  useEffect(() => {
    onUnauthorized(() => setAuth('out'));
    api('/marathon/v2/info').then(() => setAuth('in'), e => setAuth(e.status === 401 ? 'out' : 'in'));
  }, []);
  useEffect(() => setMenu(false), [route.join('/')]);
  if (auth === 'checking') return <p class="muted center">Connecting…</p>;
  if (auth === 'out') return <Login onDone={() => setAuth('in')} />;
  const current = route[0] === 'task' ? 'services' : route[0] ?? 'dashboard';
  const logout = async () => { await api('/acs/api/v1/auth/logout').catch(() => undefined); setAuth('out'); };
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={e => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <span class="brand"><span class="logo" aria-hidden="true">♪</span> Minuet</span>
        <button type="button" class="menu-toggle" aria-expanded={menu} aria-controls="nav" onClick={() => setMenu(!menu)}>Menu</button>
        <button type="button" class="logout" onClick={logout}>Log out</button>
      </header>
      <nav id="nav" class={menu ? 'open' : ''} aria-label="Pages">
        {nav.map(([id, label]) => <a key={id} href={href(id)} aria-current={current === id ? 'page' : undefined}>{label}</a>)}
      </nav>
      <main id="main" tabIndex={-1}><Page route={route} /></main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
