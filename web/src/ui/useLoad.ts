/**
 * What a page does to show data from the API: load it when the page (or what it depends on) changes,
 * abort the load when the page goes or asks again, and hand a failure's message to the page's banner
 * (an aborted load is not a failure). Returns the data (null until it comes) and its setter, for a page
 * that replaces it after a change.
 */
import { useEffect, useState, type DependencyList } from 'react';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList, onError: (message: string) => void) {
  const [data, setData] = useState<T | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal)
      .then(setData)
      .catch((err: unknown) => !isAbort(err) && onError(errorMessage(err)));
    return () => controller.abort();
    // the caller names what the load depends on, as for useEffect
  }, deps);
  return [data, setData] as const;
}
