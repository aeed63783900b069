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
});
