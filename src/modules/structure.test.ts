/**
 * The rules of docs/architecture.md ("One way", "Where SQL lives"), checked on the source text:
 * - a module may call another module's service, never its repository;
 * - SQL lives in `*.repository.ts` (tests and their fixtures excepted);
 * - a migration carries its own SQL and imports nothing from src/modules (it must not change when the
 *   code does).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(__dirname, '..');
const modules = path.join(src, 'modules');

const sourceFiles = (dir: string) =>
  (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
const isTest = (file: string) => /\.(test|fixture)\.ts$/.test(file);
const rel = (file: string) => path.relative(src, file).split(path.sep).join('/');

/** The files a source file imports (relative specifiers only), resolved to paths without extension. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)) found.push(path.resolve(path.dirname(file), m[1]).replace(/\.(ts|js)$/, ''));
  return found;
}

/** The module (first folder under src/modules) a path lies in, if any. */
const moduleOf = (file: string) => (file.startsWith(modules + path.sep) ? path.relative(modules, file).split(path.sep)[0] : undefined);

describe('structure', () => {
  it("no module imports another module's repository (tests excepted)", () => {
    const offences: string[] = [];
    for (const file of sourceFiles(modules).filter((f) => !isTest(f))) {
      const own = moduleOf(file);
      for (const target of importsOf(file)) {
        const other = moduleOf(target);
        if (other && other !== own && target.endsWith('.repository')) offences.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('keeps SQL in repositories', () => {
    const sqlText = /sql`|\b(selectFrom|insertInto|updateTable|deleteFrom)\(/;
    const offences = sourceFiles(modules)
      .filter((f) => !isTest(f) && !f.endsWith('.repository.ts'))
      .filter((f) => sqlText.test(fs.readFileSync(f, 'utf8')))
      .map(rel);
    expect(offences).toEqual([]);
  });

  it('migrations import nothing from src/modules', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(path.join(src, 'db', 'migrations')))
      for (const target of importsOf(file)) if (moduleOf(target)) offences.push(`${rel(file)} -> ${rel(target)}`);
    expect(offences).toEqual([]);
  });
});
