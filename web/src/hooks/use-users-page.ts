// One page of the account list for the filters, re-read when `version` moves (after any change in the view).
import { useEffect, useState } from 'react';
import { usersApi, type ManagedUser } from '../api/users-api';
import { userQuery, type UserFilters } from '../lib/users-logic';

export interface UsersPage {
  items: ManagedUser[];
  total: number;
  loading: boolean;
  error: unknown;
}

export function useUsersPage(filters: UserFilters, version: number): UsersPage {
  const [page, setPage] = useState<UsersPage>({ items: [], total: 0, loading: true, error: null });
  useEffect(() => {
    const abort = new AbortController();
    setPage((p) => ({ ...p, loading: true }));
    usersApi.list(userQuery(filters), abort.signal).then(
      ({ items, total }) => setPage({ items, total, loading: false, error: null }),
      (error: unknown) => !abort.signal.aborted && setPage((p) => ({ ...p, loading: false, error })),
    );
    return () => abort.abort();
  }, [filters, version]);
  return page;
}
