// The one CSV writer for every export (catalogue, statistics, audit log): what Excel and WPS on Chinese Windows
// open correctly, and what cannot turn into a formula there.
// - UTF-8 with a BOM: without it Excel guesses GBK and garbles the Chinese names.
// - CRLF line ends; a cell is quoted when it holds a quote, the delimiter, a line break, or space at either end
//   (Excel would trim the space away).
// - A text cell starting like a formula (= + - @, tab, CR) gets a leading apostrophe (OWASP "CSV injection"):
//   camera names, notes and addresses are typed by users and by the platforms a catalogue is imported from.
//   Numbers are written as they are (a negative longitude is not a formula). The catalogue import takes the
//   apostrophe off again (`undoFormulaGuard`), so an export re-imports unchanged; a text that already starts with
//   apostrophes before such a character gets one more, so the reverse is never ambiguous.

export const BOM = '\uFEFF';

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^'*[=+\-@\t\r]/;

export function csvCell(value: CsvValue, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  const quote = /["\r\n]/.test(text) || text.includes(delimiter) || /^\s|\s$/.test(text);
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF. */
export function csvLine(values: readonly CsvValue[], delimiter = ','): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter) + '\r\n';
}

/** A whole file: BOM, header line, one line per row. */
export function toCsv(headers: readonly string[], rows: Iterable<readonly CsvValue[]>, delimiter = ','): string {
  let out = BOM + csvLine(headers, delimiter);
  for (const row of rows) out += csvLine(row, delimiter);
  return out;
}

/** The reverse of the formula guard, for importers reading what `csvCell` wrote: "'=x" → "=x". */
export function undoFormulaGuard(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
