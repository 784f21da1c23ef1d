/**
 * README.md's links and images must work where users read it: on GitHub, and on Construct Hub (constructs.dev).
 *
 * How Construct Hub renders a package README (cdklabs/construct-hub-webapp, commit 2730a20,
 * src/components/Markdown/Markdown.tsx lines 75-141): it renders the README of the jsii assembly (its `repository`
 * comes from package.json) with react-markdown, and rewrites every URI that is not an anchor (`#…`), not
 * root-relative (`/…`) and has no `://`:
 *   images (`transformImageUri`, also raw-HTML `<img>` after rehype-raw) → https://raw.githubusercontent.com/<owner>/<repo>/HEAD/<path>
 *   links  (`transformLinkUri`)                                             → https://github.com/<owner>/<repo>/blob/HEAD/<path>
 * when `repository.type` is `git` and its URL matches `GITHUB_REPO_REGEX` (line 75-76); otherwise it leaves them
 * as they are (broken). History: construct-hub issue #199 (images not resolved), construct-hub-webapp PR #266 (strip
 * `.git`) and PR #713 (`repository.directory`). So images need not ship in the npm package: a relative path to a file
 * committed on the default branch resolves on the package page, and a root-relative `/…` path never does (it points
 * at constructs.dev). Heading ids there are `sanitize(title)` (src/util/sanitize-anchor.ts: lower case, drop every
 * character but [a-z0-9 ] and spaces → `-`, no de-duplication), GitHub's keep `-`/`_` and number duplicates: an
 * in-page anchor works on both only when the two ids agree and name one heading.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');

/** Construct Hub's own test for a GitHub repository URL (Markdown.tsx line 75-76). */
const GITHUB_REPO_REGEX = /^(?:(?:git@)?github\.com:|(?:https?:\/\/)github\.com\/)([^/]+)\/([^/]+)(?:\.git)?$/;

interface Repo { readonly owner: string; readonly name: string }

function packageRepo(): Repo {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const match = pkg.repository?.type === 'git' ? GITHUB_REPO_REGEX.exec(pkg.repository.url) : null;
  if (!match) throw new Error(`package.json repository is not a GitHub git URL: ${JSON.stringify(pkg.repository)}`);
  return { owner: match[1], name: match[2].replace(/\.git$/, '') };
}

interface Target { readonly line: number; readonly kind: 'link' | 'image'; readonly uri: string }

/** Blanks fenced code blocks and HTML comments (keeping line numbers): their contents are not links. */
function withoutBlocks(md: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return md
    .replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\2[^\n]*$/gm, blank)
    .replace(/<!--[\s\S]*?-->/g, blank);
}

/** Every link and image of a Markdown document: inline, reference definitions, raw HTML `<img src>` and `<a href>`. */
export function linkTargets(md: string): Target[] {
  const text = withoutBlocks(md).replace(/(`+)[\s\S]*?\1/g, (s) => s.replace(/[^\n]/g, ' '));
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const found: Target[] = [];
  const scan = (re: RegExp, kind: Target['kind']) => {
    for (const m of text.matchAll(re)) found.push({ line: lineOf(m.index!), kind, uri: m[1] });
  };
  scan(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, 'image');
  scan(/(?<!!)\[(?:[^[\]]|!\[[^\]]*\]\([^)]*\))*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, 'link');
  scan(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm, 'link');
  scan(/<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/gi, 'image');
  scan(/<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']/gi, 'link');
  return found.sort((a, b) => a.line - b.line);
}

interface Heading { readonly line: number; readonly text: string; readonly github: string; readonly constructHub: string }

/** ATX headings with their rendered text and their id on GitHub and on Construct Hub. */
export function headings(md: string): Heading[] {
  const seen = new Map<string, number>();
  const result: Heading[] = [];
  withoutBlocks(md).split('\n').forEach((raw, i) => {
    const m = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(raw);
    if (!m) return;
    const text = m[1]
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images → their text
      .replace(/<[^>]+>/g, '') // inline HTML
      .replace(/`+/g, '') // code spans keep their text
      .replace(/(\*\*|__|\*)/g, '')
      .trim();
    // GitHub (github-slugger): lower case, drop punctuation except `-` and `_`, spaces → `-`, duplicates get -1, -2…
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const github = count === 0 ? base : `${base}-${count}`;
    // Construct Hub (src/util/sanitize-anchor.ts)
    const constructHub = text.toLowerCase().replace(/[^a-zA-Z0-9 ]/g, '').replace(/ /g, '-');
    result.push({ line: i + 1, text, github, constructHub });
  });
  return result;
}

const IMAGE = /\.(svg|png|jpe?g|gif|webp)$/i;

/** Whether git would leave `rel` out of a commit (a file there is missing on GitHub). No git: not checked. */
function gitIgnored(root: string, rel: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', rel], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false; // exit 1: not ignored; 128: not a git work tree
  }
}

/** The repository file a URI names, or an error; `undefined` for URIs outside this repository. */
function repoFile(uri: string, repo: Repo): { file?: string; error?: string } | undefined {
  const own = `${repo.owner}/${repo.name}`.replace(/[.]/g, '\\.');
  const absolute = new RegExp(`^https://(?:raw\\.githubusercontent\\.com/${own}/(?:refs/heads/)?([^/]+)/|github\\.com/${own}/(?:blob|raw|tree)/([^/]+)/)(.+)$`, 'i').exec(uri);
  if (absolute) {
    const ref = absolute[1] ?? absolute[2];
    if (ref !== 'main' && ref !== 'HEAD') return { error: `points at ref "${ref}", not the default branch main` };
    return { file: absolute[3] };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('//')) return undefined;
  if (uri.startsWith('/')) {
    return { error: 'is root-relative: Construct Hub leaves it unchanged, so it points at constructs.dev; write it relative to the repository root' };
  }
  return { file: uri };
}

/** Problems with the links and images of `md` (a README at the root of `root`); empty when all resolve. */
export function linkProblems(md: string, root: string, repo: Repo): string[] {
  const problems: string[] = [];
  const hs = headings(md);
  for (const t of linkTargets(md)) {
    const at = `README.md:${t.line}: ${t.kind} ${t.uri}`;
    if (t.uri.startsWith('#')) {
      const frag = decodeURIComponent(t.uri.slice(1));
      const target = hs.find((h) => h.github === frag);
      if (!target) {
        problems.push(`${at}: no heading has the GitHub id "${frag}"`);
      } else if (target.constructHub !== frag) {
        problems.push(`${at}: heading "${target.text}" (line ${target.line}) has the id "${target.constructHub}" on Construct Hub`);
      } else if (hs.find((h) => h.constructHub === frag) !== target) {
        problems.push(`${at}: on Construct Hub an earlier heading (line ${hs.find((h) => h.constructHub === frag)!.line}) has the same id`);
      }
      continue;
    }
    const resolved = repoFile(t.uri, repo);
    if (!resolved) continue;
    if (resolved.error) {
      problems.push(`${at}: ${resolved.error}`);
      continue;
    }
    const rel = path.posix.normalize(decodeURIComponent(resolved.file!.replace(/[?#].*$/, '')));
    if (rel.startsWith('..')) {
      problems.push(`${at}: leaves the repository`);
    } else if (!fs.existsSync(path.join(root, rel))) {
      problems.push(`${at}: no such file in the repository`);
    } else if (gitIgnored(root, rel)) {
      problems.push(`${at}: the file is git-ignored, so it is not on GitHub`);
    } else if (t.kind === 'image' && !IMAGE.test(rel)) {
      problems.push(`${at}: not an image file`);
    }
  }
  return problems;
}

/** Construct sections of README.md and their pictures (docs/images/<kebab-case>.svg). */
const PICTURES: Record<string, string> = {
  FailoverDns: 'docs/images/failover-dns.svg',
  MultiRegionApi: 'docs/images/multi-region-api.svg',
  GlobalSsrSite: 'docs/images/global-ssr-site.svg',
  AuroraGlobalFailover: 'docs/images/aurora-global-failover.svg',
};

/**
 * Problems in README sections that other areas own, reported to them instead of fixed here. Remove an entry when its
 * section is fixed: the test fails both on a new problem and on an entry that no longer occurs.
 */
/** Problems the test tolerates for now (none): each entry must still occur, so a fixed one is removed here too. */
const KNOWN_ELSEWHERE: string[] = [];

describe('README.md links and images (GitHub and Construct Hub)', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const repo = packageRepo();

  test('package.json names a GitHub repository, which Construct Hub resolves relative links and images against', () => {
    expect(repo).toEqual({ owner: 'cdk-multi-region-failover', name: 'cdk-multi-region-failover' });
  });

  test('every relative link and image resolves to a committed file, every anchor to one heading on both sites', () => {
    const problems = linkProblems(readme, ROOT, repo);
    expect(problems.filter((p) => !KNOWN_ELSEWHERE.some((k) => p.includes(k)))).toEqual([]);
    expect(KNOWN_ELSEWHERE.filter((k) => !problems.some((p) => p.includes(k)))).toEqual([]);
  });

  test.each(Object.entries(PICTURES))('the %s section opens with its architecture picture %s', (construct, picture) => {
    const section = readme.split(/^## /m).find((s) => s.startsWith(`${construct}\n`));
    expect(section).toBeDefined();
    const firstHeading = section!.indexOf('\n### ');
    const intro = section!.slice(0, firstHeading < 0 ? undefined : firstHeading);
    const images = linkTargets(intro).filter((t) => t.kind === 'image').map((t) => t.uri);
    expect(images).toEqual([picture]);
    expect(intro).toMatch(new RegExp(`!\\[${construct} architecture: [^\\]]{40,}\\]`)); // descriptive alt text
  });

  test.each(Object.values(PICTURES))('%s is a self-contained SVG (no script, no external reference)', (picture) => {
    const svg = fs.readFileSync(path.join(ROOT, picture), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 800 \d+"/);
    expect(svg).toMatch(/<title id="title">[^<]+<\/title>/);
    expect(svg).not.toMatch(/<script|<foreignObject|<image|@import|\bon[a-z]+\s*=/i);
    const refs = [...svg.matchAll(/(?:href\s*=\s*["']|url\()\s*([^"')]+)/g)].map((m) => m[1]);
    expect(refs.filter((r) => !r.startsWith('#'))).toEqual([]);
  });
});

describe('the link checker', () => {
  const repo = { owner: 'cdk-multi-region-failover', name: 'cdk-multi-region-failover' };
  const check = (md: string) => linkProblems(md, ROOT, repo);

  test('accepts files of the repository, anchors and other sites; ignores code', () => {
    expect(check([
      '# Title', '## Failover chains (3+ endpoints)',
      '[api](API.md) [api](./API.md#api-reference) ![x](docs/images/failover-dns.svg "t") <img src="docs/images/global-ssr-site.svg">',
      '[chains](#failover-chains-3-endpoints) [aws](https://docs.aws.amazon.com/x) [mail](mailto:a@b.c)',
      '![raw](https://raw.githubusercontent.com/cdk-multi-region-failover/cdk-multi-region-failover/main/docs/images/multi-region-api.svg)',
      '[ref]: LICENSE', '```', '[nothing](missing.md)', '```', 'see `[nothing](missing.md)`', '<!-- [nothing](missing.md) -->',
    ].join('\n'))).toEqual([]);
  });

  test('reports a missing file, a missing image and a path outside the repository', () => {
    expect(check('[a](docs/nothing.md)\n\n![b](docs/images/nothing.svg)\n<img src="../x.png">\n[c](README.md) ![d](LICENSE)')).toEqual([
      'README.md:1: link docs/nothing.md: no such file in the repository',
      'README.md:3: image docs/images/nothing.svg: no such file in the repository',
      'README.md:4: image ../x.png: leaves the repository',
      'README.md:5: image LICENSE: not an image file',
    ]);
  });

  test('reports a root-relative path, a git-ignored file, and a raw URL of this repository that does not resolve', () => {
    expect(check([
      '![a](/docs/images/failover-dns.svg)',
      '[b](node_modules/jest/package.json)',
      '![c](https://raw.githubusercontent.com/cdk-multi-region-failover/cdk-multi-region-failover/main/docs/images/none.svg)',
      '![d](https://raw.githubusercontent.com/cdk-multi-region-failover/cdk-multi-region-failover/v1.0.0/docs/images/failover-dns.svg)',
      '![e](https://raw.githubusercontent.com/someone/else/main/none.svg)',
    ].join('\n'))).toEqual([
      'README.md:1: image /docs/images/failover-dns.svg: is root-relative: Construct Hub leaves it unchanged, so it points at constructs.dev; write it relative to the repository root',
      ...(fs.existsSync(path.join(ROOT, '.git')) ? ['README.md:2: link node_modules/jest/package.json: the file is git-ignored, so it is not on GitHub'] : []),
      'README.md:3: image https://raw.githubusercontent.com/cdk-multi-region-failover/cdk-multi-region-failover/main/docs/images/none.svg: no such file in the repository',
      'README.md:4: image https://raw.githubusercontent.com/cdk-multi-region-failover/cdk-multi-region-failover/v1.0.0/docs/images/failover-dns.svg: points at ref "v1.0.0", not the default branch main',
    ]);
  });

  test('reports anchors that miss on GitHub or land elsewhere on Construct Hub', () => {
    expect(check([
      '## Architecture', '## cdk-nag suppressions', '## Architecture',
      '[a](#no-such-heading) [b](#cdk-nag-suppressions) [c](#architecture-1) [d](#architecture)',
    ].join('\n'))).toEqual([
      'README.md:4: link #no-such-heading: no heading has the GitHub id "no-such-heading"',
      'README.md:4: link #cdk-nag-suppressions: heading "cdk-nag suppressions" (line 2) has the id "cdknag-suppressions" on Construct Hub',
      'README.md:4: link #architecture-1: heading "Architecture" (line 3) has the id "architecture" on Construct Hub',
    ]);
  });

  test('heading ids follow GitHub and Construct Hub', () => {
    expect(headings('# A `b` [c](d)\n### Cost (on-demand, us-east-1 — check)\n## A b c').map((h) => [h.github, h.constructHub])).toEqual([
      ['a-b-c', 'a-b-c'],
      ['cost-on-demand-us-east-1--check', 'cost-ondemand-useast1--check'],
      ['a-b-c-1', 'a-b-c'],
    ]);
  });
});
