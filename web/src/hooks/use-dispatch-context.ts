// What every dispatch component needs about the signed-in side: own unit (with its level), whether it may dispatch,
// the subordinate units it may send to, and the danger taxonomy with labels in the current language.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { SENDS_TO } from '../../../server/domain/task-workflow';
import { api, type OrgUnit, type User } from '../api/http';
import { dispatchApi, type Severity, type Taxonomy } from '../api/dispatch-api';
import { useI18n } from './use-i18n';

export interface DispatchSetup {
  user: User;
  /** The user's own unit; null until loaded. */
  unit: OrgUnit | null;
  canDispatch: boolean;
  /** Direct subordinate units of the level this unit dispatches to (townships for the county, villages for a township). */
  targets: OrgUnit[];
  taxonomy: Taxonomy | null;
  taxonomyError: unknown;
  categoryLabel: (key: string) => string;
  severityLabel: (key: Severity | string) => string;
}

export function useDispatchSetup(user: User): DispatchSetup {
  const { t, lang } = useI18n();
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  const [targets, setTargets] = useState<OrgUnit[]>([]);
  const [taxonomy, setTaxonomy] = useState<Taxonomy | null>(null);
  const [taxonomyError, setTaxonomyError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    dispatchApi.taxonomy(abort.signal).then(setTaxonomy, (err: unknown) => !abort.signal.aborted && setTaxonomyError(err));
    // The unit list without parentId answers the scope root: the user's own unit, with its level.
    api.orgUnits(undefined, abort.signal).then(async ([own]) => {
      if (!own) return;
      setUnit(own);
      const level = SENDS_TO[own.level];
      if (!level) return;
      const children = await api.orgUnits(own.id, abort.signal);
      setTargets(children.filter((c) => c.level === level));
    }).catch(() => { /* the tree shows the same failure; dispatch forms then offer no target */ });
    return () => abort.abort();
  }, [user.id]);

  const categoryLabel = useCallback(
    (key: string) => {
      const c = taxonomy?.categories.find((x) => x.key === key);
      return c ? (lang === 'en' ? c.nameEn : c.name) : key;
    },
    [taxonomy, lang],
  );
  const severityLabel = useCallback(
    (key: string) => (key === 'general' || key === 'major' || key === 'critical' ? t(`severity.${key}`) : key),
    [t],
  );

  return useMemo(
    () => ({
      user, unit, canDispatch: !!unit && !!SENDS_TO[unit.level], targets, taxonomy, taxonomyError, categoryLabel, severityLabel,
    }),
    [user, unit, targets, taxonomy, taxonomyError, categoryLabel, severityLabel],
  );
}

export const DispatchContext = createContext<DispatchSetup | null>(null);

export function useDispatch(): DispatchSetup {
  const value = useContext(DispatchContext);
  if (!value) throw new Error('useDispatch outside DispatchContext');
  return value;
}
