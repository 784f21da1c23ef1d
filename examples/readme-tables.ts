/**
 * The README's generated sections: recovery figures of the example app's constructs (computed by the code, never
 * typed by hand) and the cdk-nag suppressions its templates carry, grouped by rule and reason.
 *
 * `npx projen docs:readme` rewrites them; `test/docs/readme-tables.test.ts` fails when the README drifts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { buildApp, estimatedConstructs } from './app';
import { RecoveryBasis, RecoveryEstimate, RecoveryModel, RecoveryTerm } from '../src';

/** One generated README section, between `<!-- BEGIN <name> -->` and `<!-- END <name> -->`. */
export interface GeneratedSection {
  readonly name: string;
  readonly body: string;
}

const fmt = (d?: Duration) => (d === undefined ? '-' : RecoveryModel.format(d));

function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function rpoCell(e: RecoveryEstimate): string {
  return e.rpoBounded ? `${fmt(e.rpo)} (bounded)` : `unbounded (typical ${fmt(e.typicalRpo)})`;
}

function termRow(t: RecoveryTerm): string {
  const typical = t.typical ?? t.duration;
  const basis = t.basis === RecoveryBasis.ASSUMPTION ? 'assumption' : 'AWS documented';
  const source = t.source ? (t.source.startsWith('https://') ? `[AWS doc](${t.source})` : t.source) : '';
  return row([t.label, fmt(t.duration), fmt(typical), basis, source, t.setting ?? '']);
}

/** The recovery figures of every construct of the example app, with every term and its basis. */
export function recoverySection(app: App): GeneratedSection {
  const constructs = estimatedConstructs(app);
  const lines: string[] = [
    row(['construct', 'RTO budget (worst case)', 'RTO typical', 'RPO', 'per-request failover penalty (budget / typical)']),
    row(['---', '---', '---', '---', '---']),
    ...constructs.map(({ type, recoveryEstimate: e }) => row([
      `\`${type}\``, e.rtoBounded ? fmt(e.rto) : `unbounded (${e.noAutomaticRecovery})`, e.rtoBounded ? fmt(e.typicalRto) : '-', rpoCell(e),
      e.perRequestPenalty ? `${fmt(e.perRequestPenalty)} / ${fmt(e.typicalPerRequestPenalty)}` : '-',
    ])),
  ];
  for (const { type, recoveryEstimate: e } of constructs) {
    lines.push('', `**\`${type}\`** — ${e.summary}. RPO: ${e.rpoMechanism}.`, '');
    lines.push(row(['term', 'budget', 'typical', 'basis', 'source', 'setting']), row(['---', '---', '---', '---', '---', '---']));
    for (const t of [...e.detectionTerms, ...e.propagationTerms]) {
      lines.push(termRow(t));
    }
    for (const t of e.perRequestTerms) {
      lines.push(termRow({ ...t, label: `per request: ${t.label}` }));
    }
  }
  return { name: 'recovery-figures', body: lines.join('\n') };
}

interface Suppression {
  readonly id: string;
  readonly reason: string;
  readonly resource: string;
  readonly appliesTo?: unknown[];
}

/** Every cdk-nag suppression in the cloud assembly at `outdir`, with the construct path it applies to. */
export function nagSuppressions(outdir: string): Suppression[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const out: Suppression[] = [];
  for (const [stackId, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
    const entries: Array<[string, any]> = [
      [`${stackId} (stack)`, template.Metadata],
      ...Object.entries<any>(template.Resources ?? {}).map(([logicalId, r]): [string, any] => [`${stackId}/${logicalId}`, r.Metadata]),
    ];
    for (const [resource, metadata] of entries) {
      for (const rule of metadata?.cdk_nag?.rules_to_suppress ?? []) {
        const reason = rule.is_reason_encoded ? Buffer.from(rule.reason, 'base64').toString() : rule.reason;
        out.push({ id: rule.id, reason, resource, appliesTo: rule.applies_to });
      }
    }
  }
  return out;
}

/** The cdk-nag suppressions of the example app, grouped by rule and reason. */
export function nagSection(outdir: string): GeneratedSection {
  const all = nagSuppressions(outdir);
  const groups = new Map<string, Suppression[]>();
  for (const s of all) {
    const key = `${s.id}\u0000${s.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const sorted = [...groups.values()].sort((a, b) => a[0].id.localeCompare(b[0].id) || b.length - a.length || a[0].reason.localeCompare(b[0].reason));
  const lines = [
    `${all.length} suppressions across ${new Set(all.map((s) => s.resource.split('/')[0])).size} stacks of the example app, each on one resource and one rule (98 before the security review):`,
    '',
    row(['rule', 'count', 'why the resource is safe', 'resources (stack/logical id)']),
    row(['---', '---', '---', '---']),
    ...sorted.map((g) => {
      const resources = [...new Set(g.map((s) => s.resource))];
      const shown = resources.slice(0, 3).map((r) => `\`${r}\``).join(', ') + (resources.length > 3 ? `, … (${resources.length})` : '');
      return row([g[0].id, String(g.length), g[0].reason, shown]);
    }),
  ];
  return { name: 'nag-suppressions', body: lines.join('\n') };
}

/** Replaces each generated section of `readme`; throws when a marker is missing. */
export function renderReadme(readme: string, sections: GeneratedSection[]): string {
  let out = readme;
  for (const s of sections) {
    const begin = `<!-- BEGIN ${s.name} (generated by \`npx projen docs:readme\`, do not edit) -->`;
    const end = `<!-- END ${s.name} -->`;
    const i = out.indexOf(begin);
    const j = out.indexOf(end);
    if (i < 0 || j < i) {
      throw new Error(`README.md has no section ${s.name}: add the lines\n${begin}\n${end}`);
    }
    out = `${out.slice(0, i + begin.length)}\n${s.body}\n${out.slice(j)}`;
  }
  return out;
}

/** Builds and synthesizes the example app into a temporary directory and returns the generated sections. */
export function generatedSections(): GeneratedSection[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-tables-'));
  try {
    const app = buildApp(outdir);
    app.synth();
    return [recoverySection(app), nagSection(outdir)];
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'README.md');
  const readme = fs.readFileSync(file, 'utf8');
  const next = renderReadme(readme, generatedSections());
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md generated sections are stale: run `npx projen docs:readme`');
      process.exit(1);
    }
    console.log('README.md generated sections are current');
  } else {
    fs.writeFileSync(file, next);
    console.log(next === readme ? 'README.md unchanged' : 'README.md generated sections rewritten');
  }
}
