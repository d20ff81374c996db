import { createContext, useContext } from 'react';
import type { Network } from '../api/http';

/** Networks by key, provided once by the console page (colour and names for chips, rows and tiles). */
export const NetworksContext = createContext<ReadonlyMap<string, Network>>(new Map());

export function useNetwork(key: string): Network | undefined {
  return useContext(NetworksContext).get(key);
}
