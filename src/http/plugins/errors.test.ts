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
  it('names a status by its name in the language, never by its code', async () => {
    const { handoverField } = await import('../../modules/programmes/handover/handover.service');
    const field = handoverField('programme', 'programme_status', { status: 'list_approved' });
    expect(errorBody('vi', 'validation', {}, [field]).error.fields![0].message).toBe('Chương trình đang ở trạng thái không cho phép việc này (hiện: Đã duyệt danh sách)');
    expect(errorBody('en', 'validation', {}, [field]).error.fields![0].message).toBe("The programme's status does not allow this (now: List approved)");
    const approve = { status: 'list_approved', reason: 'approve_status', context: 'approve_status', ns: 'selection' };
    expect(errorBody('vi', 'invalid_transition', approve).error.message).not.toContain('list_approved');
    expect(errorBody('en', 'invalid_transition', approve).error.message).toContain('(now: List approved)');
  });
});
