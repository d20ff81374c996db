// While nobody is signed in: does the console still need its first administrator (GET /api/setup)? Asked again when
// `probe` changes (after a setup that turned out to be done elsewhere).
import { useEffect, useState } from 'react';
import { setupApi, type SetupStatus } from '../api/setup-api';

/** undefined while asking; null when the answer could not be had (the login page then shows as before). */
export function useSetupStatus(active: boolean, probe = 0): SetupStatus | null | undefined {
  const [status, setStatus] = useState<SetupStatus | null | undefined>(undefined);
  useEffect(() => {
    if (!active) return;
    const abort = new AbortController();
    setStatus(undefined);
    setupApi
      .status(abort.signal)
      .then(setStatus)
      .catch(() => {
        if (!abort.signal.aborted) setStatus(null);
      });
    return () => abort.abort();
  }, [active, probe]);
  return status;
}
