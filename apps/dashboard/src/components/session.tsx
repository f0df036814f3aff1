import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { Provider } from 'urql';
import { createClient } from '../lib/client';
import { clearSession, loadSession, saveSession, Session } from '../lib/session';

interface SessionContextValue {
  session: Session | null;
  signIn(token: string): Session;
  signOut(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const signIn = useCallback((token: string) => {
    const next = saveSession(token);
    setSession(next);
    return next;
  }, []);
  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
  }, []);
  // A new client per session: nothing cached for one user is shown to the next.
  const client = useMemo(
    () =>
      createClient(
        () => session?.token,
        () => {
          // The token expired: back to the sign-in page, which says why.
          sessionStorage.setItem('cnrms.expired', '1');
          clearSession();
          setSession(null);
        },
      ),
    [session],
  );
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return (
    <SessionContext.Provider value={value}>
      <Provider value={client}>{children}</Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in identity (pages under RequireSession only). */
export function useIdentity() {
  const { session } = useSession();
  if (!session) throw new Error('no session');
  return session.identity;
}
