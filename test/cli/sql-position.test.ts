import { describe, expect, it } from 'vitest';
import { caretLines, mapOffset, offsetOfPosition, placeOf } from '../../cli/sql-position';

// Issue 22 item 4: the engine's error position (1-based, in characters, into the SQL it ran) is
// mapped to the SQL the user wrote only where the twin's rewrite kept the token: never a wrong caret.
describe('offsetOfPosition', () => {
  it('counts characters as PostgreSQL does, not UTF-16 units', () => {
    const sql = "select '😀é' || titel";
    expect(offsetOfPosition(sql, 16)).toBe(sql.indexOf('titel'));
    expect(offsetOfPosition(sql, 1)).toBe(0);
  });

  it('takes one past the end (an error at the end of the input), nothing beyond', () => {
    expect(offsetOfPosition('select 1 +', 11)).toBe(10);
    expect(offsetOfPosition('select 1 +', 12)).toBeUndefined();
    expect(offsetOfPosition('select 1', 0)).toBeUndefined();
  });
});

describe('placeOf and caretLines', () => {
  it('gives the line, the column in characters, and a caret that keeps the line’s tabs', () => {
    const source = '-- top songs\nSELECT\n\t😀, titel\nFROM songs';
    const place = placeOf(source, source.indexOf('titel'));
    expect(place).toEqual({ line: 3, column: 5 });
    expect(caretLines(source, place)).toEqual(['\t😀, titel', '\t   ^']);
  });

  it('gives no caret for a place outside the text', () => {
    expect(caretLines('select 1', { line: 2, column: 1 })).toBeUndefined();
    expect(caretLines('select 1', { line: 1, column: 10 })).toBeUndefined();
  });
});

describe('mapOffset', () => {
  it('maps SQL the twin ran unchanged as it is', () => {
    expect(mapOffset('select titel from songs', 'select titel from songs', 7)).toBe(7);
  });

  it('follows a token past a rewrite before it (TOP moved to LIMIT, NVL to COALESCE)', () => {
    const written = 'select top 3 nvl(titel, 1) from songs';
    const sent = 'select COALESCE(titel, 1) from songs LIMIT 3';
    expect(mapOffset(sent, written, sent.indexOf('titel') + 2)).toBe(written.indexOf('titel') + 2);
  });

  it('maps a token the rewrite moved only to where it came from', () => {
    const written = 'select top 10 a, 10 from t';
    const sent = 'select a, 10 from t LIMIT 10';
    // The select list's 10 is the written one's second; the LIMIT's is the rewrite's own place for TOP's.
    expect(mapOffset(sent, written, sent.indexOf('10'))).toBe(written.lastIndexOf('10'));
    expect(mapOffset(sent, written, sent.lastIndexOf('10'))).toBeUndefined();
  });

  it('gives no place for a token the rewrite copied (an inlined lateral alias): either copy could be meant', () => {
    const written = 'select titel as t, t as u from songs';
    const sent = 'select titel as t, (titel) as u from songs';
    expect(mapOffset(sent, written, sent.indexOf('titel'))).toBeUndefined();
    expect(mapOffset(sent, written, sent.lastIndexOf('titel'))).toBeUndefined();
  });

  it('gives no place for text the rewrite wrote', () => {
    const written = 'select nvl(a, 1) from t';
    const sent = 'select COALESCE(a, 1) from t';
    expect(mapOffset(sent, written, sent.indexOf('COALESCE'))).toBeUndefined();
    expect(mapOffset(sent, written, sent.length)).toBeUndefined();
  });
});
