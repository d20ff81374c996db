// server/domain/ is where the web may take server code from at run time, so nothing in it may import anything at run
// time but its siblings: no Fastify, no node:, no errors module, not even typebox. A type-only import (`import type`,
// erased by the compiler) is fine. This test reads the sources, so it fails the day someone breaks either rule,
// before a browser bundle quietly grows a server dependency.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOMAIN = join(ROOT, 'server/domain');

interface ModuleRef {
  specifier: string;
  /** Erased at compile time: `import type …` / `export type … from`. */
  typeOnly: boolean;
}

/** Every module a source names: static imports and re-exports, `import()` calls and `require()`. */
function moduleRefs(file: string, text: string): ModuleRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const refs: ModuleRef[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      refs.push({ specifier: ts.isStringLiteral(expr) ? expr.text : '?', typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node)) {
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (dynamic || required) {
        const [arg] = node.arguments;
        refs.push({ specifier: arg && ts.isStringLiteral(arg) ? arg.text : '?', typeOnly: false });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

const sources = (dir: string, keep: (name: string) => boolean): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(keep).map((name) => join(dir, name));

const inside = (dir: string, file: string) => !relative(dir, file).startsWith('..');

describe('shared pure rules (server/domain/)', () => {
  it('finds the imports it must judge, including the ones that would break the rule', () => {
    const refs = moduleRefs('x.ts', [
      "import type { A } from '../contracts/api';",
      "import { type B } from '../contracts/dispatch';", // keeps a bare import at run time (verbatimModuleSyntax)
      "import { c } from './sibling';",
      "export { d } from 'fastify';",
      "export type { E } from './e';",
      "const f = await import('node:fs');",
    ].join('\n'));
    expect(refs).toEqual([
      { specifier: '../contracts/api', typeOnly: true },
      { specifier: '../contracts/dispatch', typeOnly: false },
      { specifier: './sibling', typeOnly: false },
      { specifier: 'fastify', typeOnly: false },
      { specifier: './e', typeOnly: true },
      { specifier: 'node:fs', typeOnly: false },
    ]);
  });

  const domainFiles = sources(DOMAIN, (name) => name.endsWith('.ts'));

  it('holds the rule modules the web and the contracts use', () => {
    const names = domainFiles.map((f) => relative(DOMAIN, f));
    expect(names).toEqual(expect.arrayContaining(['task-workflow.ts', 'share-policy.ts', 'dispatch-limits.ts']));
  });

  it('imports nothing at run time but its own siblings', () => {
    const offending = domainFiles.flatMap((file) =>
      moduleRefs(file, readFileSync(file, 'utf8'))
        .filter((ref) => !ref.typeOnly && !(ref.specifier.startsWith('.') && inside(DOMAIN, resolve(dirname(file), ref.specifier))))
        .map((ref) => `${relative(ROOT, file)} → ${ref.specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('is the only server code the web imports at run time', () => {
    const web = sources(join(ROOT, 'web/src'), (name) => /\.tsx?$/.test(name) && !name.endsWith('.test.ts'));
    const used = new Set<string>();
    const offending: string[] = [];
    for (const file of web) {
      for (const ref of moduleRefs(file, readFileSync(file, 'utf8'))) {
        if (ref.typeOnly || !ref.specifier.startsWith('.')) continue;
        const target = resolve(dirname(file), ref.specifier);
        if (!inside(join(ROOT, 'server'), target)) continue;
        if (inside(DOMAIN, target)) used.add(relative(ROOT, target));
        else offending.push(`${relative(ROOT, file)} → ${ref.specifier}`);
      }
    }
    expect(offending).toEqual([]);
    // The web does use the shared rules (so this test guards something real).
    expect([...used].sort()).toEqual(expect.arrayContaining(['server/domain/share-policy', 'server/domain/task-workflow']));
  });
});
