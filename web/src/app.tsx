import { useCallback, useMemo, useState } from 'react';
import { ApiClient, type ApiError } from './api-client';
import { AuditStatus } from './audit-status';
import { IncidentList } from './incident-list';
import { IncidentPage } from './incident-page';
import { Link, useLocation } from './router';
import { SessionContext, type Session } from './session';
import { SignIn } from './sign-in';
import { tokenStore } from './token-store';

/** The console: the sign-in form until a token is accepted, then the incident pages. */
export function App() {
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [signedOutBecause, setSignedOutBecause] = useState<string | undefined>(undefined);

  const signOut = useCallback((reason: string | undefined) => {
    tokenStore.clear();
    setToken(null);
    setSignedOutBecause(reason);
  }, []);

  const api = useMemo(
    () =>
      token === null
        ? null
        : new ApiClient(token, (error: ApiError) => signOut(`Your token is no longer accepted (${error.describe()}). Sign in again.`)),
    [token, signOut],
  );

  if (api === null) {
    return (
      <SignIn
        notice={signedOutBecause}
        onSignedIn={(accepted) => {
          tokenStore.set(accepted);
          setSignedOutBecause(undefined);
          setToken(accepted);
        }}
      />
    );
  }
  return <SignedIn api={api} onSignOut={() => signOut(undefined)} />;
}

function SignedIn(props: { api: ApiClient; onSignOut: () => void }) {
  const [readOnly, setReadOnly] = useState<string | undefined>(undefined);
  const [changes, setChanges] = useState(0);
  const session = useMemo<Session>(
    () => ({
      api: props.api,
      readOnly,
      markReadOnly: (message) => setReadOnly(message),
      changes,
      changed: () => setChanges((n) => n + 1),
    }),
    [props.api, readOnly, changes],
  );
  const location = useLocation();
  const incidentId = /^\/incidents\/([^/]+)\/?$/.exec(location.path)?.[1];

  let page;
  if (location.path === '/' || location.path === '/incidents' || location.path === '/incidents/') {
    page = <IncidentList query={location.query} />;
  } else if (incidentId !== undefined) {
    page = <IncidentPage id={decodeURIComponent(incidentId)} />;
  } else {
    page = (
      <section className="panel">
        <h1>Page not found</h1>
        <p>
          There is no page at <code>{location.path}</code>. <Link to="/">See the incidents.</Link>
        </p>
      </section>
    );
  }

  return (
    <SessionContext.Provider value={session}>
      <header className="topbar">
        <Link to="/" className="brand">
          Vigil
        </Link>
        <nav>
          <Link to="/">Incidents</Link>
        </nav>
        <AuditStatus />
        <button type="button" className="link-button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      {readOnly === undefined ? null : (
        <p className="banner" role="status">
          Read-only: {readOnly}
        </p>
      )}
      <main>{page}</main>
    </SessionContext.Provider>
  );
}
