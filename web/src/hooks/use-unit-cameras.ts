// The cameras of one org unit's subtree for the resident-link form: one request of up to 500 (the server's own
// limit when it picks a link's default cameras), re-read when the unit changes.
import { useEffect, useState } from 'react';
import { api, describeError, type Camera } from '../api/http';
import { useI18n } from './use-i18n';

const LIMIT = 500;

export interface UnitCameras {
  /** The unit these cameras belong to (null before any unit is picked). */
  unitId: number | null;
  cameras: Camera[];
  /** Cameras in the subtree; more than cameras.length when the list was cut at the limit. */
  total: number;
  loading: boolean;
  error: string | null;
}

const idle = (unitId: number | null): UnitCameras => ({ unitId, cameras: [], total: 0, loading: unitId !== null, error: null });

export function useUnitCameras(unitId: number | null): UnitCameras {
  const { t } = useI18n();
  const [state, setState] = useState<UnitCameras>(() => idle(unitId));

  useEffect(() => {
    setState(idle(unitId));
    if (unitId === null) return;
    const abort = new AbortController();
    api.cameras({ orgUnitId: unitId, limit: LIMIT }, abort.signal).then(
      (page) => setState({ unitId, cameras: page.items, total: page.total, loading: false, error: null }),
      (err: unknown) => !abort.signal.aborted && setState({ ...idle(unitId), loading: false, error: describeError(err, t) }),
    );
    return () => abort.abort();
    // `t` is left out: a language switch does not need the list again.
  }, [unitId]);

  return state;
}
