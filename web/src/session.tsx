import { createContext, useContext } from 'react';
import type { ApiClient } from './api-client';

/** What every page of a signed-in console shares. */
export interface Session {
  readonly api: ApiClient;
  /** Set once the API refused an action with 403: the token may read but not act. */
  readonly readOnly: string | undefined;
  readonly markReadOnly: (message: string) => void;
  /** Bumped after every action, so the audit widget re-checks the chain. */
  readonly changes: number;
  readonly changed: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside of a signed-in console');
  return session;
}
