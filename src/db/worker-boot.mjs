// Loads the TypeScript worker through tsx, whichever way the main thread was started (tsx, vitest, node).
import { register } from 'tsx/esm/api';
register();
await import('./pglite-worker.ts');
