// duckdb.mjs — runs assess.duckdb.sql with DuckDB's Node.js package
// (@duckdb/node-api, installed into bench/node_modules by bench/run).
//
//   node duckdb.mjs FILE YYYYQn INCOME_LINE [AGE_MIN AGE_MAX]
//
// Prints one line per assessment, "name count", like the other competitors.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [file, quarter, line, ageMin = '6', ageMax = '15'] = process.argv.slice(2);
const q = /^(\d{4})[Qq]([1-4])$/.exec(quarter || '');
if (!file || !q || !/^\d+(\.\d{1,2})?$/.test(line || '') ||
    !/^\d+$/.test(ageMin) || !/^\d+$/.test(ageMax)) {
  console.error('usage: node duckdb.mjs FILE YYYYQn INCOME_LINE [AGE_MIN AGE_MAX]');
  process.exit(2);
}
const [ay, qn] = [Number(q[1]), Number(q[2])];
const am = [3, 6, 9, 12][qn - 1], ad = [31, 30, 30, 31][qn - 1];
const [whole, frac = ''] = line.split('.');
const lineCents = `${whole}${frac.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
const sqlString = (s) => `'${s.replace(/'/g, "''")}'`;

const sql = readFileSync(join(here, 'assess.duckdb.sql'), 'utf8').replaceAll('{{CSV}}', sqlString(file));
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE TEMP TABLE params AS SELECT ${ay} AS ay, ${am} AS am, ${ad} AS ad,
               ${lineCents}::BIGINT AS line_cents, ${ageMin} AS age_min, ${ageMax} AS age_max`);
// the SQL file: macros first, then the one query (the last statement)
const statements = sql.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s.replace(/--.*$/gm, '').trim());
for (const s of statements.slice(0, -1)) await con.run(s);
const reader = await con.runAndReadAll(statements[statements.length - 1]);
const counts = Object.fromEntries(reader.getRowObjects().map((r) => [r.assessment, Number(r.households)]));
for (const a of ['can_exit', 'remains_poor', 'exit_confirmed', 'wrongly_exited', 'missed', 'unverified', 'not_poor']) {
  console.log(`${a} ${counts[a] ?? 0}`);
  delete counts[a];
}
for (const [a, n] of Object.entries(counts)) console.log(`${a} ${n}`);
