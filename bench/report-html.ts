/**
 * npm run bench:report [-- results.json]
 * Regenerates the bench's HTML page (charts and tables) from a results file, by default
 * bench/results/latest.json; writes it beside the file (latest.json → report.html, smoke.json → smoke.html).
 */
import { join } from 'node:path';
import { writeHtmlReport } from './lib/report-html';

const file = process.argv[2] ?? join(__dirname, 'results/latest.json');
console.log(`bench page written to ${writeHtmlReport(file)}`);
