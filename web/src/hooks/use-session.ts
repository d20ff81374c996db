// Session lifecycle: restore via /api/auth/me on load, login, logout, and drop back to the login page
// when any request reports 401 (expired cookie).
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, onUnauthorized, setCsrfToken, type SessionInfo } from '../api/http';
import { closeSocket } from '../api/socket';
import { statusStore } from '../lib/status-store';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired?: boolean; error?: unknown }
  /** `fresh`: signed in just now (not restored by a reload): the saved default wall layout is put back. */
  | { status: 'authenticated'; session: SessionInfo; fresh?: boolean };

export interface SessionApi {
  state: SessionState;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  retry: () => void;
  /** Reads the session again (after the forced password change); a fresh sign-in as far as the console goes. */
  refresh: () => Promise<void>;
}

function forget(): void {
  setCsrfToken(null);
  closeSocket();
  statusStore.clear();
}

export function useSession(): SessionApi {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [probe, setProbe] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api
      .me()
      .then((session) => {
        if (cancelled) return;
        setCsrfToken(session.csrfToken);
        setState({ status: 'authenticated', session });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        // 401 is the normal "not signed in"; anything else (server down) is shown on the login page.
        setState(error instanceof ApiError && error.status === 401 ? { status: 'anonymous' } : { status: 'anonymous', error });
      });
    return () => {
      cancelled = true;
    };
  }, [probe]);

  useEffect(
    () =>
      onUnauthorized(() => {
        forget();
        setState({ status: 'anonymous', expired: true });
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const session = await api.login(username, password);
    setCsrfToken(session.csrfToken);
    setState({ status: 'authenticated', session, fresh: true });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      /* the cookie may already be gone; sign out locally anyway */
    }
    forget();
    setState({ status: 'anonymous' });
  }, []);

  const retry = useCallback(() => setProbe((n) => n + 1), []);

  const refresh = useCallback(async () => {
    const session = await api.me();
    setCsrfToken(session.csrfToken);
    setState({ status: 'authenticated', session, fresh: true });
  }, []);

  return { state, login, logout, retry, refresh };
}
