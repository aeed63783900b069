/**
 * `npm run bench -- NAME [args]`: runs bench/NAME.ts. Each benchmark measures coverdesk and its reference
 * in the same run and prints the ratio as its last line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME\navailable: ${available.join(', ')}`);
  process.exit(2);
}
process.argv = [process.argv[0], process.argv[1], ...args];
await import(`./${name}.ts`);
