import { describe, expect, it } from 'vitest';
import { coverageHome, landingAfterLogin } from './landing';

describe('landing after login', () => {
  it("lands on the dashboard of the user's own unit, or Lào Cai's for a national user", () => {
    expect(landingAfterLogin([], { scopeCode: '02905', role: 'commune_officer' })).toBe('#/coverage/02905');
    expect(landingAfterLogin(['login'], { scopeCode: '15', role: 'province_staff' })).toBe('#/coverage/15');
    expect(landingAfterLogin([], { scopeCode: null, role: 'admin' })).toBe('#/coverage/15');
    expect(coverageHome({ scopeCode: '02905.T01' })).toBe('#/coverage/02905.T01');
  });

  it('sends a field worker to the field pages', () => {
    expect(landingAfterLogin([], { scopeCode: '02905', role: 'field_worker' })).toBe('/field/');
  });

  it('keeps a deep link: the user goes where they were going', () => {
    expect(landingAfterLogin(['programmes', 'abc', 'money'], { scopeCode: '15', role: 'province_staff' })).toBeNull();
    expect(landingAfterLogin(['units'], { scopeCode: null, role: 'admin' })).toBeNull();
  });
});
