import { useState, type FormEvent } from 'react';
import { ApiClient, ApiError, describeError } from './api-client';

/** Takes an API token and checks it against the API before keeping it. */
export function SignIn(props: { notice: string | undefined; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [checking, setChecking] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate === '') {
      setError('Paste an API token (it starts with vgl_).');
      return;
    }
    setChecking(true);
    setError(undefined);
    new ApiClient(candidate, () => undefined)
      .get('/api/v1/incidents?limit=1')
      .then(
        () => props.onSignedIn(candidate),
        (failure: unknown) => {
          if (failure instanceof ApiError && failure.status === 401) {
            setError(`This token was not accepted: ${failure.message}.`);
          } else {
            setError(describeError(failure));
          }
        },
      )
      .finally(() => setChecking(false));
  };

  return (
    <main className="sign-in">
      <form className="panel" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Vigil</h1>
        <p className="muted">
          Use an API token: the admin token <code>vigil serve</code> printed on its first start, or one made with{' '}
          <code>vigil token create --role responder</code>. It is kept in this tab only.
        </p>
        {props.notice === undefined ? null : <p className="notice">{props.notice}</p>}
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="vgl_…"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          autoFocus
        />
        {error === undefined ? null : (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
