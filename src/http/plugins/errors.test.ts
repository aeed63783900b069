import { describe, expect, it } from 'vitest';
import { errorBody } from './errors';

describe('error messages', () => {
  it("shows a field's numeric bound as people read it (10.000 in Vietnamese, 10,000 in English), a year as it is", () => {
    const fields = [
      { path: 'amount', key: 'too_small', params: { minimum: 10000 } },
      { path: 'ratio', key: 'too_big', params: { maximum: 0.5 } },
      { path: 'povertyYear', key: 'too_small', params: { minimum: 1990 } },
    ];
    const vi = errorBody('vi', 'validation', {}, fields).error.fields!.map((f) => f.message);
    expect(vi).toEqual(['Phải lớn hơn hoặc bằng 10.000', 'Phải nhỏ hơn hoặc bằng 0,5', 'Phải lớn hơn hoặc bằng 1990']);
    const en = errorBody('en', 'validation', {}, fields).error.fields!.map((f) => f.message);
    expect(en[0]).toContain('10,000');
    expect(en[1]).toContain('0.5');
    expect(en[2]).toContain('1990');
  });
});
