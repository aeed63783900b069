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

describe('programme statuses in error messages', () => {
  it('names a status by its name in the language, never by its code', () => {
    const skip = { from: 'draft', to: 'list_approved', ns: 'programmes' };
    expect(errorBody('vi', 'invalid_transition', skip).error.message).toBe('Không thể chuyển từ «Nháp» sang «Đã duyệt danh sách»');
    expect(errorBody('en', 'invalid_transition', skip).error.message).toBe("Cannot move from 'Draft' to 'List approved'");
    const approve = { status: 'list_approved', reason: 'approve_status', context: 'approve_status', ns: 'selection' };
    expect(errorBody('vi', 'invalid_transition', approve).error.message).not.toContain('list_approved');
    expect(errorBody('en', 'invalid_transition', approve).error.message).toContain('(now: List approved)');
  });
});
