/**
 * Issue 17: a reader loses the thread past about 450 lines a file and 80 lines a function (`../shared/STYLE.md`,
 * "Composition of parts"). Every hand-written source file under `src/` stays within both; the `*-function.ts` files
 * projen generates for each `*.lambda.ts` handler are excluded (`.gitattributes` marks them generated).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');
const MAX_FILE_LINES = 450;
const MAX_FUNCTION_LINES = 80;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** projen writes `<name>-function.ts` beside `<name>.lambda.ts` and marks it `linguist-generated`. */
function isGenerated(file: string): boolean {
  return file.endsWith('-function.ts') && fs.existsSync(file.replace(/-function\.ts$/, '.lambda.ts'));
}

function functionName(node: ts.FunctionLikeDeclaration): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText();
  const parent = node.parent;
  return parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) ? parent.name.getText() : '<anonymous>';
}

/** Every function, method, constructor, accessor or arrow function longer than `max` lines, as `file:line name (N lines)`. */
export function longFunctions(file: string, text: string, max: number): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) {
        found.push(`${path.relative(SRC, file)}:${start + 1} ${functionName(node as ts.FunctionLikeDeclaration)} (${lines} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sourceFiles(SRC).filter((f) => !isGenerated(f));

test('the scan sees the hand-written sources and skips the generated function wrappers', () => {
  expect(files.length).toBeGreaterThan(50);
  expect(files.map((f) => path.relative(SRC, f))).toContain(path.join('multi-region-api', 'multi-region-api.ts'));
  expect(files.some((f) => f.endsWith('orchestrator-function.ts'))).toBe(false);
});

test(`every source file has at most ${MAX_FILE_LINES} lines`, () => {
  const long = files
    .map((f) => ({ f, lines: fs.readFileSync(f, 'utf8').split('\n').length }))
    .filter(({ lines }) => lines > MAX_FILE_LINES)
    .map(({ f, lines }) => `${path.relative(SRC, f)} (${lines} lines)`);
  expect(long).toEqual([]);
});

test(`every function and constructor has at most ${MAX_FUNCTION_LINES} lines`, () => {
  expect(files.flatMap((f) => longFunctions(f, fs.readFileSync(f, 'utf8'), MAX_FUNCTION_LINES))).toEqual([]);
});

test('the function scan finds a long constructor and a long arrow function', () => {
  const body = Array.from({ length: 5 }, (_, i) => `    const v${i} = ${i};`).join('\n');
  const text = `class A {\n  constructor() {\n${body}\n  }\n}\nconst f = () => {\n${body}\n};\n`;
  expect(longFunctions(path.join(SRC, 'x.ts'), text, 4)).toEqual(['x.ts:2 constructor (7 lines)', 'x.ts:10 f (7 lines)']);
});
