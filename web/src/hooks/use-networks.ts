import { useEffect, useState } from 'react';
import { api, isAbort, type Network } from '../api/http';

/** Networks rarely change: loaded once per console mount. Failure leaves chips out, the tree still works. */
export function useNetworks(): Network[] {
  const [networks, setNetworks] = useState<Network[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    api.networks(ctrl.signal).then(setNetworks, (err: unknown) => {
      if (!isAbort(err)) console.warn('networks unavailable', err);
    });
    return () => ctrl.abort();
  }, []);
  return networks;
}
