// Turns measurements into the results table (stdout) and BENCHMARKS.md.
import fs from 'node:fs';
import { ms, summarize } from './stats.mjs';

// Issue #13: throughput as a share of the same run's one-INSERT ceiling (bench/ceiling.mjs).
export const TARGETS = {
  leadsP95Ms: { pg: 25 },
  overheadRatio: 1.5,
  missedRatio: 0.3,
  duplicateRatio: 0.6,
  textBackP95Ms: 1000,
  rssMb: 250,
};

const DB_LABEL = { pg: 'PostgreSQL', pglite: 'PGlite' };

function latencyOf(latencies) {
  const { p50, p95, mean } = summarize(latencies);
  return { p50, p95, mean };
}

/** Rows of the results table for one database's measurements. */
export function rowsFor(kind, m) {
  const rows = [];
  const db = DB_LABEL[kind];
  const latencyRow = (benchmark, summary, target, extra = {}) => {
    if (!summary) return rows.push({ db, benchmark, measured: extra.missing ?? 'not measured', target: target ? `p95 ≤ ${target} ms` : '—', verdict: 'N/A' });
    const verdict = target === undefined ? 'info' : summary.p95 <= target ? 'PASS' : 'MISS';
    rows.push({
      db,
      benchmark,
      n: summary.n,
      p50: summary.p50,
      p95: summary.p95,
      mean: summary.mean,
      bg: summary.bg,
      cpu: summary,
      measured: `p95 ${ms(summary.p95)}`,
      target: target ? `p95 ≤ ${target} ms` : '—',
      verdict,
    });
  };
  const ratioRow = (benchmark, graphql, direct, target) => {
    if (!graphql || !direct) return rows.push({ db, benchmark, measured: 'not measured', target: target ? `≤ ${target}×` : '—', verdict: 'N/A' });
    const p50 = graphql.p50 / direct.p50;
    const p95 = graphql.p95 / direct.p95;
    rows.push({
      db,
      benchmark,
      bg: Math.max(graphql.bg, direct.bg),
      measured: `${p50.toFixed(2)}× at p50 (${p95.toFixed(2)}× at p95)`,
      target: target ? `≤ ${target}× at p50` : '—',
      verdict: target === undefined ? 'info' : p50 <= target ? 'PASS' : 'MISS',
    });
  };

  latencyRow('leads(first:50) via GraphQL', m.leadsGraphql, TARGETS.leadsP95Ms[kind], { missing: m.leadsMissing });
  latencyRow('leads(first:50) direct Prisma', m.leadsDirect);
  ratioRow('leads GraphQL overhead', m.leadsGraphql, m.leadsDirect, TARGETS.overheadRatio);
  latencyRow('auditEntries(first:100) via GraphQL', m.auditGraphql, undefined, { missing: m.auditMissing });
  latencyRow('auditEntries(first:100) direct Prisma', m.auditDirect);
  ratioRow('auditEntries GraphQL overhead', m.auditGraphql, m.auditDirect);

  const w = m.webhooks;
  if (!w?.available) {
    const reason = w?.reason ?? 'not run';
    rows.push({ db, benchmark: 'missed-call deliveries', measured: reason, target: `≥ ${TARGETS.missedRatio}× baseline`, verdict: 'N/A' });
    rows.push({ db, benchmark: 'duplicate deliveries', measured: reason, target: `≥ ${TARGETS.duplicateRatio}× baseline`, verdict: 'N/A' });
    rows.push({ db, benchmark: 'text-back after delivery', measured: reason, target: `p95 ≤ ${TARGETS.textBackP95Ms} ms`, verdict: 'N/A' });
    return rows;
  }
  const ceiling = w.ceiling;
  const rate = (run) => run.completed / (run.elapsedMs / 1000);
  // The one-INSERT route runs before the product and again after it: the ratios are read
  // against the faster run, so a slow spell during either cannot make the product look better.
  const baselineRuns = [ceiling?.oneInsert, ceiling?.oneInsertAgain].filter(Boolean);
  const baselineRun = baselineRuns.reduce((best, run) => (best && rate(best) >= rate(run) ? best : run), null);
  const baseline = baselineRun ? rate(baselineRun) : null;
  const plainRow = (benchmark, run) => {
    if (!run) return;
    const perSecond = rate(run);
    const errors = run.failures > 0 || Object.keys(run.statuses).some((status) => status !== '200') ? ` (${JSON.stringify(run.statuses)})` : '';
    rows.push({
      db,
      benchmark,
      n: run.completed,
      ...latencyOf(run.latencies),
      bg: run.bg,
      cpu: run,
      measured: `${Math.round(perSecond).toLocaleString('en-US')}/s${errors}`,
      target: '—',
      verdict: 'info',
    });
  };
  plainRow('ceiling: Express form route, no database (c=32)', ceiling?.formOnly);
  const marked = (run, label) => `${label}${run === baselineRun ? ' = baseline' : ''}`;
  plainRow(marked(ceiling?.oneInsert, 'ceiling: same + one INSERT … ON CONFLICT DO NOTHING (c=32)'), ceiling?.oneInsert);
  plainRow(marked(ceiling?.oneInsertAgain, 'ceiling: the one-INSERT route again, after the product runs (c=32)'), ceiling?.oneInsertAgain);
  const floorRow = (benchmark, run, reach) => {
    if (!run || !baseline) return;
    plainRow(benchmark, run);
    rows.at(-1).measured += ` = ${(rate(run) / baseline).toFixed(2)}× baseline (${reach})`;
  };
  floorRow("floor: same + a missed call's rows in one plain statement (c=32)", ceiling?.missedCallRows, 'the most a missed call could reach here');
  floorRow(
    'floor through an outbox: same rows, the text claimed, its send recorded after the response (c=32)',
    ceiling?.missedCallOutbox,
    'the most a missed call that texts could reach here',
  );
  const throughputRow = (benchmark, run, ratioTarget) => {
    const errors = run.non200 > 0 ? ` (${run.non200} non-200)` : '';
    const ratio = baseline ? run.perSecond / baseline : null;
    rows.push({
      db,
      benchmark,
      n: run.completed,
      p50: run.latency.p50,
      p95: run.latency.p95,
      mean: run.latency.mean,
      bg: run.bg,
      cpu: run,
      // On a loaded box throughput follows the CPU share the run got; the ratio of main-thread CPU per delivery
      // (baseline / product) is what the throughput ratio would be if that thread were the only limit.
      measured: `${Math.round(run.perSecond).toLocaleString('en-US')}/s = ${ratio === null ? '?' : ratio.toFixed(2)}× baseline${errors}${
        baselineRun && Number.isFinite(run.mainCpuMs) && run.mainCpuMs > 0
          ? `; Node CPU per delivery ${(baselineRun.mainCpuMs / run.mainCpuMs).toFixed(2)}× baseline's`
          : ''
      }`,
      target: `≥ ${ratioTarget.toFixed(2)}× (${baseline ? `≥ ${Math.round(baseline * ratioTarget).toLocaleString('en-US')}/s` : 'no baseline'})`,
      verdict: run.non200 > 0 || ratio === null ? 'MISS' : ratio >= ratioTarget ? 'PASS' : 'MISS',
    });
  };
  throughputRow('missed-call deliveries (c=32)', w.missed, TARGETS.missedRatio);
  throughputRow('duplicate deliveries (c=32)', w.duplicates, TARGETS.duplicateRatio);
  const textBackRow = (benchmark, t, target) => {
    const unsent = t.expected - t.sent;
    rows.push({
      db,
      benchmark,
      n: t.sent,
      p50: t.latency.p50,
      p95: t.latency.p95,
      mean: t.latency.mean,
      bg: t.bg,
      measured: `p95 ${ms(t.latency.p95, 0)}${unsent ? ` (${unsent} of ${t.expected} not sent)` : ''}`,
      target: target ? `p95 ≤ ${target} ms` : '—',
      verdict: target === undefined ? 'info' : unsent === 0 && t.latency.p95 <= target ? 'PASS' : 'MISS',
    });
  };
  textBackRow('text-back after delivery, during the c=32 burst', w.textBackBurst, TARGETS.textBackP95Ms);
  textBackRow('text-back after delivery (20 calls/s)', w.textBackPaced);
  if (w.memory) {
    const { rssMb, heapUsedMb, externalMb, pgliteHeapMb } = w.memory;
    rows.push({
      db,
      benchmark: kind === 'pglite' ? 'benchmark process RSS after the burst (server + in-memory PGlite)' : 'server process RSS after the burst',
      measured: `${rssMb.toFixed(0)} MB (V8 heap ${heapUsedMb.toFixed(0)} MB, external ${externalMb.toFixed(0)} MB${pgliteHeapMb ? `, PGlite WASM memory ${pgliteHeapMb.toFixed(0)} MB` : ''})`,
      target: '—',
      verdict: 'info',
    });
  }
  if (w.ownProcess) {
    const own = w.ownProcess;
    rows.push({
      db,
      benchmark: 'server process RSS after the burst (`callsnare serve` on an on-disk data dir)',
      measured: own.unavailable
        ? `not measured: ${own.unavailable}`
        : `${own.rssMb.toFixed(0)} MB (peak ${own.peakRssMb.toFixed(0)} MB, ${own.idleRssMb.toFixed(0)} MB before; ${own.deliveries} deliveries at ${Math.round(own.perSecond)}/s${own.non200 ? `, ${own.non200} not 200` : ''}; data dir ${own.dataDirMb.toFixed(0)} MB)`,
      target: `≤ ${TARGETS.rssMb} MB`,
      verdict: own.unavailable ? 'N/A' : own.non200 === 0 && own.rssMb <= TARGETS.rssMb ? 'PASS' : 'MISS',
    });
  }
  return rows;
}

const HEADER = ['Database', 'Benchmark', 'n', 'p50', 'p95', 'mean', 'Measured', 'Target', 'Verdict', 'CPU per request', 'Other load'];

/** Server main thread + the benchmark's PostgreSQL backends, per request (Linux only). */
function cpuCell(cpu) {
  if (!cpu || !Number.isFinite(cpu.mainCpuMs)) return '';
  const node = `node ${cpu.mainCpuMs.toFixed(1)} ms`;
  return cpu.pgCpuMs > 0 ? `${node} + pg ${cpu.pgCpuMs.toFixed(1)} ms` : node;
}

function cells(row) {
  const time = (value) => (value === undefined ? '' : Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
  return [
    row.db,
    row.benchmark,
    row.n === undefined ? '' : String(row.n),
    time(row.p50),
    time(row.p95),
    time(row.mean),
    row.measured,
    row.target,
    row.verdict,
    cpuCell(row.cpu),
    // Cores used by other processes meanwhile (the box is shared): a sign to re-run when high.
    row.bg === undefined || !Number.isFinite(row.bg) ? '' : `${row.bg.toFixed(2)} cores`,
  ];
}

export function markdownTable(rows) {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, i) => (i >= 2 && i <= 5 ? '---:' : '---')).join('|')}|`];
  for (const row of rows) {
    const values = cells(row);
    if (row.verdict === 'PASS' || row.verdict === 'MISS') values[8] = `**${row.verdict}**`;
    lines.push(`| ${values.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Plain-text table for the terminal. */
export function textTable(rows) {
  const data = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...data.map((row) => row[i].length)));
  const line = (values) =>
    values
      .map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...data.map(line)].join('\n');
}

const BEGIN = '<!-- bench:begin (generated by npm run bench -- --write; edits between these markers are overwritten) -->';
const END = '<!-- bench:end -->';

/**
 * Writes the generated section of BENCHMARKS.md; text outside the markers (findings,
 * analysis) is kept as it is.
 */
export function writeBenchmarksFile(file, generated) {
  const section = `${BEGIN}\n${generated.trim()}\n${END}`;
  let text;
  if (fs.existsSync(file)) {
    const current = fs.readFileSync(file, 'utf8');
    const begin = current.indexOf('<!-- bench:begin');
    const end = current.indexOf(END);
    text = begin >= 0 && end > begin ? `${current.slice(0, begin)}${section}${current.slice(end + END.length)}` : `${current.trimEnd()}\n\n${section}\n`;
  } else {
    text = `# Benchmarks\n\nMeasured by \`npm run bench\` (scripts/bench.mjs, bench/). Not tests: nothing here is asserted in \`npm test\`.\n\n${section}\n`;
  }
  fs.writeFileSync(file, text);
}
