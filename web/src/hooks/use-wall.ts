import { useEffect, useReducer } from 'react';
import { parseWall, wallReducer, type WallAction, type WallState } from '../components/wall/wall-state';

const keyFor = (username: string) => `console.wall.${username}`;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Wall state per user, restored after a reload so an operator's wall survives F5. */
export function useWall(username: string): [WallState, (action: WallAction) => void] {
  const [state, dispatch] = useReducer(wallReducer, keyFor(username), (key) => parseWall(read(key)));
  useEffect(() => {
    try {
      window.localStorage.setItem(keyFor(username), JSON.stringify(state));
    } catch {
      /* storage full or blocked: the wall simply is not remembered */
    }
  }, [state, username]);
  return [state, dispatch];
}
