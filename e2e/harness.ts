/**
 * Browser-test harness: runs the real server (built web app, fresh embedded database) in a child
 * process and drives Debian's Chromium with playwright-core. Without a browser the tests fail under CI
 * and are reported as such elsewhere: nothing is silently skipped in CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../src/config';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

export interface RunningServer {
  url: string;
  adminPassword: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the server on a fresh data directory; with COVERDESK_DEMO=1 it waits until the demo is loaded. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const waitForDemo = env.COVERDESK_DEMO === '1';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', COVERDESK_DATA_DIR: dataDir, DATABASE_URL: '', COVERDESK_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<{ url: string; adminPassword: string }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /localhost:(\d+)/.exec(output)?.[1];
      const password = /\(chỉ hiện một lần\): (\S+)/.exec(output)?.[1];
      const demoReady = !waitForDemo || /Đã nạp dữ liệu mẫu/.test(output);
      if (port && password && demoReady) resolve({ url: `http://127.0.0.1:${port}`, adminPassword: password });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`server did not start in 120 s:\n${output}`)), 120_000).unref();
  });
  const started = await ready;
  return {
    ...started,
    dataDir,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function logIn(page: Page, server: RunningServer, username = 'admin', password = server.adminPassword) {
  await page.goto(server.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // attached, not visible: on a phone the logout button is in the folded menu
  await page.getByTestId('logout').waitFor({ state: 'attached' });
}

/** POSTs to the API as the page's signed-in user (cookies shared with the page, CSRF from the session). */
export async function apiAs(request: APIRequestContext, server: RunningServer) {
  const me = await request.get(`${server.url}/api/auth/me`);
  const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
  return async <T>(path: string, data: unknown): Promise<T> => {
    const res = await request.post(`${server.url}${path}`, { data, headers: { 'x-csrf-token': csrf } });
    if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/** Chooses a unit in a UnitPicker: types part of its name and clicks the match with that code. */
export async function pickUnit(page: Page, id: string, name: string, code: string) {
  await page.getByTestId(id).fill(name);
  await page.getByTestId(`${id}-option-${code}`).click();
  await page.getByTestId(`${id}-chosen-${code}`).waitFor();
}
