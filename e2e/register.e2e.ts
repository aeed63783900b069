import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;

const HEADER =
  'household_code,commune_code,village,address,poverty_status,full_name,relationship,birth_date,sex,citizen_id,insurance_code,ethnicity,phone,groups,card_group,card_from,card_to';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-e2e-import-'));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('register in the browser', () => {
  it('reports a bad row through the wizard and writes nothing', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, [HEADER, 'E01,02905,Thôn Phú Lâm,,,Đặng Thị Ánh,chủ hộ,02/09/1988,khác,,,Kinh,,GD,,,'].join('\n'));
    await logIn(page, server);
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-result').waitFor();
    await expect.poll(() => page.getByTestId('import-count-rejected').textContent()).toContain('1');
    expect(await page.getByTestId('import-errors').textContent()).toContain('Giới tính phải là Nam hoặc Nữ');
    await screenshot(page, 'import-rejected');
  });

  it('imports a small file and finds a person by name typed without diacritics', async () => {
    const file = path.join(dir, 'good.csv');
    fs.writeFileSync(
      file,
      [
        HEADER,
        'E01,02905,Thôn Phú Lâm,Số 3,hộ cận nghèo,Đặng Thị Ánh,chủ hộ,02/09/1988,nữ,,,Kinh,,CN,CN,01/01/2025,31/12/2025',
        'E01,02905,Thôn Phú Lâm,Số 3,hộ cận nghèo,Hoàng Văn Đức,chồng,15/04/1985,nam,,,Tày,,CN,CN,01/01/2025,31/12/2025',
      ].join('\n'),
    );
    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-result').waitFor();
    await expect.poll(() => page.getByTestId('import-count-inserted').textContent()).toContain('2');
    await screenshot(page, 'import-done');

    await page.getByTestId('nav-register').click();
    await page.getByTestId('person-search').fill('dang thi anh');
    await page.getByTestId('person-search-submit').click();
    await expect.poll(() => page.getByTestId('person-results').textContent()).toContain('Đặng Thị Ánh');
    await screenshot(page, 'person-search');
    await page.getByTestId('person-results').locator('[data-testid^="person-row-"]').first().click();
    await expect.poll(() => page.getByTestId('household-members').textContent()).toContain('Hoàng Văn Đức');
    await screenshot(page, 'household');
  });

  it('creates a household, adds a member by hand, edits her, covers her with a card, removes her', async () => {
    const year = new Date().getFullYear();
    await page.getByTestId('nav-register').click();
    await page.getByTestId('household-new').click();
    await page.getByTestId('household-province').selectOption('15');
    await page.getByTestId('household-commune').selectOption('02905');
    await page.getByTestId('household-village').selectOption('02905.thon-phu-lam');
    await page.getByTestId('household-address').fill('Số 7, ngõ 12');
    await page.getByTestId('household-poverty-select').selectOption('near_poor');
    await page.getByTestId('household-poverty-year').fill('2025');
    // a code the commune already has: the server's refusal shows next to the code
    await page.getByTestId('household-code').fill('E01');
    await page.getByTestId('household-form-submit').click();
    await expect.poll(() => page.getByTestId('household-code-error').textContent()).toContain('E01');
    await screenshot(page, 'household-new');
    await page.getByTestId('household-code').fill('E02');
    await page.getByTestId('household-form-submit').click();
    await expect.poll(() => page.getByTestId('household-header').textContent()).toContain('Hộ E02');
    expect(await page.getByTestId('notice').textContent()).toContain('Đã tạo hộ E02');
    expect(await page.getByTestId('household-poverty').textContent()).toContain('Hộ cận nghèo');
    expect(await page.getByTestId('household-village-value').textContent()).toBe('Thôn Phú Lâm');

    // edit the household
    await page.getByTestId('household-edit').click();
    await page.getByTestId('household-address').fill('Số 9, ngõ 12');
    await page.getByTestId('household-form-submit').click();
    await expect.poll(() => page.getByTestId('household-address-value').textContent()).toBe('Số 9, ngõ 12');

    // add a member: a citizen id that says "male" is refused next to the field
    await page.getByTestId('member-add').click();
    await page.getByTestId('person-name').fill('nguyễn thị thu hằng');
    await page.getByTestId('person-relationship').selectOption('head');
    await page.getByTestId('person-birth').fill('07/03/1992');
    await page.getByTestId('person-sex').selectOption('female');
    await page.getByTestId('person-citizen-id').fill('001092012345');
    await page.getByTestId('person-ethnicity').fill('Kinh');
    await page.getByTestId('person-group-0').selectOption('CN');
    await page.getByTestId('person-form-submit').click();
    await expect.poll(() => page.getByTestId('person-new-citizen-error').textContent()).toContain('giới tính');
    await screenshot(page, 'member-add-error');
    await page.getByTestId('person-citizen-id').fill('001192012345');
    await page.getByTestId('person-form-submit').click();
    await expect.poll(() => page.getByTestId('household-members').textContent()).toContain('Nguyễn Thị Thu Hằng');
    const row = page.locator('[data-testid^="member-row-"]', { hasText: 'Nguyễn Thị Thu Hằng' });
    const personId = (await row.getAttribute('data-testid'))!.replace('member-row-', '');
    expect(await row.textContent()).toContain('07/03/1992');
    expect(await row.textContent()).toContain('Chủ hộ');
    expect(await page.getByTestId(`member-card-${personId}`).textContent()).toBe('Chưa có thẻ');

    // edit her: birth date, phone
    await page.getByTestId(`member-edit-${personId}`).click();
    expect(await page.getByTestId('person-birth').inputValue()).toBe('07/03/1992');
    await page.getByTestId('person-birth').fill('17/03/1992');
    await page.getByTestId('person-phone').fill('0912 345 678');
    await screenshot(page, 'member-edit');
    await page.getByTestId('person-form-submit').click();
    await expect.poll(() => row.textContent()).toContain('17/03/1992');
    expect(await row.textContent()).toContain('0912345678');

    // a card for this year: she is covered
    await page.getByTestId(`member-toggle-${personId}`).click();
    await page.getByTestId(`member-add-card-${personId}`).click();
    await page.getByTestId('card-group').selectOption('CN');
    await page.getByTestId('card-from').fill(`01/01/${year}`);
    await page.getByTestId('card-to').fill(`31/12/${year}`);
    await page.getByTestId('card-submit').click();
    await expect.poll(() => page.getByTestId(`member-card-${personId}`).textContent()).toBe(`Có thẻ đến 31/12/${year}`);

    // correct the card's number
    const cardRow = page.getByTestId(`member-cards-${personId}`).locator('[data-testid^="card-row-"]');
    const cardId = (await cardRow.getAttribute('data-testid'))!.replace('card-row-', '');
    await page.getByTestId(`card-edit-${cardId}`).click();
    expect(await page.getByTestId('card-edit-from').inputValue()).toBe(`01/01/${year}`);
    await page.getByTestId('card-edit-number').fill('CN4150212345678');
    await page.getByTestId('card-edit-submit').click();
    await expect.poll(() => cardRow.textContent()).toContain('CN4150212345678');
    await screenshot(page, 'member-covered');

    // the household cannot go while she is in it
    await page.getByTestId('household-delete').click();
    await page.getByTestId('household-delete-blocked').waitFor();
    await page.getByTestId('household-delete-blocked').getByRole('button').click();

    // remove her: the confirmation names what goes with her
    await page.getByTestId(`member-delete-${personId}`).click();
    expect(await page.getByTestId('member-delete-confirm').textContent()).toContain('1 thẻ BHYT');
    await screenshot(page, 'member-delete');
    await page.getByTestId('member-delete-confirm-yes').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Đã xoá Nguyễn Thị Thu Hằng');
    await expect.poll(() => page.getByTestId('household-members').count()).toBe(0);

    // and the empty household
    await page.getByTestId('household-delete').click();
    expect(await page.getByTestId('household-delete-confirm').textContent()).toContain('E02');
    await page.getByTestId('household-delete-confirm-yes').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Đã xoá hộ E02');
    await page.getByTestId('person-search').waitFor();
  });

  it('shows no edit buttons to a viewer; commune officers and province staff add households only in their scope', async () => {
    for (const [username, role, scope] of [
      ['xem02905', 'viewer', '02905'],
      ['xa02905', 'commune_officer', '02905'],
      ['tinh15', 'province_staff', '15'],
    ] as const) {
      await page.getByTestId('nav-users').click();
      await page.getByTestId('user-username').fill(username);
      await page.getByTestId('user-display-name').fill(username);
      await page.getByTestId('user-role').selectOption(role);
      await page.getByTestId('user-scope').fill(scope);
      await page.getByTestId('user-password').fill('mat-khau-dai-12345');
      await page.getByTestId('user-submit').click();
      await page.getByTestId(`user-row-${username}`).waitFor();
    }
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await logIn(other, server, 'xem02905', 'mat-khau-dai-12345');
      await other.getByTestId('nav-register').click();
      await other.getByTestId('person-search').fill('dang thi anh');
      await other.getByTestId('person-search-submit').click();
      await other.getByTestId('person-results').locator('[data-testid^="person-row-"]').first().click();
      await expect.poll(() => other.getByTestId('household-members').textContent()).toContain('Hoàng Văn Đức');
      expect(await other.getByTestId('household-edit').count()).toBe(0);
      expect(await other.getByTestId('household-delete').count()).toBe(0);
      expect(await other.getByTestId('member-add').count()).toBe(0);
      expect(await other.locator('[data-testid^="member-edit-"], [data-testid^="member-delete-"]').count()).toBe(0);
      await other.getByTestId('nav-register').click();
      expect(await other.getByTestId('household-new').count()).toBe(0);
      await other.getByTestId('logout').click();

      await logIn(other, server, 'xa02905', 'mat-khau-dai-12345');
      await other.getByTestId('nav-register').click();
      await other.getByTestId('household-new').click();
      await expect.poll(() => other.getByTestId('household-commune-fixed').inputValue()).toContain('02905');
      expect(await other.getByTestId('household-province').count()).toBe(0);
      await other.getByTestId('household-code').fill('X01');
      await other.getByTestId('household-form-submit').click();
      await expect.poll(() => other.getByTestId('household-header').textContent()).toContain('Hộ X01');
      expect(await other.getByTestId('household-poverty').textContent()).toContain('Không thuộc diện');
      await other.getByTestId('logout').click();

      // province staff: one of their province's communes, no province to choose
      await logIn(other, server, 'tinh15', 'mat-khau-dai-12345');
      await other.getByTestId('nav-register').click();
      await other.getByTestId('household-new').click();
      await expect.poll(() => other.getByTestId('household-commune').locator('option').count()).toBeGreaterThan(50);
      expect(await other.getByTestId('household-province').count()).toBe(0);
      await other.getByTestId('household-commune').selectOption('02905');
      await other.getByTestId('household-code').fill('T01');
      await other.getByTestId('household-form-submit').click();
      await expect.poll(() => other.getByTestId('household-header').textContent()).toContain('Xã Bảo Thắng');
    } finally {
      await other.close();
    }
  });
});
