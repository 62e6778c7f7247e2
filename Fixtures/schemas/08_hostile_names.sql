-- 08_hostile_names.sql: identifiers that are hard to quote, sanitize or print:
-- double and single quotes, spaces, backslashes, newlines, carriage returns,
-- tabs, unicode, SQL keywords ("select", "user", "order"), upper and mixed
-- case, 63-byte names, names containing "*/", "--", ";", "$$" and psql
-- variable syntax; used for schemas, tables, columns, indexes, constraints,
-- functions and their arguments, types and enum labels, sequences, views,
-- triggers, rules, policies and owners. Comments contain quotes,
-- backslashes, newlines, lines that look like psql meta-commands
-- ("\! echo pwned") and a COPY terminator ("\.") on a line of its own.
-- CR, LF and tab inside identifiers are written with U&"..." escapes so that
-- this file itself stays plain text.

SET client_min_messages = warning;
SET standard_conforming_strings = on;

CREATE SCHEMA "Ünïcødé 表";
COMMENT ON SCHEMA "Ünïcødé 表" IS 'unicode schema: Ünïcødé 表 😀';
CREATE SCHEMA "select";
CREATE SCHEMA "UPPER";
CREATE SCHEMA U&"evil ""schema"" 'with' \005C back\000Anewline"
    AUTHORIZATION "cbd ""quoted"" role";
COMMENT ON SCHEMA U&"evil ""schema"" 'with' \005C back\000Anewline" IS 'comment with ''quotes'', "double quotes", a \backslash,
a newline, and then:
\! echo pwned
\.
-- not a comment */ /* nor this
:''var'' :"var" :var';

-- Tables in the unicode and keyword schemas.
CREATE TABLE "Ünïcødé 表"."Ünïcødé 表" (
    "ключ" integer PRIMARY KEY,
    "値" text,
    "émoji 😀" text
);
INSERT INTO "Ünïcødé 表"."Ünïcødé 表" VALUES (1, '値', '😀'), (2, 'ß', NULL);
COMMENT ON TABLE "Ünïcødé 表"."Ünïcødé 表" IS 'таблица 表 Ünïcødé';
COMMENT ON COLUMN "Ünïcødé 表"."Ünïcødé 表"."値" IS 'a value 値';

CREATE TABLE "select"."select" (
    "select" integer,
    "user" text,
    "order" text,
    "from" date,
    "table" boolean,
    "UPPER" text,
    "MixedCase" text,
    lower_case text,
    CONSTRAINT "primary" PRIMARY KEY ("select"),
    CONSTRAINT "check" CHECK ("order" <> 'by')
);
INSERT INTO "select"."select" VALUES
    (1, 'current_user', 'asc', '2024-01-01', true, 'UP', 'Mi', 'lo'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE INDEX "index" ON "select"."select" ("user", "order");
CREATE VIEW "select"."view" AS SELECT "select", "user" AS "group" FROM "select"."select";
CREATE SEQUENCE "select"."sequence";
SELECT setval('"select"."sequence"', 3);

CREATE TABLE "UPPER"."TABLE" ("ID" integer PRIMARY KEY, "Name" text, "NAME" text, name text);
INSERT INTO "UPPER"."TABLE" VALUES (1, 'Mixed', 'UPPER', 'lower');
CREATE TABLE "UPPER"."MixedCase Table" ("Id" integer REFERENCES "UPPER"."TABLE" ("ID"));
INSERT INTO "UPPER"."MixedCase Table" VALUES (1);

-- The evil schema.
SET search_path = U&"evil ""schema"" 'with' \005C back\000Anewline", public;

CREATE TYPE "enum ""type"" 'x'" AS ENUM ('a''b', 'c"d', 'e\f', 'g
h', 'ünï 表', 'with space', ')');
COMMENT ON TYPE "enum ""type"" 'x'" IS 'enum labels with quotes, a backslash and a newline';

CREATE TYPE "comp ""type""" AS ("a ""field""" integer, "b\field" text);

CREATE TABLE U&"tab ""q"" 'x' \005C\000Dcr" (
    "id" integer NOT NULL,
    "select" text DEFAULT 'it''s a \ "default"',
    "user" text,
    "order" integer,
    "Col ""Q""" text,
    U&"col\000Anl" text,
    U&"col\0009tab" text,
    "ünï 表" text,
    "UPPER" text,
    "with space" text,
    "back\slash" text,
    "a */ b -- c; d" text,
    "$$ dollar $$" text,
    ":foo :'bar' :""baz""" text,
    "%s %d %n" text,
    "e ""enum""" "enum ""type"" 'x'",
    "c ""comp""" "comp ""type""",
    CONSTRAINT "pk ""q"" 'x'" PRIMARY KEY ("id"),
    CONSTRAINT "chk ""q"" 'x' \ ; DROP TABLE x; --" CHECK ("order" IS NULL OR "order" >= 0),
    CONSTRAINT U&"uniq\000Anewline" UNIQUE ("user", "order")
);
COMMENT ON TABLE U&"tab ""q"" 'x' \005C\000Dcr" IS 'hostile table
\! echo pwned
\.
end of comment';
COMMENT ON COLUMN U&"tab ""q"" 'x' \005C\000Dcr"."select" IS 'column "select" comment with \ and ''';
COMMENT ON COLUMN U&"tab ""q"" 'x' \005C\000Dcr".U&"col\000Anl" IS 'column with a newline in its name';
COMMENT ON CONSTRAINT "chk ""q"" 'x' \ ; DROP TABLE x; --" ON U&"tab ""q"" 'x' \005C\000Dcr"
    IS 'constraint comment; DROP TABLE nothing; --';
CREATE INDEX U&"idx\000Dcr ""q"" 'x'" ON U&"tab ""q"" 'x' \005C\000Dcr" ("Col ""Q""", lower("ünï 表"));
COMMENT ON INDEX U&"idx\000Dcr ""q"" 'x'" IS 'index comment: \.';
CREATE INDEX "idx on ""order""" ON U&"tab ""q"" 'x' \005C\000Dcr" ("order") WHERE "select" <> '\.';

INSERT INTO U&"tab ""q"" 'x' \005C\000Dcr" VALUES
    (1, 'tab	inside', 'new
line', 1, 'back\slash', '\.', E'\\.\n\\.', 'ünï 表 😀', 'UP', ' lead and trail ', '\N',
     '*/ -- ;', '$$', ':foo', '%s', 'a''b', ROW(1, 'c"d')),
    (2, NULL, NULL, NULL, '', '', NULL, NULL, NULL, '', '\\N', NULL, NULL, NULL, NULL,
     'e\f', NULL),
    (3, E'\r\n', E'\\', 3, E'\x01\x7f', 'COPY x FROM stdin;', '\\.', E'\u00e9', NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, 'g
h', ROW(NULL, NULL));

-- Functions with hostile names, argument names and bodies.
CREATE FUNCTION "fn ""q"" 'x' \ (" ("a ""arg""" integer, "b 'arg'" text DEFAULT 'd''efault \ "x"')
    RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $body$ SELECT $1::text || $2 || ' $$ \. ' $body$;
COMMENT ON FUNCTION "fn ""q"" 'x' \ (" (integer, text) IS 'function comment
\! echo pwned';
CREATE FUNCTION U&"fn\000Anewline"() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION "$$"() RETURNS text LANGUAGE plpgsql AS $f$ BEGIN RETURN '$$'; END $f$;
CREATE FUNCTION "trig ""fn"""() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "trig ""q"" 'x' \ " BEFORE INSERT ON U&"tab ""q"" 'x' \005C\000Dcr"
    FOR EACH ROW EXECUTE FUNCTION "trig ""fn"""('arg ''1''', 'arg \ 2', 'arg
3');
CREATE RULE "rule ""q"" 'x'" AS ON DELETE TO U&"tab ""q"" 'x' \005C\000Dcr"
    WHERE old."id" < 0 DO INSTEAD NOTHING;
ALTER TABLE U&"tab ""q"" 'x' \005C\000Dcr" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "policy ""q"" 'x' \" ON U&"tab ""q"" 'x' \005C\000Dcr"
    USING ("user" = current_user OR "user" = 'it''s \ me');

CREATE SEQUENCE "seq ""q"" 'x' \";
SELECT setval('"seq ""q"" ''x'' \"', 10);
CREATE VIEW "view ""q"" 'x'
newline" AS SELECT "id", "select" AS "select ""alias""" FROM U&"tab ""q"" 'x' \005C\000Dcr";
CREATE MATERIALIZED VIEW "mv ""q""" AS SELECT count(*) AS "count ""q""" FROM U&"tab ""q"" 'x' \005C\000Dcr";

-- Names of the maximum length (63 bytes), ASCII and multibyte.
CREATE TABLE "t23456789012345678901234567890123456789012345678901234567890123" (
    "c23456789012345678901234567890123456789012345678901234567890123" integer
);
CREATE TABLE "表表表表表表表表表表表表表表表表表表表表表" ("ü" integer);
INSERT INTO "t23456789012345678901234567890123456789012345678901234567890123" VALUES (63);

-- A tab in a name, and a foreign key between hostile tables.
CREATE TABLE U&"tab\0009name" ("ref" integer REFERENCES U&"tab ""q"" 'x' \005C\000Dcr" ("id")
    ON DELETE CASCADE);
INSERT INTO U&"tab\0009name" VALUES (1), (NULL);

ALTER TABLE U&"tab ""q"" 'x' \005C\000Dcr" OWNER TO "cbd ""quoted"" role";
GRANT SELECT ("select", "user") ON U&"tab ""q"" 'x' \005C\000Dcr" TO "Cbd_MixedCase";
GRANT ALL ON SCHEMA U&"evil ""schema"" 'with' \005C back\000Anewline" TO "Cbd_MixedCase";

RESET search_path;
