// Saved wall layouts per user (/api/layouts): list, save the current wall, overwrite, make default, delete, load.
// The default layout is put on the wall after a fresh login (a reload keeps the wall the operator left).
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/http';
import { layoutsApi, type SavedLayout } from '../api/dispatch-api';
import { tileCameras } from '../api/tile-cameras';
import { wallCameraIds, type WallAction, type WallState } from '../components/wall/wall-state';
import { useI18n } from './use-i18n';

export interface SavedLayouts {
  layouts: SavedLayout[];
  error: string | null;
  save: (name: string, isDefault?: boolean) => Promise<SavedLayout>;
  overwrite: (layout: SavedLayout) => Promise<void>;
  makeDefault: (layout: SavedLayout) => Promise<void>;
  remove: (layout: SavedLayout) => Promise<void>;
  load: (layout: SavedLayout) => Promise<void>;
}

export function useSavedLayouts(
  wall: WallState,
  dispatch: (action: WallAction) => void,
  restoreDefault: boolean,
  onRestored: (layout: SavedLayout) => void,
): SavedLayouts {
  const { t } = useI18n();
  const [layouts, setLayouts] = useState<SavedLayout[]>([]);
  const [error, setError] = useState<string | null>(null);
  const restored = useRef(false);
  const wallRef = useRef(wall);
  wallRef.current = wall;

  const load = useCallback(
    async (layout: SavedLayout) => {
      const slots = await tileCameras(layout.cameraIds);
      dispatch({ type: 'load', slots, layout: layout.layout });
    },
    [dispatch],
  );

  const refresh = useCallback(async () => {
    try {
      const list = await layoutsApi.list();
      setLayouts(list);
      setError(null);
      return list;
    } catch (err) {
      setError(t('layouts.unavailable', { message: describeError(err, t) }));
      return [];
    }
  }, [t]);

  useEffect(() => {
    void refresh().then((list) => {
      if (restored.current) return;
      restored.current = true;
      const def = list.find((l) => l.isDefault);
      const wallEmpty = wallRef.current.slots.every((c) => c === null);
      if (def && (restoreDefault || wallEmpty)) void load(def).then(() => onRestored(def));
    });
    // Once per page: the list is refreshed after each change below.
  }, []);

  const save = useCallback(
    async (name: string, isDefault = false) => {
      const current = wallRef.current;
      const created = await layoutsApi.create({ name, layout: current.layout, cameraIds: wallCameraIds(current), isDefault });
      await refresh();
      return created;
    },
    [refresh],
  );

  const overwrite = useCallback(
    async (layout: SavedLayout) => {
      const current = wallRef.current;
      await layoutsApi.update(layout.id, { layout: current.layout, cameraIds: wallCameraIds(current) });
      await refresh();
    },
    [refresh],
  );

  const makeDefault = useCallback(
    async (layout: SavedLayout) => {
      await layoutsApi.update(layout.id, { isDefault: !layout.isDefault });
      await refresh();
    },
    [refresh],
  );

  const remove = useCallback(
    async (layout: SavedLayout) => {
      await layoutsApi.remove(layout.id);
      await refresh();
    },
    [refresh],
  );

  return { layouts, error, save, overwrite, makeDefault, remove, load };
}
