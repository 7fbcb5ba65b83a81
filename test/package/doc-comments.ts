// The exported declarations of a TypeScript tree that have no JSDoc comment (`/** … */`), read
// with the compiler's parser as import-graph.ts reads imports. Re-exports (`export { a }`,
// `export … from`) are skipped: the name is documented where it is declared.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { tsFiles } from "./import-graph";

/** "file: name" for each exported declaration under `root` without a doc comment, in file order. */
export function undocumentedExports(root: string): string[] {
  return tsFiles(root).flatMap((file) => {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
    return source.statements.flatMap((statement) => undocumentedNames(statement).map((name) => `${file}: ${name}`));
  });
}

/** The names `statement` exports without a doc comment; none when it exports nothing or has one. */
function undocumentedNames(statement: ts.Statement): string[] {
  if (!ts.canHaveModifiers(statement) || !ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return [];
  if (ts.getJSDocCommentsAndTags(statement).length > 0 || hasDocComment(statement)) return [];
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => d.name.getText());
  const named = statement as ts.Statement & { name?: ts.Identifier };
  return [named.name?.text ?? "default"];
}

/** Whether a `/** … *\/` comment sits right before the statement (JSDoc the parser keeps only for some kinds). */
function hasDocComment(statement: ts.Statement): boolean {
  const text = statement.getSourceFile().getFullText();
  const ranges = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
  return ranges.some((r) => r.kind === ts.SyntaxKind.MultiLineCommentTrivia && text.startsWith("/**", r.pos));
}
