import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVigilProcess, vigilCli, type StoreEnv, type VigilProcess } from '../support/server-process.js';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Debian's chromium (apt-get install chromium); the test never downloads a browser. */
const chromiumPath = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const screenshotPath = '/tmp/vigil-console.png';

let dataDir: string;
let store: StoreEnv;
let server: VigilProcess;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  // .ci/run builds before the integration tests; a developer running this file alone may not have.
  if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
    await execFileAsync('npm', ['run', 'build:web'], { cwd: root, timeout: 90_000 });
  }
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-console-'));
  store = { env: { VIGIL_DATA_DIR: dataDir } };
  server = await startVigilProcess(store);
  if (server.adminToken === undefined) throw new Error(`vigil serve printed no admin token:\n${server.output()}`);
  adminToken = server.adminToken;

  const { key } = JSON.parse(await vigilCli(store, ['integration', 'create', '--kind', 'generic', '--service', 'custody', '--json'])) as { key: string };
  const response = await fetch(`${server.url}/api/v1/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify([
      {
        summary: 'Hot wallet 0xabc below 10 ETH',
        severity: 'critical',
        dedup_key: 'hot-wallet-0xabc-low',
        group_key: 'hot-wallets',
        labels: { chain: 'ethereum', wallet: '0xabc' },
      },
      { summary: 'Withdrawal queue above 500', severity: 'warning', dedup_key: 'withdrawal-queue', group_key: 'withdrawals', labels: { chain: 'bitcoin' } },
    ]),
  });
  expect(response.status).toBe(200);

  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser context that may talk to the server on 127.0.0.1 and nowhere else. */
async function openConsole(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  const page = await context.newPage();
  // A Content-Security-Policy violation or a script error shows up here.
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[134]/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(server.url);
  return { context, page, problems };
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the web console in Chromium', () => {
  it('signs in with the admin token, lists the incidents, acknowledges one, adds a note and shows the audit chain ok', async () => {
    const { context, page, problems } = await openConsole();

    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    await signIn(page, 'vgl_0000000000000000');
    await page.getByRole('alert').filter({ hasText: 'This token was not accepted' }).waitFor();

    await signIn(page, adminToken);
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    const rows = page.locator('table.incidents tbody tr');
    await rows.nth(1).waitFor();
    // Newest first.
    expect(await rows.nth(0).innerText()).toContain('INC-2');
    expect(await rows.nth(0).innerText()).toContain('Withdrawal queue above 500');
    expect(await rows.nth(1).innerText()).toMatch(/INC-1\s+SEV1\s+triggered\s+custody\s+Hot wallet 0xabc below 10 ETH/);

    await page.screenshot({ path: '/tmp/vigil-console-list.png' });

    // The severity filter asks the API and keeps only SEV1.
    await page.getByLabel('Severity').selectOption('SEV1');
    await page.waitForURL(/severity=SEV1/);
    await page.locator('table.incidents tbody tr', { hasText: 'INC-2' }).waitFor({ state: 'detached' });
    await rows.filter({ hasText: 'INC-1' }).waitFor();
    expect(await rows.count()).toBe(1);
    await page.getByLabel('Severity').selectOption('');

    await page.getByRole('link', { name: 'INC-1', exact: true }).click();
    await page.waitForURL(/\/incidents\/INC-1$/);
    await page.getByRole('heading', { name: /INC-1 Hot wallet 0xabc below 10 ETH/ }).waitFor();
    const alerts = page.locator('table.alerts tbody tr');
    expect(await alerts.innerText()).toMatch(/Hot wallet 0xabc below 10 ETH\s+generic\s+firing\s+1/);
    expect(await alerts.innerText()).toContain('wallet=0xabc');

    await page.getByLabel('Reason (optional)', { exact: true }).fill('on it, checking the sweeper');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.incident-head .status-acknowledged').waitFor();
    await page.getByLabel('Note', { exact: true }).fill('Refilled the hot wallet from cold storage; 42 ETH in flight.');
    await page.getByRole('button', { name: 'Add note' }).click();

    const timeline = page.getByRole('table', { name: 'Timeline' });
    await timeline.locator('tr', { hasText: 'Refilled the hot wallet from cold storage' }).waitFor();
    const acknowledged = timeline.locator('tr.kind-incident-acknowledged');
    await acknowledged.waitFor();
    expect(await acknowledged.innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z\s+first admin \(token\)\s+incident\.acknowledged .*on it, checking the sweeper/);
    const note = timeline.locator('tr.kind-incident-note');
    expect(await note.innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z\s+first admin \(token\)\s+incident\.note /);

    const audit = page.getByTestId('audit-status');
    await audit.filter({ hasText: /Audit chain ok · \d+ records/ }).waitFor();
    await page.screenshot({ path: screenshotPath, fullPage: true });

    // A deep link survives a reload: the token stays in the tab and the server answers index.html.
    await page.reload();
    await page.getByRole('heading', { name: /INC-1 Hot wallet/ }).waitFor();
    expect(await page.locator('.incident-head .badge.status').innerText()).toBe('acknowledged');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('tells a viewer that acting needs the responder role, and disables the actions', async () => {
    const { token } = JSON.parse(await vigilCli(store, ['token', 'create', '--role', 'viewer', '--name', 'auditor', '--json'])) as { token: string };
    const { context, page } = await openConsole();
    await signIn(page, token);
    await page.getByRole('link', { name: 'INC-2', exact: true }).click();
    await page.getByRole('heading', { name: /INC-2 Withdrawal queue/ }).waitFor();

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('alert').filter({ hasText: 'FORBIDDEN: this needs the responder role; the token has viewer' }).waitFor();
    await page.getByText('Read-only: this needs the responder role').waitFor();
    expect(await page.getByRole('button', { name: 'Resolve' }).isDisabled()).toBe(true);
    await context.close();
  });
});
