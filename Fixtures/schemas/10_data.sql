-- 10_data.sql: table data that is hard to COPY out and back in: text with
-- tabs, newlines, carriage returns, backslashes, "\." and "\N" lines, NULLs
-- next to empty strings, unicode (incl. 4-byte), bytea, arrays (nested,
-- with NULLs and quoted elements), json/jsonb, numerics (NaN, +-Infinity,
-- huge scale), floats (NaN, +-Infinity, -0, denormals), timestamps with and
-- without time zone (infinity, BC, microseconds; the session time zone is
-- set explicitly), dates, times, intervals, ranges, multiranges, network
-- and geometric types, uuid, bit strings, xml, hstore, citext, enum,
-- composite, domain and base-type values; a table of 5000 rows so that data
-- spans several compression chunks; a table whose rows contain only NULLs;
-- and a final ANALYZE (for pg_dump --with-statistics on 18+).

SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET standard_conforming_strings = on;

CREATE TABLE data.texts (
    id integer PRIMARY KEY,
    label text NOT NULL,
    t text,
    vc varchar(20),
    ch char(5),
    qc "char",
    nm name
);
INSERT INTO data.texts VALUES
    (1, 'plain', 'hello world', 'hello', 'abc', 'a', 'name'),
    (2, 'null', NULL, NULL, NULL, NULL, NULL),
    (3, 'empty', '', '', '', '', ''),
    (4, 'tab', E'a\tb\t', E'\t', E'\t', E'\t', E'n\tm'),
    (5, 'newline', E'line1\nline2\n', E'\n', E'\n', E'\n', E'n\nm'),
    (6, 'crlf', E'line1\r\nline2\r', E'\r', E'\r\n', E'\r', E'n\rm'),
    (7, 'backslash', E'a\\b\\\\c\\', E'\\', E'\\\\', E'\\', E'n\\m'),
    (8, 'copy terminator', E'\\.', E'\\.', E'\\.', '.', E'\\.'),
    (9, 'copy terminator lines', E'before\n\\.\nafter', E'x\n\\.\n', NULL, NULL, NULL),
    (10, 'backslash N', E'\\N', E'\\N', E'\\N', 'N', E'\\N'),
    (11, 'psql meta', E'\n\\! echo pwned\n\\q\n', E'\\! echo', NULL, '!', E'\\!'),
    (12, 'unicode', 'Ünïcødé 表 кириллица العربية', 'ß€', '表表表', 'u', 'Ünïcødé'),
    (13, '4-byte unicode', '😀🎉𝄞 𠜎', '😀', '😀😀', 'x', '😀'),
    (14, 'quotes', 'it''s "quoted" `back`', '''', '"', '''', '"n"'),
    (15, 'control chars', E'\x01\x02\x1b[31mred\x1b[0m\x7f', E'\x08', E'\x0c', E'\x1f', E'\x01'),
    (16, 'spaces', '  leading and trailing  ', ' ', '     ', ' ', ' '),
    (17, 'sql', 'COPY data.texts FROM stdin; DROP TABLE x; --', ';', '--', ';', ';'),
    (18, 'long', repeat('0123456789', 1000), repeat('x', 20), 'fffff', 'z', repeat('n', 63));

CREATE TABLE data.binary (id integer PRIMARY KEY, b bytea);
INSERT INTO data.binary VALUES
    (1, NULL),
    (2, ''::bytea),
    (3, '\x00'::bytea),
    (4, '\x000102030405060708090a0b0c0d0e0f5c2e0a'::bytea),
    (5, convert_to(E'text with \\ and \n and \\.', 'UTF8')),
    (6, (SELECT decode(string_agg(lpad(to_hex(i), 2, '0'), '' ORDER BY i), 'hex')
         FROM generate_series(0, 255) AS i)),
    (7, decode(repeat('ff', 3000), 'hex'));

CREATE TABLE data.numbers (
    id integer PRIMARY KEY,
    i2 smallint, i4 integer, i8 bigint,
    n numeric, n2 numeric(10, 3),
    f4 real, f8 double precision,
    o oid, b boolean, m types.myint
);
INSERT INTO data.numbers VALUES
    (1, 0, 0, 0, 0, 0, 0, 0, 0, false, '0'),
    (2, -32768, -2147483648, -9223372036854775808, -1.5, -1234567.891, -3.4e38, -1.7976931348623157e308, 4294967295, true, '-2147483648'),
    (3, 32767, 2147483647, 9223372036854775807, 'NaN', 1234567.891, 'NaN', 'NaN', 1, NULL, '2147483647'),
    (4, NULL, NULL, NULL, 'Infinity', NULL, 'Infinity', 'Infinity', NULL, NULL, NULL),
    (5, 1, 1, 1, '-Infinity', 0.001, '-Infinity', '-Infinity', 0, true, '1'),
    (6, 2, 2, 2, 0.000000000000000000000000000000000000000001, 0.5, '-0', '-0', 2, false, '2'),
    (7, 3, 3, 3, 12345678901234567890123456789012345678901234567890.123456789012345678901234567890,
        -0.001, 1.17549435e-38, 4.9e-324, 3, true, '3'),
    (8, 4, 4, 4, 1e100, 9999999.999, 0.1, 0.1, 4, true, '4'),
    (9, 5, 5, 5, -0.0, -0.000, 1.0e-45, 2.2250738585072014e-308, 5, false, '5');

CREATE TABLE data.times (
    id integer PRIMARY KEY,
    ts timestamp, tstz timestamptz, d date, t time, ttz timetz, iv interval
);
INSERT INTO data.times VALUES
    (1, '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59.999999+05:30', '2024-02-29',
        '23:59:59.999999', '23:59:59.999999+05:30', '1 year 2 mons 3 days 04:05:06.789'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, 'infinity', 'infinity', 'infinity', '24:00:00', '00:00:00-15:59', '-1 year -2 mons +3 days -04:05:06'),
    (4, '-infinity', '-infinity', '-infinity', '00:00:00', '00:00:00+15:59', '0'),
    (5, '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC', '4713-01-01 BC', '12:00', '12:00+00', '178000000 years'),
    (6, '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59.999999+00', '5874897-12-31',
        '00:00:00.000001', '01:02:03.456-07', '-178000000 years'),
    (7, '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '1970-01-01', '00:00', '00:00+00', '1 microsecond'),
    (8, '2000-01-01 00:00:00', '1999-12-31 19:00:00-05', '2000-01-01', '01:00', '01:00+01', '2147483647 days 2147483647 mons');

CREATE TABLE data.structured (
    id integer PRIMARY KEY,
    ia integer[],
    ta text[],
    ia2 integer[][],
    ca types.address[],
    j json,
    jb jsonb,
    x xml,
    h ext.hstore,
    ci ext.citext,
    mood types.mood,
    addr types.address,
    pos types.posint,
    fr types.floatrange,
    mr int4multirange,
    tr tstzrange,
    u uuid,
    ip inet,
    net cidr,
    mac macaddr,
    bits bit(8),
    vbits varbit,
    pt point,
    bx box,
    pg polygon,
    tsv tsvector,
    tsq tsquery
);
INSERT INTO data.structured VALUES
    (1, '{1,2,3}', '{"a","b c","d\"e","f\\g",NULL,"NULL",""}', '{{1,2},{3,4}}',
     ARRAY[ROW('1 Main St', 'Town', '12345', '(1,2)')::types.address, NULL],
     '{"a": 1, "b": [true, false, null], "c": "tab\there", "d": "\u00fc"}',
     '{"z": 1, "a": {"nested": [1, 2.50, "x\ny"]}, "e": ""}',
     '<root attr="v">text &amp; <child/></root>',
     'a=>1, "b c"=>"d\"e", nul=>NULL', 'MiXeD',
     'happy', ROW('2 Side St', NULL, '99999', NULL), 7,
     '[1.5,2.5)', '{[1,3), [5,7)}', '[2024-01-01 00:00+00,2024-12-31 23:59:59+00]',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
     B'10101010', B'1', '(1.5,-2.5)', '((0,0),(1,1))', '((0,0),(1,0),(0,1))',
     'a fat:2 cat:1A sat', 'fat & (rat | cat)'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, '{}', '{}', '{}', '{}', '{}', '{}', '', '', '', 'miserable', ROW(NULL, NULL, NULL, NULL), 1,
     'empty', '{}', 'empty', '00000000-0000-0000-0000-000000000000', '::1', '::/0', 'ff:ff:ff:ff:ff:ff',
     B'00000000', B'', '(0,0)', '((0,0),(0,0))', '((0,0))', '', ''),
    (4, '[0:2]={7,8,9}', ARRAY[E'tab\there', E'nl\nhere', E'bs\\here', E'\\.'], '{{NULL,NULL}}',
     '{}', '[1, "two", {"three": 3}]', '[]', '<a>ünï 表</a>', '"表"=>"ünï"', 'ÜNÏ',
     'ecstatic', ROW(E'multi\nline', 'x', 'y', '(0,0)'), 2147483647,
     '(,0]', '{(,)}', '(,)', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '2001:db8::1/128', '2001:db8::/32',
     '00:00:00:00:00:00', B'11111111', B'0101010101010101010101', '(1e-300,-1e300)', '((-1,-1),(1,1))',
     '((1,1),(2,2),(3,1))', E'''tab\there'':1 ''quote''''s'':2', E'''a b'' & !c');

-- Rows that are all NULL, and a wide-ish table.
CREATE TABLE data.all_nulls (a integer, b text, c jsonb, d bytea);
INSERT INTO data.all_nulls SELECT NULL, NULL, NULL, NULL FROM generate_series(1, 3);

-- 5000 rows, about 300 kB of COPY text, so that compressed table data spans
-- several chunks in custom and directory archives.
CREATE TABLE data.big (
    id integer PRIMARY KEY,
    hash text NOT NULL,
    pad text,
    num numeric,
    ts timestamptz,
    flag boolean
);
INSERT INTO data.big
SELECT i,
       md5(i::text),
       CASE WHEN i % 10 = 0 THEN NULL ELSE repeat(chr(65 + i % 26), i % 40) END,
       round((i * 3.14159)::numeric, 3),
       timestamptz '2024-01-01 00:00:00+00' + i * interval '17 minutes 3.25 seconds',
       i % 3 = 0
FROM generate_series(1, 5000) AS i;
COMMENT ON TABLE data.big IS '5000 generated rows';

-- ANALYZE local tables only (a database-wide ANALYZE would try to reach the
-- foreign servers, also through parents of foreign tables).
DO $analyze$
DECLARE
    rel regclass;
BEGIN
    FOR rel IN
        SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%'
          AND c.relpersistence <> 't'
          AND NOT (c.relkind = 'm' AND NOT c.relispopulated)
          AND NOT EXISTS (SELECT FROM pg_inherits i JOIN pg_class f ON f.oid = i.inhrelid
                          WHERE i.inhparent = c.oid AND f.relkind = 'f')
        ORDER BY c.oid
    LOOP
        EXECUTE format('ANALYZE %s', rel);
    END LOOP;
END
$analyze$;
