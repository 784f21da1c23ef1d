import { execFileSync } from 'child_process';
import { dnsFailoverFlow, resultOf } from './fixtures';
import { laneSegments, renderSvg } from '../../src/simulator/svg';
import { SimulatedFlow, SimulationResult } from '../../src/simulator/types';

interface XmlNode {
  readonly tag: string;
  readonly attrib: { [name: string]: string };
  readonly text: string;
  readonly children: XmlNode[];
}

/**
 * Parses `svg` with a real XML parser (Python's xml.etree.ElementTree, which rejects anything that is not well-formed
 * XML) and returns the element tree; throws on malformed XML.
 */
function parseXml(svg: string): XmlNode {
  const script = [
    'import sys, json, xml.etree.ElementTree as ET',
    'def conv(e): return {"tag": e.tag.split("}")[-1], "attrib": dict(e.attrib), "text": "".join(e.itertext()), "children": [conv(c) for c in e]}',
    'print(json.dumps(conv(ET.fromstring(sys.stdin.buffer.read()))))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: svg, encoding: 'utf-8' }));
}

function all(node: XmlNode, pred: (n: XmlNode) => boolean): XmlNode[] {
  return [...(pred(node) ? [node] : []), ...node.children.flatMap((c) => all(c, pred))];
}

// 10 s × 3 + 6 s probe timeout = 36 s detection; + 10 s propagation = 46 s; + 60 s TTL = 106 s
const DNS: SimulatedFlow = dnsFailoverFlow([
  'us-east-1 fails',
  'health checkers start failing probes',
  'health check unhealthy',
  'Route 53 answers with us-west-2; resolvers keep the old answer for the TTL',
  'served by us-west-2',
]);
const DB: SimulatedFlow = {
  id: 'database-writer:Db/Global',
  kind: 'database-writer',
  name: 'Global <db> & "writer"',
  impacted: true,
  fromRegion: 'us-east-1',
  toRegion: 'us-west-2',
  recoveredAtSeconds: 210,
  blockedBy: [],
  timeline: [
    { t: 0, event: 'writer lost', phase: 'failing' },
    { t: 30, event: 'alarm evaluates', phase: 'detection' },
    { t: 90, event: 'promote us-west-2', phase: 'promotion', region: 'us-west-2' },
    { t: 210, event: 'writer in us-west-2', phase: 'recovered', region: 'us-west-2' },
  ],
};
const MANUAL: SimulatedFlow = {
  id: 'cache-writer:Cache/Global',
  kind: 'cache-writer',
  name: 'cache',
  impacted: true,
  fromRegion: 'us-east-1',
  blockedBy: [{ resource: 'Cache/Global', reason: 'a person promotes the secondary' }],
  afterManualStepSeconds: 60,
  timeline: [{ t: 0, event: 'primary lost', phase: 'failing' }],
};
const STATIC: SimulatedFlow = { id: 'static:Assets', kind: 'static', name: 'assets', impacted: false, fromRegion: 'us-west-2', blockedBy: [], timeline: [] };
const RESULT: SimulationResult = resultOf('us-east-1', [DNS, DB, MANUAL, STATIC]);

describe('renderSvg', () => {
  let svg: string;
  let root: XmlNode;
  beforeAll(() => {
    svg = renderSvg(RESULT);
    root = parseXml(svg);
  });

  test('is well-formed XML: an svg root with title, desc, one lane per flow and a legend; nothing active', () => {
    expect(root.tag).toBe('svg');
    expect(root.attrib).toMatchObject({ 'viewBox': `0 0 1100 ${root.attrib.height}`, 'role': 'img', 'aria-labelledby': 'title desc' });
    expect(root.children.find((c) => c.tag === 'title')!.text).toBe('Outage of us-east-1: 4 flows, 3 impacted');
    expect(root.children.find((c) => c.tag === 'desc')!.text).toBe('Simulated outage of us-east-1. api.example.com: recovered in us-west-2 within 106 s; '
      + 'Global <db> & "writer": recovered in us-west-2 within 210 s; cache: no automatic recovery; assets: not impacted.');
    expect(all(root, (n) => n.tag === 'g' && /^flow-\d+$/.test(n.attrib.id ?? '')).map((g) => g.attrib['data-flow']))
      .toEqual(['dns:api.example.com', 'database-writer:Db/Global', 'cache-writer:Cache/Global', 'static:Assets']);
    expect(svg).not.toMatch(/<script|<foreignObject|<image|href|@import|\bon[a-z]+\s*=/i);
  });

  test('lanes are coloured by serving region, failing and the detection, propagation and promotion phases', () => {
    const bars = (i: number) => all(all(root, (n) => n.attrib.id === `flow-${i}`)[0], (n) => n.tag === 'rect')
      .map((r) => [r.attrib['data-state'], r.attrib['data-region'] ?? '', r.attrib.fill, r.attrib.x, r.attrib.width]);
    // axis end: 210 s × 1.1 = 231 s, ticks of 30 s → 240 s; x = 380 + t / 240 × 690 (rounded to 0.1)
    expect(bars(0)).toEqual([
      ['detection', '', '#bc4c00', '380', '103.5'], // 0–36 s
      ['propagation', '', '#d4a72c', '483.5', '201.3'], // 36–106 s
      ['serving', 'us-west-2', '#1a7f37', '684.8', '385.2'], // 106–240 s
    ]);
    expect(bars(1)).toEqual([
      ['failing', '', '#cf222e', '380', '86.3'], // 0–30 s
      ['detection', '', '#bc4c00', '466.3', '172.5'], // 30–90 s
      ['promotion', '', '#8250df', '638.8', '345'], // 90–210 s
      ['serving', 'us-west-2', '#1a7f37', '983.8', '86.2'],
    ]);
    expect(bars(2)).toEqual([['failing', '', '#cf222e', '380', '690']]);
    expect(bars(3)).toEqual([['serving', 'us-west-2', '#1a7f37', '380', '690']]);
  });

  test('recovered markers (worst case solid, typical dashed), no-recovery and not-impacted labels, time axis in seconds', () => {
    const recovered = all(root, (n) => n.attrib['data-recovered'] !== undefined);
    expect(recovered.map((l) => [l.attrib['data-recovered'], l.attrib.x1])).toEqual([['106', '684.8'], ['210', '983.8']]);
    expect(all(root, (n) => n.tag === 'line' && n.attrib['stroke-dasharray'] === '3 2').map((l) => [l.text, l.attrib.x1])).toEqual([['typical: 90 s', '638.8']]);
    const texts = all(root, (n) => n.tag === 'text').map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['recovered ≤ 106 s', 'recovered ≤ 210 s', 'no automatic recovery; 60 s after the manual step', 'not impacted']));
    expect(texts.filter((t) => /^\d+ s$/.test(t))).toEqual(['0 s', '30 s', '60 s', '90 s', '120 s', '150 s', '180 s', '210 s', '240 s']);
    expect(texts).toContain('seconds since the outage began');
    expect(texts).toContain('us-east-1 fails (t = 0 s)');
  });

  test('legend: each serving region, failing, the phases and the recovered marker', () => {
    const legend = all(root, (n) => n.attrib.id === 'legend')[0];
    expect(legend.children.filter((c) => c.tag === 'text').map((t) => t.text)).toEqual([
      'served by us-east-1', 'served by us-west-2', 'failing (not served)', 'detection', 'propagation', 'promotion', 'recovered (worst case)',
    ]);
    expect(legend.children.filter((c) => c.tag === 'rect').map((r) => r.attrib.fill)).toEqual(['#0969da', '#1a7f37', '#cf222e', '#bc4c00', '#d4a72c', '#8250df']);
  });

  test('deterministic, and names are escaped', () => {
    expect(renderSvg(RESULT)).toBe(renderSvg(JSON.parse(JSON.stringify(RESULT))));
    expect(svg).toContain('Global &lt;db&gt; &amp; &quot;writer&quot;');
    expect(all(root, (n) => n.tag === 'text').map((t) => t.text)).toContain('Global <db> & "writer"');
  });

  test('a lane served by a region nobody could place is grey, with a legend entry', () => {
    const unplaced = parseXml(renderSvg(resultOf('us-east-1', [{ ...STATIC, fromRegion: undefined }])));
    expect(all(unplaced, (n) => n.tag === 'rect' && n.attrib['data-state'] === 'serving').map((r) => r.attrib.fill)).toEqual(['#afb8c1']);
    expect(all(unplaced, (n) => n.attrib.id === 'legend')[0].children.filter((c) => c.tag === 'text').map((t) => t.text)[0]).toBe('served (region unknown)');
    expect(all(root, (n) => n.tag === 'text').map((t) => t.text)).not.toContain('served (region unknown)');
  });

  test('no flows', () => {
    const empty = parseXml(renderSvg(resultOf('eu-west-1', [])));
    expect(all(empty, (n) => n.tag === 'text').map((t) => t.text)).toContain('No traffic or data flow found in the assembly.');
  });
});

describe('laneSegments', () => {
  const flow = (f: Partial<SimulatedFlow>): SimulatedFlow => ({ id: 'x', kind: 'dns', name: 'x', impacted: true, blockedBy: [], timeline: [], ...f });
  /** A flow from us-east-1 that recovers in us-west-2 at `recoveredAtSeconds`. */
  const failedOver = (recoveredAtSeconds: number, f: Partial<SimulatedFlow> = {}): SimulatedFlow =>
    flow({ fromRegion: 'us-east-1', toRegion: 'us-west-2', recoveredAtSeconds, ...f });

  test('no timeline: failing until the worst case, then served by toRegion', () => {
    expect(laneSegments(failedOver(50), 100)).toEqual([
      { from: 0, to: 50, state: 'failing' },
      { from: 50, to: 100, state: 'serving', region: 'us-west-2' },
    ]);
  });

  test('events after the worst case that never say "serving": the lane switches at recoveredAtSeconds', () => {
    expect(laneSegments(failedOver(40, {
      timeline: [{ t: 10, event: 'd', phase: 'detection' }, { t: 60, event: 'note' }],
    }), 100)).toEqual([
      { from: 0, to: 10, state: 'failing' },
      { from: 10, to: 40, state: 'detection' },
      { from: 40, to: 100, state: 'serving', region: 'us-west-2' },
    ]);
  });

  test('per-request failover: served by the other region from t = 0', () => {
    expect(laneSegments(failedOver(0, {
      perRequestPenaltySeconds: 12,
      timeline: [{ t: 0, event: 'origin group retries us-west-2', phase: 'serving', region: 'us-west-2' }],
    }), 60)).toEqual([{ from: 0, to: 60, state: 'serving', region: 'us-west-2' }]);
  });

  test('never recovered: failing to the end; not impacted: served by fromRegion', () => {
    expect(laneSegments(flow({ fromRegion: 'us-east-1' }), 60)).toEqual([{ from: 0, to: 60, state: 'failing' }]);
    expect(laneSegments(flow({ impacted: false, fromRegion: 'us-west-2' }), 60)).toEqual([{ from: 0, to: 60, state: 'serving', region: 'us-west-2' }]);
  });

  test('events out of order are sorted by time (stable), an event with a region and no phase means serving there', () => {
    expect(laneSegments(flow({
      fromRegion: 'us-east-1',
      timeline: [{ t: 30, event: 'now served', region: 'eu-west-1' }, { t: 5, event: 'd', phase: 'detection' }],
    }), 60)).toEqual([
      { from: 0, to: 5, state: 'failing' },
      { from: 5, to: 30, state: 'detection' },
      { from: 30, to: 60, state: 'serving', region: 'eu-west-1' },
    ]);
  });
});
