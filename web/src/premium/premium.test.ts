import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { mapErrors } from '../errors';
import { buildQuoteRequest, buildVsiRequest, calculatorFieldKey, vsiFieldKey, vsiGroupFor, type Draft } from './premium';

const MESSAGES = {
  dateRequired: 'date?',
  dateInvalid: 'day?',
  monthsInvalid: 'months?',
  provinceInvalid: 'province?',
  enrolledInvalid: 'enrolled?',
  gradeInvalid: 'grade?',
};
const member = (groups: string[], extra: Partial<Draft['members'][number]> = {}) => ({
  key: Math.random(),
  groups,
  birthDate: '',
  grade: '',
  previousCardTo: '',
  ...extra,
});

describe('buildQuoteRequest', () => {
  it('sends the example household as the API expects', () => {
    const draft: Draft = {
      date: '2025-09-01',
      months: '12',
      province: '',
      enrolled: '0',
      members: [member(['GD']), member(['GD']), member(['HS'], { grade: '3' })],
    };
    expect(buildQuoteRequest(draft, MESSAGES)).toEqual({
      request: {
        date: '2025-09-01',
        months: 12,
        members: [{ groups: ['GD'] }, { groups: ['GD'] }, { groups: ['HS'], grade: 3 }],
        enrolledThisYear: 0,
      },
      fields: {},
    });
  });
  it('keeps optional fields only when given and drops an unchosen second group; dates typed dd/MM/yyyy', () => {
    const draft: Draft = {
      date: '01/02/2026',
      months: '6',
      province: '79',
      enrolled: '',
      members: [member(['GD', ''], { birthDate: '10/5/2023', previousCardTo: '2026-01-31' })],
    };
    expect(buildQuoteRequest(draft, MESSAGES).request).toEqual({
      date: '2026-02-01',
      months: 6,
      members: [{ groups: ['GD'], birthDate: '2023-05-10', previousCardTo: '2026-01-31' }],
      province: '79',
      enrolledThisYear: 0,
    });
  });
  it('names the fields it cannot send; the server checks the ranges', () => {
    const draft: Draft = {
      date: '',
      months: '',
      province: '7',
      enrolled: '-1',
      members: [member([], { birthDate: '31/02/2020' }), member(['HS'], { grade: 'x', previousCardTo: '12/2025' })],
    };
    expect(buildQuoteRequest(draft, MESSAGES)).toEqual({
      request: null,
      fields: {
        date: 'date?',
        months: 'months?',
        province: 'province?',
        enrolledThisYear: 'enrolled?',
        'members.0.birthDate': 'day?',
        'members.1.grade': 'grade?',
        'members.1.previousCardTo': 'day?',
      },
    });
    // 13 months is the server's to refuse, with its own message
    expect(buildQuoteRequest({ ...draft, date: '2025-09-01', months: '13', province: '', enrolled: '0', members: [member(['GD'])] }, MESSAGES).request?.months).toBe(13);
  });
});

describe('calculatorFieldKey', () => {
  it('maps API paths to the form fields', () => {
    expect(calculatorFieldKey(['months'])).toBe('months');
    expect(calculatorFieldKey(['date'])).toBe('date');
    expect(calculatorFieldKey(['enrolledThisYear'])).toBe('enrolledThisYear');
    expect(calculatorFieldKey(['members'])).toBe('members');
    expect(calculatorFieldKey(['members', '1', 'groups', '0'])).toBe('members.1.groups');
    expect(calculatorFieldKey(['members', '1', 'groups'])).toBe('members.1.groups');
    expect(calculatorFieldKey(['members', '2', 'groups', '1'])).toBe('members.2.groups.1');
    expect(calculatorFieldKey(['members', '0', 'birthDate'])).toBe('members.0.birthDate');
    expect(calculatorFieldKey(['members', '0', 'previousCardTo'])).toBe('members.0.previousCardTo');
    expect(calculatorFieldKey(['members', '0', 'province'])).toBeNull();
    expect(calculatorFieldKey(['other'])).toBeNull();
  });
});

describe('mapErrors', () => {
  const err = (fields: { path: string; message: string }[]) => new ApiError(400, 'validation', 'Invalid input', fields);
  it('puts every known field message next to its field and no banner', () => {
    expect(mapErrors(err([{ path: 'members.1.groups.0', message: 'unknown group' }]), calculatorFieldKey)).toEqual({
      fields: { 'members.1.groups': 'unknown group' },
      banner: null,
    });
  });
  it('strips a leading body segment and keeps the first message per field', () => {
    const r = mapErrors(
      err([
        { path: 'body.months', message: 'first' },
        { path: 'months', message: 'second' },
      ]),
      calculatorFieldKey,
    );
    expect(r).toEqual({ fields: { months: 'first' }, banner: null });
  });
  it('shows messages no field can show in the banner', () => {
    const r = mapErrors(err([{ path: 'members.0.province', message: 'bad province' }]), calculatorFieldKey);
    expect(r).toEqual({ fields: {}, banner: 'Invalid input: bad province' });
    expect(mapErrors(new ApiError(500, 'internal', 'Boom'), calculatorFieldKey)).toEqual({ fields: {}, banner: 'Boom' });
  });
});

describe('voluntary social insurance beside BHYT', () => {
  it('suggests the support group from the BHYT groups, the highest first (Decree 159/2025/NĐ-CP)', () => {
    expect(vsiGroupFor(['GD'])).toBe('other');
    expect(vsiGroupFor(['CN'])).toBe('near_poor');
    expect(vsiGroupFor(['DT', 'CN'])).toBe('near_poor');
    expect(vsiGroupFor(['DT'])).toBe('ethnic_minority');
    expect(vsiGroupFor(['HS', 'HN'])).toBe('poor');
    expect(vsiGroupFor(['XD'])).toBe('island');
  });

  it('builds the request: the chosen group wins over the suggestion, an income typed as 5.000.000', () => {
    const members = [member(['HN']), member(['GD']), member(['CN'])];
    const drafts = { [members[1].key]: { income: '5.000.000' }, [members[2].key]: { group: 'other' as const, income: '' } };
    const { request, fields } = buildVsiRequest('2025-09-01', 3, members, drafts, '79', 'income?');
    expect(fields).toEqual({});
    expect(request).toEqual({
      date: '2025-09-01',
      months: 3,
      province: '79',
      members: [{ groups: ['poor'] }, { groups: ['other'], income: 5_000_000 }, { groups: ['other'] }],
    });
  });

  it('names the member whose income is not an amount, and maps the API errors to the row', () => {
    const members = [member(['GD']), member(['GD'])];
    expect(buildVsiRequest('2025-09-01', 1, members, { [members[1].key]: { income: 'abc' } }, '', 'income?')).toEqual({ request: null, fields: { 'members.1.income': 'income?' } });
    expect(vsiFieldKey(['members', '1', 'income'])).toBe('members.1.income');
    expect(vsiFieldKey(['months'])).toBe('months');
    expect(vsiFieldKey(['date'])).toBeNull();
  });
});
