/**
 * The rules of docs/architecture.md ("One way", "Where SQL lives"), checked on the source text:
 * - a module may call another module's service, never its repository;
 * - SQL lives in `*.repository.ts` (tests and their fixtures excepted);
 * - a migration carries its own SQL and imports nothing from src/modules (it must not change when the
 *   code does);
 * - the programmes sub-areas import one way: money/ and selection/ import programme/ only, handover/
 *   and bank/ import programme/ and money/, transparency/ imports programme/ and handover/, programme/
 *   imports none of them;
 * - no import cycle anywhere in src/.
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

  it('programmes sub-areas import one way', () => {
    const allowed: Record<string, string[]> = { programme: [], money: ['programme'], selection: ['programme'], handover: ['programme', 'money'], bank: ['programme', 'money'], transparency: ['programme', 'handover'] };
    const programmes = path.join(modules, 'programmes');
    const subAreaOf = (file: string) => (file.startsWith(programmes + path.sep) ? path.relative(programmes, file).split(path.sep)[0] : undefined);
    const offences: string[] = [];
    for (const file of sourceFiles(programmes).filter((f) => !isTest(f))) {
      const own = subAreaOf(file)!;
      for (const target of importsOf(file)) {
        const other = subAreaOf(target);
        if (other && other !== own && !(allowed[own] ?? []).includes(other)) offences.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('has no import cycle', () => {
    const files = sourceFiles(src).filter((f) => !isTest(f));
    const known = new Set(files.map((f) => f.replace(/\.ts$/, '')));
    const edges = new Map(files.map((f) => [f.replace(/\.ts$/, ''), importsOf(f).filter((t) => known.has(t))]));
    // Tarjan's strongly connected components: a component of more than one file is a cycle.
    let next = 0;
    const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
    const cycles: string[] = [];
    const visit = (v: string) => {
      index.set(v, next); low.set(v, next++); stack.push(v); onStack.add(v);
      for (const w of edges.get(v)!) {
        if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); component.push(rel(w)); } while (w !== v);
        if (component.length > 1) cycles.push(component.join(' <-> '));
      }
    };
    for (const v of edges.keys()) if (!index.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });
});
