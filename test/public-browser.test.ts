/**
 * The public page in a real browser: Playwright (playwright-core) driving Debian's Chromium, headless.
 * Screenshots go to screenshots/ (git-ignored) for people to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { createTestDb } from './support/db.js';
import { startPublicHarness, type PublicHarness } from './support/public-harness.js';
import { saveKfLink } from '../db/kf/residents.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve('screenshots');
const KF_URL = 'https://work.weixin.qq.com/kf/kfcTEST123?enc_scene=ENCdmlsbGFnZV9xcg&scene_param=v%3D140802002201';
const BASE = 'https://bot.example.gov.cn';
// jsqr is CommonJS with a `default` export in its types: take whichever the loader hands us.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

let db: Awaited<ReturnType<typeof createTestDb>>;
let h: PublicHarness;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  db = await createTestDb();
  h = await startPublicHarness(db.db, { publicBaseUrl: BASE });
  await saveKfLink(db.db, '140802002201', 'wkTEST', 'village_qr', KF_URL);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await db?.close();
});

/** Decodes the QR code in a PNG screenshot. */
function decodeQr(png: Buffer): string | undefined {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data;
}

describe('public page in Chromium', () => {
  it('typing a question with a typo shows the right answer instantly (JS), phone-sized', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${h.url}/zhengming?village=140802002201`);
    await page.locator('#q').pressSequentially('居柱证明', { delay: 60 });
    const answer = page.locator('#out .res');
    await answer.waitFor({ timeout: 5_000 });
    await expect.poll(() => answer.textContent()).toContain('居住情况证明');
    expect(await answer.textContent()).toContain('可以在村（社区）开');
    expect(await page.locator('#out #i-C07').getAttribute('open')).not.toBeNull();
    expect(page.url()).toBe(`${h.url}/zhengming?village=140802002201`); // no page load: answered as you type
    await page.screenshot({ path: path.join(SHOTS, 'zhengming-typo.png'), fullPage: false });
    expect(errors).toEqual([]); // includes CSP violations: the inline script runs by hash
    await page.close();
  });

  it('opening a banned certificate shows where to go instead', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${h.url}/zhengming?village=140802002201`);
    const item = page.locator('details#i-N05');
    await expect.poll(() => item.locator('dd').first().isVisible()).toBe(false);
    await item.locator('summary').click();
    const where = item.locator('dd').first();
    await expect.poll(() => where.isVisible()).toBe(true);
    expect(await item.locator('dt').first().textContent()).toBe('去哪办');
    expect(await where.textContent()).toContain('公安派出所');
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'zhengming-banned-open.png') });
    await page.close();
  });

  it('without JavaScript the form submit answers on the server', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(`${h.url}/zhengming?village=140802002201`);
    await page.locator('#q').fill('无犯罪证明');
    await Promise.all([page.waitForURL(/q=/), page.locator('button[type=submit]').click()]);
    expect(await page.locator('#out .res').textContent()).toContain('村（社区）不开');
    await page.screenshot({ path: path.join(SHOTS, 'zhengming-nojs.png') });
    await ctx.close();
  });

  it('the poster renders on A4 with both QR codes decodable', async () => {
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 }, deviceScaleFactor: 2 });
    await page.goto(`${h.url}/zhengming/poster?village=140802002201`);
    expect(await page.locator('h1').textContent()).toBe('北郊村');
    await page.screenshot({ path: path.join(SHOTS, 'poster-140802002201.png'), fullPage: true });
    const pageQr = decodeQr(await page.locator('#qr-page svg').screenshot());
    const kfQr = decodeQr(await page.locator('#qr-kf svg').screenshot());
    expect(pageQr).toBe(`${BASE}/zhengming?village=140802002201`);
    expect(kfQr).toBe(KF_URL);
    // Printed, it stays on one A4 page.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(path.join(SHOTS, 'poster-140802002201.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(1);
    await page.close();
  });
});
