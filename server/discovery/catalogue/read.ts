// From a file's text to checked rows: CSV or JSON, columns mapped to fields, each row cleaned.
// File-level problems (not CSV, no externalId column, …) throw CatalogueFileError and nothing is imported;
// row-level problems are collected per row and field.
import type { CatalogueField, CatalogueFormat, RowError } from '../../contracts/catalogue';
import { CsvError, parseCsv } from '../../csv/parse';
import { type ColumnMap, MappingError, mapColumns } from './fields';
import type { CoordSystem } from '../../domain/coords';
import { type CleanRow, cleanRow, type NetworkRef, networkResolver, type SourceRow, sourceFromCsv, sourceFromJson } from './rows';

export const MAX_ROWS = 200_000;

export class CatalogueFileError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

export interface ReadResult {
  map: ColumnMap;
  rows: CleanRow[];
  errors: RowError[];
  total: number;
}

function readSources(format: CatalogueFormat, content: string, mapping?: Record<string, CatalogueField | null>): { map: ColumnMap; sources: SourceRow[] } {
  if (format === 'csv') {
    const table = parseCsv(content);
    if (table.records.length > MAX_ROWS) throw new CatalogueFileError(`more than ${MAX_ROWS} rows; split the file`, 'content');
    const map = mapColumns(table.headers, mapping);
    return { map, sources: table.records.map((r, i) => sourceFromCsv(r.values, map, i + 1, r.line)) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  } catch (err) {
    throw new CatalogueFileError(`is not valid JSON: ${(err as Error).message}`, 'content');
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { cameras?: unknown })?.cameras;
  if (!Array.isArray(list)) throw new CatalogueFileError('must be a JSON array of objects, or { "cameras": [...] }', 'content');
  if (list.length > MAX_ROWS) throw new CatalogueFileError(`more than ${MAX_ROWS} rows; split the file`, 'content');
  // The columns of a JSON file are the union of its objects' keys, in first-seen order.
  const headers: string[] = [];
  const known = new Set<string>();
  for (const item of list) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const k of Object.keys(item)) if (!known.has(k)) known.add(k), headers.push(k);
  }
  const map = mapColumns(headers, mapping);
  const sources: SourceRow[] = [];
  list.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) sources.push({ row: i + 1, cells: {}, invalid: 'is not a JSON object' });
    else sources.push(sourceFromJson(item as Record<string, unknown>, map, headers, i + 1));
  });
  return { map, sources };
}

export function readCatalogue(
  format: CatalogueFormat,
  content: string,
  networks: NetworkRef[],
  mapping?: Record<string, CatalogueField | null>,
  coordSystem: CoordSystem = 'wgs84',
): ReadResult {
  let read: { map: ColumnMap; sources: SourceRow[] };
  try {
    read = readSources(format, content, mapping);
  } catch (err) {
    if (err instanceof MappingError) throw new CatalogueFileError(err.message, err.field);
    if (err instanceof CsvError) throw new CatalogueFileError(`is not valid CSV: ${err.message}`, 'content');
    throw err;
  }
  const resolveNetwork = networkResolver(networks);
  const rows: CleanRow[] = [];
  const errors: RowError[] = [];
  for (const src of read.sources) {
    if (src.invalid) {
      errors.push({ row: src.row, field: '(row)', message: src.invalid });
      continue;
    }
    const result = cleanRow(src, resolveNetwork, coordSystem);
    if (result.row) rows.push(result.row);
    else errors.push(...result.errors);
  }
  return { map: read.map, rows, errors, total: read.sources.length };
}
