import { describe, expect, it } from 'vitest';
import { bindNamed, splitStatements } from '../../src/store/sqltext.js';

describe('splitStatements', () => {
  it('splits on semicolons in code only', () => {
    const text = `
      CREATE TABLE a (x text DEFAULT 'a;b');   -- a comment; with a semicolon
      /* block; /* nested; */ still comment; */
      CREATE TABLE "we;ird" (y int);
      CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; SELECT 2; $body$ LANGUAGE sql;
      SELECT $$;$$, E'it\\'s;', 'it''s;';
      ;;
      -- trailing comment only
    `;
    const statements = splitStatements(text);
    expect(statements).toHaveLength(4);
    expect(statements[0]).toBe(`CREATE TABLE a (x text DEFAULT 'a;b')`);
    expect(statements[1]).toContain('CREATE TABLE "we;ird" (y int)');
    expect(statements[1]).toMatch(/^-- a comment; with a semicolon/);
    expect(statements[2]).toBe('CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; SELECT 2; $body$ LANGUAGE sql');
    expect(statements[3]).toBe(`SELECT $$;$$, E'it\\'s;', 'it''s;'`);
  });

  it('rejects unterminated strings and quotes', () => {
    expect(() => splitStatements("SELECT 'abc")).toThrow(/unterminated string/);
    expect(() => splitStatements('SELECT $x$ abc')).toThrow(/unterminated dollar-quoted/);
    expect(() => splitStatements('SELECT 1 /* abc')).toThrow(/unterminated/);
  });
});

describe('bindNamed', () => {
  it('binds :name placeholders as parameters, leaving casts, strings and comments alone', () => {
    const f = bindNamed(
      `-- :not_a_param in a comment
       SELECT ':nope', x::text, :a::timestamptz, "col:umn", :b, :a FROM t WHERE y = $$ :no $$`,
      { a: '2024-01-01T00:00:00Z', b: 3 },
    );
    expect(f.values).toEqual(['2024-01-01T00:00:00Z', 3, '2024-01-01T00:00:00Z']);
    expect(f.sql).toContain('$slonik_1::timestamptz');
    expect(f.sql).toContain(', $slonik_2, $slonik_3 FROM');
    expect(f.sql).toContain("':nope'");
    expect(f.sql).toContain(':not_a_param');
    expect(f.sql).toContain('$$ :no $$');
  });

  it('fails on a placeholder without a value and on a value without a placeholder', () => {
    expect(() => bindNamed('SELECT :a, :b', { a: 1 })).toThrow(/no value for :b/);
    expect(() => bindNamed('SELECT :a', { a: 1, c: 2 })).toThrow(/:c/);
  });

  it('never puts a value into the text', () => {
    const evil = "'); DROP TABLE runs; --";
    const f = bindNamed('SELECT :v', { v: evil });
    expect(f.sql).not.toContain('DROP');
    expect(f.values).toEqual([evil]);
  });
});
