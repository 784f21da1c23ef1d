import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/app';
import { generatedSections, nagSuppressions, renderReadme } from '../../examples/readme-tables';

const README = path.join(__dirname, '..', '..', 'README.md');

/** The example app carried 98 cdk-nag suppressions before the security review (issue 10): never more again. */
const SUPPRESSIONS_BEFORE_REVIEW = 98;

describe('README generated sections', () => {
  test('recovery figures and nag suppressions in README.md are what the code computes (run `npx projen docs:readme`)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    expect(renderReadme(readme, generatedSections())).toEqual(readme);
  });

  test('renderReadme refuses a README without the markers', () => {
    expect(() => renderReadme('# nothing here', [{ name: 'recovery-figures', body: 'x' }]))
      .toThrow(/README.md has no section recovery-figures/);
  });
});

describe('cdk-nag suppressions of the example app', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-count-'));
  buildApp(outdir).synth();
  const all = nagSuppressions(outdir);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('fewer than before the review (the constructs the review saw)', () => {
    // Stacks of constructs added to the example app after the review (RegionalService, the edge over it, the dashboard,
    // the Region switch plan) have suppressions of their own; the ratchet counts the constructs the review saw.
    const added = /^Example(Web|Shop|Dashboard|RegionSwitch)/;
    const reviewed = all.filter((s) => !added.test(s.resource));
    expect(reviewed.length).toBeLessThan(SUPPRESSIONS_BEFORE_REVIEW);
    expect(all.length - reviewed.length).toBeGreaterThan(0);
  });

  test('no stack-wide suppression: each one sits on one resource', () => {
    expect(all.filter((s) => s.resource.endsWith('(stack)'))).toEqual([]);
  });

  test('every IAM5 (wildcard) suppression names the findings it applies to', () => {
    expect(all.filter((s) => s.id === 'AwsSolutions-IAM5' && !(s.appliesTo && s.appliesTo.length > 0))).toEqual([]);
  });

  test('every reason is specific (at least 30 characters)', () => {
    expect(all.filter((s) => s.reason.length < 30)).toEqual([]);
  });
});
