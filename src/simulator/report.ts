import { SimulatedFlow, SimulationResult } from './types';

/** Longest flow name shown in the table; longer names are cut with `…` (the JSON has them whole). */
const MAX_NAME = 48;

/**
 * The readable report of one simulated outage (the CLI's default output): a headline, one table row per flow, then
 * what blocks each flow that needs a person, the timeline of each impacted flow, and the findings.
 * Deterministic: the same result always gives the same text.
 * @internal
 */
export function formatReport(result: SimulationResult): string {
  const flows = result.flows;
  const impacted = flows.filter((f) => f.impacted);
  const manual = impacted.filter((f) => f.recoveredAtSeconds === undefined);
  const lines: string[] = [];
  lines.push(`Outage of ${result.outage.region} at t = ${result.outage.startsAt} s: ${count(flows.length, 'flow')}, ${impacted.length} impacted, ${manual.length} without automatic recovery`);
  lines.push('');
  if (flows.length === 0) {
    lines.push('No traffic or data flow found in the assembly.');
  } else {
    lines.push(...table(
      ['FLOW', 'KIND', 'IMPACTED', 'FROM -> TO', 'WORST', 'TYPICAL', 'PER REQUEST'],
      flows.map((f) => [
        cut(f.name),
        f.kind,
        f.impacted ? 'yes' : 'no',
        `${f.fromRegion ?? '-'} -> ${f.toRegion ?? '-'}`,
        worst(f),
        f.impacted && f.recoveredAtSeconds !== undefined ? seconds(f.typicalSeconds ?? f.recoveredAtSeconds) : '-',
        f.perRequestPenaltySeconds !== undefined ? `+${seconds(f.perRequestPenaltySeconds)}` : '-',
      ]),
      [false, false, false, false, true, true, true],
    ));
  }
  const blocked = flows.filter((f) => f.blockedBy.length > 0);
  if (blocked.length > 0) {
    lines.push('', 'Blocked');
    for (const f of blocked) {
      lines.push(`  ${f.name} (${f.id})`);
      for (const b of f.blockedBy) lines.push(`    - ${b.resource}: ${b.reason}`);
      if (f.afterManualStepSeconds !== undefined) lines.push(`    after the manual step: recovered within ${seconds(f.afterManualStepSeconds)}`);
    }
  }
  const timelines = impacted.filter((f) => f.timeline.length > 0);
  if (timelines.length > 0) {
    lines.push('', 'Timelines (seconds since the outage)');
    for (const f of timelines) {
      lines.push(`  ${f.name} (${f.id})`);
      const width = Math.max(...f.timeline.map((e) => String(e.t).length));
      for (const e of f.timeline) {
        const tags = [e.phase, e.region ? `serving: ${e.region}` : undefined].filter((x) => x !== undefined);
        lines.push(`    ${String(e.t).padStart(width)} s  ${e.event}${tags.length ? `  [${tags.join(', ')}]` : ''}`);
      }
    }
  }
  if (result.findings.length > 0) {
    lines.push('', `Findings (${result.findings.length})`);
    const sorted = [...result.findings].sort((a, b) => rank(a.severity) - rank(b.severity));
    for (const x of sorted) lines.push(`  ${x.severity.toUpperCase().padEnd(7)}  ${x.resource}: ${x.message}`);
  }
  return lines.join('\n') + '\n';
}

/** The worst-case column: seconds, `never (needs a person)`, or `not impacted`. */
function worst(f: SimulatedFlow): string {
  if (!f.impacted) return 'not impacted';
  if (f.recoveredAtSeconds === undefined) return 'never (needs a person)';
  return seconds(f.recoveredAtSeconds);
}

/** `47 s`, or `1,830 s (30.5 min)` from two minutes on. */
export function seconds(s: number): string {
  const n = Math.round(s * 10) / 10;
  const text = `${n.toLocaleString('en-US')} s`;
  return n >= 120 ? `${text} (${Math.round((n / 60) * 10) / 10} min)` : text;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function cut(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}

function rank(severity: string): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}

/** Rows padded into columns two spaces apart; `right[i]` right-aligns column i. */
function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
