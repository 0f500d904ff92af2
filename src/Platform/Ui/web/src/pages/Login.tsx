import { useState } from 'preact/hooks';
import { api } from '../lib/api';

/** DC/OS's login: POST /acs/api/v1/auth/login; Admin Router answers with the token and sets the cookie the UI then rides on. */
export function Login({ onDone }: { onDone: () => void }) {
  const [uid, setUid] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      await api('/acs/api/v1/auth/login', { json: { uid, password } });
      onDone();
    } catch (x) {
      setError((x as Error).message);
    } finally { setBusy(false); }
  };
  return (
    <main class="login">
      <form onSubmit={submit} class="card">
        <h1><span class="logo" aria-hidden="true">♪</span> Minuet</h1>
        <p class="muted">Log in to the cluster. On a new cluster the first login creates the first user.</p>
        <label>User name<input name="uid" autocomplete="username" required value={uid} onInput={e => setUid(e.currentTarget.value)} autofocus /></label>
        <label>Password<input name="password" type="password" autocomplete="current-password" required value={password} onInput={e => setPassword(e.currentTarget.value)} /></label>
        {error && <div class="error" role="alert">{error}</div>}
        <button type="submit" class="primary" disabled={busy}>Log in</button>
      </form>
    </main>
  );
}
