/**
 * The built renderer's Content-Security-Policy, read from the files `npm run
 * build` wrote (no browser): the `<meta>` tag Electron relies on under
 * file://, the scripts it admits, and the header the HTTP host sends.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { CONTENT_SECURITY_POLICY, parseContentSecurityPolicy } from '../shared/csp.js';
import { expect, test } from './fixtures.js';

const BUILT = join('out', 'renderer');
const INDEX = join(BUILT, 'index.html');
/** Stands for the page's own origin when resolving relative URLs (file:// has no usable origin). */
const BASE = 'https://claimdesk.invalid/index.html';

function builtIndex(): Document {
  if (!existsSync(INDEX)) throw new Error(`${INDEX} is missing: run \`npm run build\` first`);
  return new JSDOM(readFileSync(INDEX, 'utf8')).window.document;
}

function metaPolicies(doc: Document): string[] {
  return [...doc.querySelectorAll('meta[http-equiv]')]
    .filter((m) => m.getAttribute('http-equiv')?.toLowerCase() === 'content-security-policy')
    .map((m) => m.getAttribute('content') ?? '');
}

/** Asserts the strict policy: default-src 'none' and each directive exactly what the app needs. */
function expectStrict(policy: string, { frameAncestors }: { frameAncestors: boolean }): void {
  const d = parseContentSecurityPolicy(policy);
  expect(d.get('default-src')).toEqual(["'none'"]);
  expect(d.get('script-src')).toEqual(["'self'"]);
  expect(d.get('style-src')).toEqual(["'self'"]);
  expect(["'self'", "'self' data:"]).toContain(d.get('img-src')?.join(' '));
  expect(d.get('font-src')).toEqual(["'self'"]);
  expect(d.get('connect-src')).toEqual(["'self'"]);
  expect(d.get('base-uri')).toEqual(["'none'"]);
  expect(d.get('form-action')).toEqual(["'none'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  // A <meta> policy cannot carry frame-ancestors (browsers ignore it there); the header must.
  if (frameAncestors) expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  else expect(d.has('frame-ancestors')).toBe(false);
  // Directives that would widen what default-src 'none' refuses.
  for (const name of [
    'script-src-elem',
    'script-src-attr',
    'style-src-elem',
    'style-src-attr',
    'worker-src',
    'child-src',
    'frame-src',
    'manifest-src',
    'media-src',
    'prefetch-src',
  ]) {
    expect(d.has(name), `${name} is not set`).toBe(false);
  }
  const sources = [...d.values()].flat();
  for (const s of sources) {
    expect(s.toLowerCase(), 'no unsafe-* keyword, nonce, hash or strict-dynamic').not.toMatch(
      /^'(unsafe-|wasm-unsafe|nonce-|sha(256|384|512)-|strict-dynamic)/,
    );
    // Only keywords and data: (for images); never a host, a scheme of the network or a wildcard.
    expect(["'self'", "'none'", 'data:'], `source ${s}`).toContain(s);
  }
}

test('the built index.html has one strict CSP meta tag, ahead of everything it governs', () => {
  const doc = builtIndex();
  const policies = metaPolicies(doc);
  expect(policies).toHaveLength(1);
  expectStrict(policies[0] ?? '', { frameAncestors: false });
  // The tag only governs what comes after it, so nothing loadable may precede it.
  const meta = doc.querySelector('meta[http-equiv]');
  expect(meta?.parentElement?.tagName).toBe('HEAD');
  const following = doc.defaultView?.Node.DOCUMENT_POSITION_FOLLOWING ?? 4;
  for (const el of doc.querySelectorAll('script, link, style, base, img, iframe, object, embed')) {
    expect((meta?.compareDocumentPosition(el) ?? 0) & following, `<${el.tagName.toLowerCase()}> comes after the CSP tag`).toBe(following);
  }
});

test('the meta tag is the shared policy, and the HTTP header adds only frame-ancestors', () => {
  const meta = parseContentSecurityPolicy(metaPolicies(builtIndex())[0] ?? '');
  const header = parseContentSecurityPolicy(CONTENT_SECURITY_POLICY);
  expectStrict(CONTENT_SECURITY_POLICY, { frameAncestors: true });
  header.delete('frame-ancestors');
  expect(Object.fromEntries(meta)).toEqual(Object.fromEntries(header));
});

test('every script in the built index.html is an external file of the app, and no markup carries inline code or style', () => {
  const doc = builtIndex();
  const scripts = [...doc.querySelectorAll('script')];
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) {
    const src = s.getAttribute('src');
    expect(src, 'a script without src is inline').not.toBeNull();
    expect(s.textContent?.trim(), 'an external script has no inline body').toBe('');
    const url = new URL(src ?? '', BASE);
    expect(url.origin, `${src} is same-origin`).toBe(new URL(BASE).origin);
    expect(src, 'a relative path, no scheme or host of its own').toMatch(/^\.?\/?[\w./-]+$/);
    expect(existsSync(join(BUILT, decodeURIComponent(url.pathname))), `${src} exists in ${BUILT}`).toBe(true);
  }
  for (const link of doc.querySelectorAll('link[href]')) {
    const href = link.getAttribute('href') ?? '';
    expect(new URL(href, BASE).origin, `${href} is same-origin`).toBe(new URL(BASE).origin);
  }
  expect(doc.querySelectorAll('style, base, iframe, object, embed, [style]')).toHaveLength(0);
  for (const el of doc.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames())
      expect(attr.startsWith('on'), `inline handler ${attr} on <${el.tagName.toLowerCase()}>`).toBe(false);
  }
});

test('the HTTP host sends the same policy as a header with the page and its assets', async ({ host }) => {
  const page = await fetch(host.url);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  const served = new JSDOM(await page.text()).window.document;
  expect(metaPolicies(served)).toEqual(metaPolicies(builtIndex()));

  const script = served.querySelector('script[src]')?.getAttribute('src') ?? '';
  const asset = await fetch(new URL(script, host.url), { headers: { 'X-Claimdesk-Token': host.token } });
  expect(asset.status).toBe(200);
  expect(asset.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
});
