import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  developmentContentSecurityPolicy,
  META_CONTENT_SECURITY_POLICY,
  parseContentSecurityPolicy,
} from './csp.js';

const STRICT = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

describe('the Content-Security-Policy', () => {
  it('is default-src none plus only what the app loads', () => {
    expect(Object.fromEntries(parseContentSecurityPolicy(CONTENT_SECURITY_POLICY))).toEqual(STRICT);
  });

  it('is the same in the meta tag, less frame-ancestors (ignored there)', () => {
    const { 'frame-ancestors': _, ...rest } = STRICT;
    expect(Object.fromEntries(parseContentSecurityPolicy(META_CONTENT_SECURITY_POLICY))).toEqual(rest);
  });

  it('relaxes only scripts, styles and the hot-reload socket for the dev server', () => {
    const dev = Object.fromEntries(parseContentSecurityPolicy(developmentContentSecurityPolicy('http://localhost:5173/')));
    expect(dev).toEqual({
      ...STRICT,
      'script-src': ["'self'", "'unsafe-inline'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'connect-src': ["'self'", 'ws://localhost:5173'],
    });
    expect(parseContentSecurityPolicy(developmentContentSecurityPolicy('https://127.0.0.1:5173')).get('connect-src')).toEqual([
      "'self'",
      'wss://127.0.0.1:5173',
    ]);
  });
});

describe('parseContentSecurityPolicy', () => {
  it('reads directives as a browser does: case-insensitive names, first occurrence wins, empty parts skipped', () => {
    const p = parseContentSecurityPolicy(" Script-Src 'self'  https://a.example ;; script-src *; img-src\t'none';");
    expect([...p.entries()]).toEqual([
      ['script-src', ["'self'", 'https://a.example']],
      ['img-src', ["'none'"]],
    ]);
  });
});
