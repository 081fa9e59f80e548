/** `npm run bench:readme`: writes bench/README.md again from bench/results.json (after editing bench/report.ts, say). */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseResults, renderReadme } from './report.js';

writeFileSync('bench/README.md', renderReadme(parseResults(readFileSync('bench/results.json', 'utf8'))));
