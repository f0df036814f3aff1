import { useCallback, useEffect, useRef } from 'react';

/**
 * The services' read models follow their commands by a few milliseconds to a second: after a change,
 * read again (network only) until `seen()` says the change is visible, at most `tries` times (20 s by default: a loaded machine delays the projections).
 */
export function useRefreshUntil(refetch: () => void, seen: () => boolean, tries = 50, everyMs = 400) {
  const state = useRef({ left: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined });
  const seenRef = useRef(seen);
  const refetchRef = useRef(refetch);
  useEffect(() => {
    seenRef.current = seen;
    refetchRef.current = refetch;
  });
  useEffect(() => () => clearTimeout(state.current.timer), []);
  const tick = useCallback(() => {
    if (seenRef.current() || state.current.left <= 0) return;
    state.current.left--;
    refetchRef.current();
    state.current.timer = setTimeout(tick, everyMs);
  }, [everyMs]);
  return useCallback(() => {
    clearTimeout(state.current.timer);
    state.current.left = tries;
    tick();
  }, [tick, tries]);
}
