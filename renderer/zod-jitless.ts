/**
 * Zod compiles fast parsers with `new Function` when it may, and finds out by
 * trying: under the renderer's CSP (no 'unsafe-eval') that try is a reported
 * CSP violation. Imported first by main.tsx, so zod never tries.
 */
import { z } from 'zod';

z.config({ jitless: true });
