import { SimulatedFlow, SimulationResult } from './types';

/** Phases during which the flow is not served, and their colours. */
const DOWN_PHASES: { [phase: string]: string } = {
  failing: '#cf222e',
  detection: '#bc4c00',
  propagation: '#d4a72c',
  promotion: '#8250df',
};
/** Phases that start serving again. */
const UP_PHASES = new Set(['serving', 'recovered']);
/** Colours of serving regions, given in sorted region order (none of them is a phase colour). */
const REGION_COLOURS = ['#0969da', '#1a7f37', '#1b7c83', '#54aeff', '#4ac26b', '#0550ae', '#116329', '#6e7781'];
const GLOBAL_COLOUR = '#57606a';
const UNKNOWN_COLOUR = '#afb8c1';
/** The recovered marker: dark, so it shows on every region colour. */
const RECOVERED_COLOUR = '#1f2328';

const WIDTH = 1100;
const PLOT_X0 = 380;
const PLOT_X1 = 1070;
const TOP = 78;
const LANE = 42;
const BAR = 18;
const LABEL_CHARS = 52;
const LEGEND_COLUMNS = 6;
const STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 14400, 43200, 86400];

/** One stretch of a lane: served by a region, or down in a phase. @internal */
export interface LaneSegment {
  readonly from: number;
  readonly to: number;
  /** `serving`, or the down phase (`failing`, `detection`, `propagation`, `promotion`). */
  readonly state: string;
  /** Serving region (state `serving`). */
  readonly region?: string;
}

/**
 * The timeline picture of one simulated outage: one lane per flow, coloured by serving region, by failing, and by the
 * detection, propagation and promotion phases (from `SimulatedEvent.phase` and `.region`), a marker where the flow
 * is recovered (worst case; typical dashed), a time axis in seconds and a legend. Deterministic, self-contained SVG
 * (no scripts, fonts, images or links).
 * @internal
 */
export function renderSvg(result: SimulationResult): string {
  const flows = result.flows;
  const end = domainEnd(flows);
  const regions = regionColours(flows);
  const x = (t: number) => r1(PLOT_X0 + (Math.min(Math.max(t, 0), end) / end) * (PLOT_X1 - PLOT_X0));
  const lanesBottom = TOP + Math.max(flows.length, 1) * LANE;
  const legend = legendItems(regions, flows.some((f) => laneSegments(f, end).some((s) => s.state === 'serving' && !(s.region && regions.has(s.region)))));
  const legendRows = Math.ceil(legend.length / LEGEND_COLUMNS);
  const height = lanesBottom + 48 + legendRows * 22 + 12;
  const impacted = flows.filter((f) => f.impacted).length;
  const title = `Outage of ${result.outage.region}: ${flows.length} flow${flows.length === 1 ? '' : 's'}, ${impacted} impacted`;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title desc">`);
  out.push(`  <title id="title">${esc(title)}</title>`);
  out.push(`  <desc id="desc">${esc(describe(result))}</desc>`);
  out.push('  <style>');
  out.push('    text { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 12px; fill: #1f2328; }');
  out.push('    .title { font-size: 16px; font-weight: 600; } .small { font-size: 11px; fill: #57606a; } .fail { fill: #cf222e; } .ok { fill: #1a7f37; }');
  out.push('    .grid { stroke: #d0d7de; stroke-width: 1; } .axis { stroke: #57606a; stroke-width: 1; } .phase { font-size: 10px; fill: #ffffff; }');
  out.push('  </style>');
  out.push(`  <rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  out.push(`  <text class="title" x="16" y="26">${esc(title)}</text>`);
  out.push('  <text class="small" x="16" y="46">One lane per flow; seconds since the outage. Worst case under the stated assumptions; the dashed marker is the typical figure.</text>');
  out.push(...axis(end, x, lanesBottom));
  if (flows.length === 0) {
    out.push(`  <text x="${PLOT_X0}" y="${TOP + LANE / 2 + 4}">No traffic or data flow found in the assembly.</text>`);
  }
  flows.forEach((flow, i) => out.push(...lane(flow, i, TOP + i * LANE, end, x, regions)));
  out.push(`  <line x1="${x(0)}" y1="${TOP - 8}" x2="${x(0)}" y2="${lanesBottom}" stroke="#cf222e" stroke-width="2" stroke-dasharray="4 3"/>`);
  out.push(`  <text class="small fail" x="${x(0) + 4}" y="${TOP - 12}">${esc(result.outage.region)} fails (t = ${result.outage.startsAt} s)</text>`);
  out.push(...legendSvg(legend, lanesBottom + 48));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * The lane of one flow as segments from 0 to `end`. An impacted flow starts `failing`; each event with a phase
 * starts that phase (with `region`, the serving region from then on); `recoveredAtSeconds` switches to serving
 * `toRegion` if the timeline has not already. A flow not impacted is served by `fromRegion` throughout.
 * @internal
 */
export function laneSegments(flow: SimulatedFlow, end: number): LaneSegment[] {
  if (!flow.impacted) return [{ from: 0, to: end, state: 'serving', region: flow.fromRegion }];
  const changes: { t: number; state: string; region?: string }[] = [{ t: 0, state: 'failing' }];
  let region: string | undefined = flow.fromRegion;
  let state = 'failing';
  let served = false;
  // The worst-case recovery switches the lane to `toRegion` unless an event made it serving already.
  const recoverBefore = (t: number) => {
    const at = flow.recoveredAtSeconds;
    if (at === undefined || served || state === 'serving' || t <= at) return;
    region = flow.toRegion ?? region;
    state = 'serving';
    served = true;
    changes.push({ t: Math.max(at, changes[changes.length - 1].t), state, region });
  };
  const events = flow.timeline.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map((x) => x.e);
  for (const e of events) {
    recoverBefore(e.t);
    if (e.region) region = e.region;
    if (e.phase && DOWN_PHASES[e.phase]) state = e.phase;
    else if ((e.phase && UP_PHASES.has(e.phase)) || (e.region && !e.phase)) state = 'serving';
    else continue;
    served = served || state === 'serving';
    changes.push({ t: Math.max(0, e.t), state, region: state === 'serving' ? region : undefined });
  }
  recoverBefore(Infinity);
  const segments: LaneSegment[] = [];
  changes.forEach((c, i) => {
    const to = Math.min(i + 1 < changes.length ? changes[i + 1].t : end, end);
    const from = Math.min(c.t, end);
    if (to > from) segments.push({ from, to, state: c.state, ...(c.state === 'serving' ? { region: c.region } : {}) });
  });
  return segments;
}

/** The right end of the time axis: past every event and recovery, rounded up to a tick. */
function domainEnd(flows: SimulatedFlow[]): number {
  const times = flows.flatMap((f) => [...f.timeline.map((e) => e.t), f.recoveredAtSeconds ?? 0, f.typicalSeconds ?? 0]);
  const last = Math.max(60, ...times.filter((t) => Number.isFinite(t)));
  const step = tickStep(last * 1.1);
  return Math.ceil((last * 1.1) / step) * step;
}

/** A tick step giving at most 10 ticks. */
function tickStep(end: number): number {
  return STEPS.find((s) => end / s <= 10) ?? Math.ceil(end / 10);
}

function axis(end: number, x: (t: number) => number, bottom: number): string[] {
  const out: string[] = [];
  const step = tickStep(end);
  for (let t = 0; t <= end + 1e-9; t += step) {
    out.push(`  <line class="grid" x1="${x(t)}" y1="${TOP - 4}" x2="${x(t)}" y2="${bottom}"/>`);
    out.push(`  <text class="small" x="${x(t)}" y="${bottom + 16}" text-anchor="middle">${t} s</text>`);
  }
  out.push(`  <line class="axis" x1="${PLOT_X0}" y1="${bottom}" x2="${PLOT_X1}" y2="${bottom}"/>`);
  out.push(`  <text class="small" x="${(PLOT_X0 + PLOT_X1) / 2}" y="${bottom + 32}" text-anchor="middle">seconds since the outage began</text>`);
  return out;
}

function lane(flow: SimulatedFlow, index: number, y: number, end: number, x: (t: number) => number, regions: Map<string, string>): string[] {
  const out: string[] = [];
  const barY = y + 6;
  const route = `${flow.kind} · ${flow.fromRegion ?? '-'} → ${flow.toRegion ?? '-'}${flow.perRequestPenaltySeconds !== undefined ? ` · +${flow.perRequestPenaltySeconds} s per request` : ''}`;
  out.push(`  <g id="flow-${index}" data-flow="${esc(flow.id)}">`);
  out.push(`    <title>${esc(`${flow.name} (${flow.id})`)}</title>`);
  out.push(`    <text x="16" y="${barY + 12}">${esc(cut(flow.name, LABEL_CHARS))}</text>`);
  out.push(`    <text class="small" x="16" y="${barY + 27}">${esc(cut(route, LABEL_CHARS + 8))}</text>`);
  for (const s of laneSegments(flow, end)) {
    const fill = s.state === 'serving' ? colourOf(s.region, regions) : DOWN_PHASES[s.state];
    const w = r1(x(s.to) - x(s.from));
    const what = s.state === 'serving' ? `served by ${s.region ?? 'an unknown region'}` : s.state;
    out.push(`    <rect x="${x(s.from)}" y="${barY}" width="${w}" height="${BAR}" fill="${fill}" data-state="${esc(s.state)}"${s.region ? ` data-region="${esc(s.region)}"` : ''}><title>${esc(`${r1(s.from)}–${r1(s.to)} s: ${what}`)}</title></rect>`);
    const label = s.state === 'serving' ? (s.region ?? '') : s.state;
    if (label && w >= label.length * 6 + 8) out.push(`    <text class="phase" x="${r1(x(s.from) + 4)}" y="${barY + 13}">${esc(label)}</text>`);
  }
  for (const e of flow.timeline) {
    if (e.t < 0 || e.t > end) continue;
    out.push(`    <line x1="${x(e.t)}" y1="${barY + BAR}" x2="${x(e.t)}" y2="${barY + BAR + 4}" stroke="#1f2328" stroke-width="1"><title>${esc(`${e.t} s: ${e.event}`)}</title></line>`);
  }
  out.push(...outcome(flow, barY, end, x));
  out.push('  </g>');
  return out;
}

/** The recovered marker (worst case solid, typical dashed), or why the flow stays down. */
function outcome(flow: SimulatedFlow, barY: number, end: number, x: (t: number) => number): string[] {
  if (!flow.impacted) return [`    <text class="small" x="${PLOT_X1 - 4}" y="${barY + 31}" text-anchor="end">not impacted</text>`];
  if (flow.recoveredAtSeconds === undefined) {
    const after = flow.afterManualStepSeconds !== undefined ? `; ${flow.afterManualStepSeconds} s after the manual step` : '';
    return [`    <text class="small fail" x="${PLOT_X1 - 4}" y="${barY + 31}" text-anchor="end">no automatic recovery${esc(after)}</text>`];
  }
  const out: string[] = [];
  const typical = flow.typicalSeconds;
  if (typical !== undefined && typical !== flow.recoveredAtSeconds && typical <= end) {
    out.push(`    <line x1="${x(typical)}" y1="${barY - 3}" x2="${x(typical)}" y2="${barY + BAR + 3}" stroke="${RECOVERED_COLOUR}" stroke-width="2" stroke-dasharray="3 2"><title>typical: ${typical} s</title></line>`);
  }
  const t = flow.recoveredAtSeconds;
  out.push(`    <line x1="${x(t)}" y1="${barY - 4}" x2="${x(t)}" y2="${barY + BAR + 4}" stroke="${RECOVERED_COLOUR}" stroke-width="3" data-recovered="${t}"><title>recovered (worst case): ${t} s</title></line>`);
  const label = `recovered ≤ ${t} s`;
  // ~6.5 px per character at 11 px: anchor at the end where the label would run past the plot.
  out.push(`    <text class="small ok" x="${x(t)}" y="${barY + 31}" text-anchor="${x(t) + label.length * 6.5 > PLOT_X1 ? 'end' : 'start'}">${label}</text>`);
  return out;
}

function regionColours(flows: SimulatedFlow[]): Map<string, string> {
  const names = new Set<string>();
  for (const f of flows) {
    for (const r of [f.fromRegion, f.toRegion, ...f.timeline.map((e) => e.region)]) if (r) names.add(r);
  }
  const sorted = [...names].filter((r) => r !== 'global').sort();
  const map = new Map<string, string>(sorted.map((r, i) => [r, REGION_COLOURS[i % REGION_COLOURS.length]]));
  if (names.has('global')) map.set('global', GLOBAL_COLOUR);
  return map;
}

function colourOf(region: string | undefined, regions: Map<string, string>): string {
  return (region && regions.get(region)) ?? UNKNOWN_COLOUR;
}

function legendItems(regions: Map<string, string>, unknown: boolean): { label: string; fill: string; marker?: boolean }[] {
  return [
    ...[...regions.entries()].map(([r, fill]) => ({ label: `served by ${r}`, fill })),
    ...(unknown ? [{ label: 'served (region unknown)', fill: UNKNOWN_COLOUR }] : []),
    ...Object.entries(DOWN_PHASES).map(([phase, fill]) => ({ label: phase === 'failing' ? 'failing (not served)' : phase, fill })),
    { label: 'recovered (worst case)', fill: RECOVERED_COLOUR, marker: true },
  ];
}

function legendSvg(items: { label: string; fill: string; marker?: boolean }[], y: number): string[] {
  const out: string[] = ['  <g id="legend">'];
  items.forEach((item, i) => {
    const lx = 16 + (i % LEGEND_COLUMNS) * 180;
    const ly = y + Math.floor(i / LEGEND_COLUMNS) * 22;
    out.push(item.marker
      ? `    <line x1="${lx + 7}" y1="${ly - 10}" x2="${lx + 7}" y2="${ly + 4}" stroke="${item.fill}" stroke-width="3"/>`
      : `    <rect x="${lx}" y="${ly - 10}" width="14" height="14" fill="${item.fill}"/>`);
    out.push(`    <text x="${lx + 20}" y="${ly + 1}">${esc(item.label)}</text>`);
  });
  out.push('  </g>');
  return out;
}

function describe(result: SimulationResult): string {
  const parts = result.flows.map((f) => {
    if (!f.impacted) return `${f.name}: not impacted`;
    if (f.recoveredAtSeconds === undefined) return `${f.name}: no automatic recovery`;
    return `${f.name}: recovered in ${f.toRegion ?? 'an unknown region'} within ${f.recoveredAtSeconds} s`;
  });
  return `Simulated outage of ${result.outage.region}. ${parts.length ? parts.join('; ') + '.' : 'No flows.'}`;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function r1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** XML-escapes text and attribute values; drops characters XML 1.0 does not allow. */
export function esc(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
