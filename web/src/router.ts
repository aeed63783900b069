/**
 * A tiny hash router: '#/units/15/02905' -> ['units', '15', '02905'].
 * Routes: #/login, #/units, #/units/<code>[/<code>...] (last code is the unit shown), #/users, #/audit,
 * #/rules, #/calculator (public).
 */
import { useEffect, useState } from 'react';

export function parseHash(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(...segments: string[]): void {
  const target = href(...segments);
  if (window.location.hash !== target) window.location.hash = target;
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
