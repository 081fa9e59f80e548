/**
 * Run by agreement-heap.test.ts in a child process with a small heap:
 * `report` computes the agreement report and its coding table as the
 * command line does (streamed); `all-codings` holds every coding at once,
 * which the test expects to run out of that heap on the same corpus.
 */
import { openDatabase } from '../store/database.js';
import { agreementReport, codingTable } from './agreement.js';
import { CodingTableEncoder } from './coding-table.js';

const [mode, file] = process.argv.slice(2) as [string, string];
const db = openDatabase(file);
if (mode === 'all-codings') {
  process.stdout.write(`${codingTable(db, 'Ann', 'Ben').length} codings\n`);
} else {
  let bytes = 0;
  const encoder = new CodingTableEncoder((b) => (bytes += b.length), 'Ann', 'Ben');
  const report = agreementReport(db, 'Ann', 'Ben', undefined, { onCodes: (id, a, b, n, names) => encoder.addCodes(id, a, b, n, names) });
  encoder.flush();
  process.stdout.write(
    `${JSON.stringify({ articles: report.articles.length, tokens: report.tokens, cohen: report.overall.cohen, rows: encoder.rows, bytes })}\n`,
  );
}
db.close();
