// A version number to re-read something when events say it changed, bumped at most once per `ms`: a county
// going dark opens thousands of tickets in seconds, and one re-read per event would be thousands of requests.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useThrottledBump(ms: number): [number, () => void] {
  const [version, setVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const bump = useCallback(() => {
    if (timer.current !== undefined) return; // one re-read is already scheduled: it will see this change too
    timer.current = setTimeout(() => {
      timer.current = undefined;
      setVersion((v) => v + 1);
    }, ms);
  }, [ms]);
  return [version, bump];
}
