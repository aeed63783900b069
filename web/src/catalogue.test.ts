/** The catalogues: Vietnamese and English have the same keys (plural forms aside) in every namespace. */
import { describe, expect, it } from 'vitest';
import { resources } from '../../src/i18n';

const vi = resources.vi.web;
const en = resources.en.web;

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe('catalogues', () => {
  for (const ns of Object.keys(resources.vi) as (keyof typeof resources.vi)[]) {
    it(`namespace ${ns} has the same keys in vi and en`, () => {
      const viKeys = [...new Set(keys(resources.vi[ns]).map(base))].filter(Boolean).sort();
      const enKeys = [...new Set(keys(resources.en[ns]).map(base))].filter(Boolean).sort();
      expect(enKeys).toEqual(viKeys);
    });
  }
});

describe('web catalogues', () => {
  it('have the same keys in vi and en', () => {
    const viKeys = [...new Set(keys(vi).map(base))].sort();
    const enKeys = [...new Set(keys(en).map(base))].sort();
    expect(enKeys).toEqual(viKeys);
  });
  it('have an _other form for every plural key in both languages', () => {
    for (const cat of [vi, en]) {
      const all = keys(cat);
      for (const k of all.filter((x) => /_(one|other)$/.test(x))) expect(all).toContain(`${base(k)}_other`);
    }
  });
  it('use the Vietnamese role labels', () => {
    expect(vi.roles).toEqual({
      admin: 'Quản trị viên',
      province_staff: 'Cán bộ tỉnh',
      commune_officer: 'Cán bộ xã',
      field_worker: 'Tổ viên tổ công tác',
      viewer: 'Người xem',
    });
  });
});

describe('counts in the texts', () => {
  it('carry the language thousands separator', async () => {
    const { i18n } = await import('./i18n');
    expect(i18n.getFixedT('vi', 'web')('coverage.table.communes', { count: 1234 })).toBe('Các xã, phường (1.234)');
    expect(i18n.getFixedT('en', 'web')('coverage.figures.imported', { rows: 12000, inserted: 11000, updated: 1000 })).toBe(
      '12,000 rows imported: 11,000 new, 1,000 updated.',
    );
    expect(i18n.getFixedT('vi', 'web')('audit.more', { count: 1005 })).toBe('… và 1.005 mục khác');
  });
});
