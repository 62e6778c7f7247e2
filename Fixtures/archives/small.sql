-- small.sql: the extra objects of the committed archives (loaded after
-- Fixtures/schemas/01_basics.sql by scripts/make-fixture-archives.sh): one
-- tiny table whose data is awkward for COPY (tabs, newlines, backslashes, a
-- "\." line, NULL next to an empty string, unicode, bytea), a comment with
-- a newline and a psql meta-command look-alike, and two large objects with
-- fixed OIDs (one empty, one of 16400 bytes spanning two 16 kB LO buffers, with a
-- comment and an ACL).

SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET standard_conforming_strings = on;

CREATE TABLE data.tiny (
    id integer PRIMARY KEY,
    t text,
    b bytea,
    ts timestamptz,
    n numeric,
    a text[]
);
COMMENT ON TABLE data.tiny IS 'tiny table
\! echo pwned
\.
with awkward rows';
INSERT INTO data.tiny VALUES
    (1, 'plain', '\x00ff'::bytea, '2024-02-29 12:34:56.789+05:30', 1.50, '{a,"b c"}'),
    (2, NULL, NULL, NULL, NULL, NULL),
    (3, '', ''::bytea, 'infinity', 'NaN', '{}'),
    (4, E'tab\there\nnewline\r\nbackslash\\ end', '\x5c2e0a'::bytea, '1999-12-31 23:59:59+00', -0.001,
        ARRAY[E'x\ty', NULL, '"q"']),
    (5, E'\\.', convert_to(E'\\.\n', 'UTF8'), '2000-01-01 00:00+00', 1e20, '{"\\\\"}'),
    (6, E'line1\n\\.\nline3', NULL, NULL, NULL, NULL),
    (7, 'Ünïcødé 表 😀', '\xe8a1a8'::bytea, NULL, 0, '{ü}');

SELECT lo_from_bytea(200001, ''::bytea);
SELECT lo_from_bytea(200002,
    (SELECT decode(string_agg(lpad(to_hex((i * 31 + i / 256) % 256), 2, '0'), '' ORDER BY i), 'hex')
     FROM generate_series(0, 16399) AS i));
COMMENT ON LARGE OBJECT 200002 IS '16400 bytes';
GRANT SELECT ON LARGE OBJECT 200002 TO cbd_reader;
