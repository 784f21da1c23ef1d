#!/usr/bin/env node
// README examples in Python and Java, compiled by jsii-rosetta.
//
//   node .ci/translated-examples.js check   (rosetta gate: fails when a translation is stale)
//   node .ci/translated-examples.js write   (rewrites them: `npx projen docs:translations`)
//
// A TypeScript example in README.md may be followed by one or more markers:
//
//   <!-- rosetta:python -->           (or rosetta:java)
//   ```python
//   ...what jsii-rosetta made of the TypeScript block above...
//   ```
//
// The translation comes from the tablet `.ci/rosetta.sh` writes (.jsii-rosetta/tablet.json), where every README
// snippet was compiled with `--strict` against the library's jsii assembly: the Python and Java a user reads are
// what rosetta produced from an example that compiles, never hand-written.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const mode = process.argv[2];
if (mode !== 'check' && mode !== 'write') {
  console.error('usage: node .ci/translated-examples.js check|write');
  process.exit(2);
}
const readmeFile = path.join(root, 'README.md');
const tabletFile = path.join(root, '.jsii-rosetta', 'tablet.json');
if (!fs.existsSync(tabletFile)) {
  console.error(`translated examples: FAILED: no ${tabletFile} (run bash .ci/rosetta.sh first)`);
  process.exit(1);
}
const tablet = JSON.parse(fs.readFileSync(tabletFile, 'utf8'));
const normalize = (s) => s.replace(/\r\n/g, '\n').trim();
const byTypeScript = new Map();
for (const snippet of Object.values(tablet.snippets)) {
  byTypeScript.set(normalize(snippet.translations.$.source), snippet.translations);
}

const lines = fs.readFileSync(readmeFile, 'utf8').split('\n');
const out = [];
let lastTs;
let problems = 0;
let count = 0;
const FENCE = /^```(\w*)\s*$/;
const MARKER = /^<!-- rosetta:(python|java) -->$/;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  const fence = FENCE.exec(line);
  if (fence && (fence[1] === 'ts' || fence[1] === 'typescript')) {
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    lastTs = { source: lines.slice(start + 1, end).join('\n'), line: start + 1 };
    out.push(...lines.slice(start, end + 1));
    i = end;
    continue;
  }
  const marker = MARKER.exec(line);
  if (!marker) {
    out.push(line);
    continue;
  }
  count++;
  const language = marker[1];
  out.push(line);
  // The block that follows the marker (if any) is replaced.
  let j = i + 1;
  let current;
  if (j < lines.length && new RegExp('^```' + language + '\\s*$').test(lines[j])) {
    let end = j + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    current = lines.slice(j + 1, end).join('\n');
    i = end;
  }
  const translations = lastTs && byTypeScript.get(normalize(lastTs.source));
  const translated = translations && translations[language] && translations[language].source.trimEnd();
  if (!translated) {
    console.error(`translated examples: README.md line ${i + 1}: no ${language} translation of the TypeScript block at line ${lastTs ? lastTs.line : '?'} in the tablet`);
    problems++;
    if (current !== undefined) out.push('```' + language, current, '```');
    continue;
  }
  if (current === undefined || normalize(current) !== normalize(translated)) {
    if (mode === 'check') {
      console.error(`translated examples: README.md line ${i + 1}: the ${language} block is not what jsii-rosetta makes of the TypeScript block at line ${lastTs.line}; run npx projen docs:translations`);
      problems++;
    }
  }
  out.push('```' + language, translated, '```');
}
if (mode === 'write') {
  fs.writeFileSync(readmeFile, out.join('\n'));
}
if (problems) {
  console.error(`translated examples: FAILED (${problems} problem(s))`);
  process.exit(1);
}
console.log(`translated examples: ${count} block(s) ${mode === 'write' ? 'written' : 'match jsii-rosetta'}`);
