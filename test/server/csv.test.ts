// The one CSV writer (server/csv/write.ts) every export uses, and the reader the catalogue import uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../server/csv/parse';
import { BOM, csvCell, csvLine, toCsv, undoFormulaGuard } from '../../server/csv/write';

describe('csv writer', () => {
  it('guards text cells that Excel would read as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvCell(`${start}HYPERLINK("http://x")`);
      expect(cell.replace(/^"/, '').startsWith(`'${start}`)).toBe(true);
    }
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('东城小区')).toBe('东城小区');
  });

  it('writes numbers as numbers: a negative longitude is not a formula', () => {
    expect(csvCell(-73.5)).toBe('-73.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes quotes, delimiters, line breaks and edge spaces', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('a;b')).toBe('a;b');
  });

  it('writes a BOM, a header and CRLF lines', () => {
    expect(toCsv(['名称', 'n'], [['a', 1], ['=b', null]])).toBe(`${BOM}名称,n\r\na,1\r\n'=b,\r\n`);
    expect(csvLine(['x', 2])).toBe('x,2\r\n');
  });

  it('undoes only its own guard', () => {
    expect(undoFormulaGuard("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(undoFormulaGuard("'-1楼")).toBe('-1楼');
    expect(undoFormulaGuard("'quoted'")).toBe("'quoted'");
    expect(csvCell("'=already")).toBe("''=already");
    expect(undoFormulaGuard("''=already")).toBe("'=already");
    expect(undoFormulaGuard('plain')).toBe('plain');
  });

  it('reads back every table it writes (parser + guard undone), whatever the text', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '东', ',', '"', '\n', '\r\n', ' ', '=', '+', '-', '@', '\t', "'", ';'), maxLength: 12 });
    fc.assert(fc.property(fc.array(fc.array(text, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (rows) => {
      // Rows that are all empty are not records to the reader (Excel's blank lines), and a lone "\r" is a line end
      // that CSV cannot tell apart from CRLF; neither is something an export writes.
      const written = rows.filter((r) => r.some((v) => v !== '')).map((r) => r.map((v) => v.replace(/\r(?!\n)/g, '')));
      const table = parseCsv(toCsv(['a', 'b', 'c'], written));
      expect(table.headers).toEqual(['a', 'b', 'c']);
      expect(table.records.map((r) => r.values.map(undoFormulaGuard))).toEqual(written.filter((r) => r.some((v) => v !== '')));
    }));
  });
});
