/**
 * The README promises Node 20.19: every package the lockfile installs must accept it, or `npm install`
 * warns (EBADENGINE) and the package may use what Node 20 lacks. cookie 2 asks for Node 22, so
 * package.json pins cookie 1.1.1 (the same API) through "overrides".
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[] }>;
};
const ourNode = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

describe('Node 20 support', () => {
  it('the README and package.json promise Node 20.19', () => {
    expect(semver.minVersion(ourNode)?.version).toBe('20.19.0');
  });

  it('every locked package accepts Node 20.19', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name]) => name !== '')
      .map(([name, p]) => [name, Array.isArray(p.engines) ? undefined : p.engines?.node] as const)
      .filter(([, range]) => range && !semver.satisfies('20.19.0', range))
      .map(([name, range]) => `${name} (node ${range})`);
    expect(refusing).toEqual([]);
  });
});
