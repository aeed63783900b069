// `npm start`: build the web app when it has not been built yet, then run the server.
import { existsSync } from 'node:fs';
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// the web app, then the field pages (a build of their own, into web/dist/field)
for (const [config, built] of [
  ['web/vite.config.ts', 'web/dist/index.html'],
  ['web/field/vite.config.ts', 'web/dist/field/index.html'],
]) {
  if (existsSync(path.join(root, built))) continue;
  console.log(`Building ${path.dirname(built)} (first start)...`);
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', config, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// V8 flags for imports (docs/decisions.md; bin/coverdesk and `npm run bench` run with the same): 64 MB
// semi-spaces for the young generation, where an import's rows die young instead of being copied by the
// garbage collector; no allocation-site pretenuring, which could send them to the old generation
const server = spawn(process.execPath, ['--max-semi-space-size=64', '--no-allocation-site-pretenuring', '--import', 'tsx', path.join(root, 'src', 'server.ts')], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
