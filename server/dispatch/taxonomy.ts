// The danger taxonomy (categories, severities with default deadlines) as data: taxonomy.json beside this file,
// or a file named by CONSOLE_DANGER_TAXONOMY that replaces it, validated when loaded.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Compile } from 'typebox/compile';
import { Taxonomy, type Severity } from '../contracts/dispatch';

export const DEFAULT_TAXONOMY_FILE = join(import.meta.dirname, 'taxonomy.json');

const check = Compile(Taxonomy);

export function loadTaxonomy(file = DEFAULT_TAXONOMY_FILE): Taxonomy {
  const data: unknown = JSON.parse(readFileSync(resolve(file), 'utf8'));
  if (!check.Check(data)) {
    const [first] = check.Errors(data);
    throw new Error(`Danger taxonomy ${file}: ${first?.instancePath || '(root)'} ${first?.message ?? 'is invalid'}`);
  }
  const keys = data.categories.map((c) => c.key);
  if (new Set(keys).size !== keys.length || keys.length === 0) throw new Error(`Danger taxonomy ${file}: category keys must be unique and non-empty`);
  return data;
}

export function defaultDeadline(taxonomy: Taxonomy, severity: Severity, from: Date): Date {
  const hours = taxonomy.severities.find((s) => s.key === severity)?.defaultDeadlineHours ?? 72;
  return new Date(from.getTime() + hours * 3600_000);
}
