--
-- 15_pg_dump_tap.sql
--
-- Derived from PostgreSQL's src/bin/pg_dump/t/002_pg_dump.pl (the create_sql
-- entries of its %tests hash), PostgreSQL 15 branch (release 15.18 source).
-- Portions Copyright (c) 1996-2022, PostgreSQL Global Development Group;
-- distributed under the PostgreSQL License.
--
-- The statements are emitted in the order in which the TAP test runs them:
-- sorted by create_order, ties broken by test name (the Perl itself leaves
-- ties in hash order), entries without create_order last.
-- Each statement is preceded by a comment "-- [create_order] test name".
--
-- Target: a fresh database on a PostgreSQL 15 server (also loads on 16-18),
-- loaded with:
--     psql -X -v ON_ERROR_STOP=1 -d <fresh database> -f tap_objects.sql
-- Requires a superuser (C-language function, language, event trigger,
-- catalog grants, pg_largeobject reads).
--
-- Deviations from the TAP test:
--  * Roles are created first, in guarded DO blocks (see below), instead of
--    by the test's 'CREATE ROLE ...' entries, so the script can be rerun on
--    the same cluster.
--  * Entries that create or act on other databases, and the subscription,
--    are left out (listed at the end of this file).
--  * A trailing ';' is added to create_sql strings that lack one.
--  * Five entries marked "from newer upstream 002_pg_dump.pl" are not in
--    15.18 but in the newer file of postgres/postgres (commit
--    cd3c45125d2d92e86ad7530b162562a23d063c26); their SQL runs on 15.
--    Newer entries that need PostgreSQL 16+ are in 16_pg_dump_tap_newer.sql.
--
\set ON_ERROR_STOP 1

-- Build-feature probes (psql variables), mirroring the TAP test, which skips
-- entries flagged icu => 1 / lz4 => 1 when the server lacks that support.
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE collprovider = 'i'
                                                 AND collname LIKE '%-x-icu')
       AND pg_catalog.getdatabaseencoding() <> 'SQL_ASCII' AS tap_have_icu,
       EXISTS (SELECT 1 FROM pg_catalog.pg_settings
               WHERE name = 'default_toast_compression'
                 AND 'lz4' = ANY (enumvals)) AS tap_have_lz4
\gset

-- Roles are cluster-wide objects: they are NOT removed when the database
-- is dropped, and they survive into other databases of the same cluster.
-- They are created only if missing so that this file can be loaded again
-- into another fresh database on the same cluster.
-- From the TAP entries 'CREATE ROLE regress_dump_test_role',
-- 'CREATE ROLE regress_quoted...' and the role part of
-- 'newline of role or table name in comment'.
DO $do$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
	               WHERE rolname = 'regress_dump_test_role') THEN
		CREATE ROLE regress_dump_test_role;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
	               WHERE rolname = 'regress_quoted  \" role') THEN
		CREATE ROLE "regress_quoted  \"" role";
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
	               WHERE rolname = E'regress_newline\nattack') THEN
		CREATE ROLE regress_newline;
		ALTER ROLE regress_newline SET enable_seqscan = off;
		ALTER ROLE regress_newline
			RENAME TO "regress_newline
attack";
	END IF;
END
$do$;

-- [2] CREATE SCHEMA dump_test
CREATE SCHEMA dump_test;

-- [3] CREATE TABLE test_compression (lz4 => 1)
\if :tap_have_lz4
CREATE TABLE dump_test.test_compression (
						   col1 int,
						   col2 text COMPRESSION lz4
					   );
\else
\echo 'skipped "CREATE TABLE test_compression": server built without LZ4'
\endif

-- [3] CREATE TABLE test_table
CREATE TABLE dump_test.test_table (
						   col1 serial primary key,
						   col2 text COMPRESSION pglz,
						   col3 text,
						   col4 text,
						   CHECK (col1 <= 1000)
					   ) WITH (autovacuum_enabled = false, fillfactor=80);
					   COMMENT ON CONSTRAINT test_table_col1_check
						 ON dump_test.test_table IS 'bounds check';

-- [3] CREATE TABLE test_table_generated
CREATE TABLE dump_test.test_table_generated (
						   col1 int primary key,
						   col2 int generated always as (col1 * 2) stored
					   );

-- [3] CREATE TABLE test_table_identity
CREATE TABLE dump_test.test_table_identity (
						   col1 int generated always as identity primary key,
						   col2 text
					   );

-- [4] ALTER TABLE (partitioned) ADD CONSTRAINT ... FOREIGN KEY
CREATE TABLE dump_test.test_table_fk (
							col1 int references dump_test.test_table)
							PARTITION BY RANGE (col1);
							CREATE TABLE dump_test.test_table_fk_1
							PARTITION OF dump_test.test_table_fk
							FOR VALUES FROM (0) TO (10);

-- [4] COPY test_table
INSERT INTO dump_test.test_table (col1) SELECT generate_series FROM generate_series(1,9);

-- [4] CREATE TABLE test_table_generated_child1 (without local columns)
CREATE TABLE dump_test.test_table_generated_child1 ()
						 INHERITS (dump_test.test_table_generated);

-- [4] CREATE TABLE test_table_generated_child2 (with local columns)
CREATE TABLE dump_test.test_table_generated_child2 (
						   col1 int,
						   col2 int
						 ) INHERITS (dump_test.test_table_generated);

-- [5] GRANT SELECT ON TABLE test_table
GRANT SELECT ON TABLE dump_test.test_table
						   TO regress_dump_test_role;

-- [6] CREATE TABLE test_fourth_table_zero_col
CREATE TABLE dump_test.test_fourth_table (
					   );

-- [6] CREATE TABLE test_second_table
CREATE TABLE dump_test.test_second_table (
						   col1 int,
						   col2 text
					   );

-- [6] CREATE TABLE test_seventh_table
CREATE TABLE dump_test.test_seventh_table (
						   col1 int,
						   col2 text,
						   col3 bytea
					   );

-- [6] CREATE TABLE test_sixth_table
CREATE TABLE dump_test.test_sixth_table (
						   col1 int,
						   col2 text,
						   col3 bytea
					   );

-- [6] CREATE TABLE test_third_table_generated_cols
CREATE TABLE dump_test.test_third_table (
						f1 int, junk int,
						g1 int generated always as (f1 * 2) stored,
						"F3" int,
						g2 int generated always as ("F3" * 3) stored
					);
					ALTER TABLE dump_test.test_third_table DROP COLUMN junk;

-- [7] COPY test_fourth_table
INSERT INTO dump_test.test_fourth_table DEFAULT VALUES;INSERT INTO dump_test.test_fourth_table DEFAULT VALUES;

-- [7] COPY test_second_table
INSERT INTO dump_test.test_second_table (col1, col2) SELECT generate_series, generate_series::text FROM generate_series(1,9);

-- [7] COPY test_third_table
INSERT INTO dump_test.test_third_table VALUES (123, DEFAULT, 456);

-- [8] GRANT INSERT(col1) ON TABLE test_second_table
GRANT INSERT (col1) ON TABLE dump_test.test_second_table
						   TO regress_dump_test_role;

-- [9] CREATE SCHEMA dump_test_second_schema
CREATE SCHEMA dump_test_second_schema;

-- [10] GRANT USAGE ON SCHEMA dump_test_second_schema
GRANT USAGE ON SCHEMA dump_test_second_schema
						   TO regress_dump_test_role;

-- [11] CREATE ACCESS METHOD regress_test_table_am
CREATE ACCESS METHOD regress_table_am TYPE TABLE HANDLER heap_tableam_handler;

-- [12] CREATE TABLE regress_pg_dump_table_am

			CREATE TABLE dump_test.regress_pg_dump_table_am_0() USING heap;
			CREATE TABLE dump_test.regress_pg_dump_table_am_1 (col1 int) USING regress_table_am;
			CREATE TABLE dump_test.regress_pg_dump_table_am_2() USING heap;

-- [13] CREATE MATERIALIZED VIEW regress_pg_dump_matview_am

			CREATE MATERIALIZED VIEW dump_test.regress_pg_dump_matview_am_0 USING heap AS SELECT 1;
			CREATE MATERIALIZED VIEW dump_test.regress_pg_dump_matview_am_1
				USING regress_table_am AS SELECT count(*) FROM pg_class;
			CREATE MATERIALIZED VIEW dump_test.regress_pg_dump_matview_am_2 USING heap AS SELECT 1;

-- [14] ALTER DEFAULT PRIVILEGES FOR ROLE regress_dump_test_role GRANT
ALTER DEFAULT PRIVILEGES
					   FOR ROLE regress_dump_test_role IN SCHEMA dump_test
					   GRANT SELECT ON TABLES TO regress_dump_test_role;

-- [15] ALTER DEFAULT PRIVILEGES FOR ROLE regress_dump_test_role GRANT EXECUTE ON FUNCTIONS
ALTER DEFAULT PRIVILEGES
					   FOR ROLE regress_dump_test_role IN SCHEMA dump_test
					   GRANT EXECUTE ON FUNCTIONS TO regress_dump_test_role;

-- [15] ALTER SCHEMA public OWNER TO
ALTER SCHEMA public OWNER TO "regress_quoted  \"" role";

-- [15] REVOKE EXECUTE ON FUNCTION pg_sleep() FROM public
REVOKE EXECUTE ON FUNCTION pg_sleep(float8)
						   FROM public;

-- [15] REVOKE EXECUTE ON FUNCTION pg_stat_reset FROM regress_dump_test_role

			ALTER FUNCTION pg_stat_reset OWNER TO regress_dump_test_role;
			REVOKE EXECUTE ON FUNCTION pg_stat_reset
			  FROM regress_dump_test_role;

-- [16] GRANT EXECUTE ON FUNCTION pg_sleep() TO regress_dump_test_role
GRANT EXECUTE ON FUNCTION pg_sleep(float8)
						   TO regress_dump_test_role;

-- [16] REVOKE ALL ON SCHEMA public
REVOKE ALL ON SCHEMA public FROM "regress_quoted  \"" role";

-- [16] REVOKE USAGE ON LANGUAGE plpgsql FROM public
REVOKE USAGE ON LANGUAGE plpgsql FROM public;

-- [17] CREATE FUNCTION dump_test.pltestlang_call_handler
CREATE FUNCTION dump_test.pltestlang_call_handler()
					   RETURNS LANGUAGE_HANDLER AS '$libdir/plpgsql',
					   'plpgsql_call_handler' LANGUAGE C;

-- [18] CREATE LANGUAGE pltestlang
CREATE LANGUAGE pltestlang
					   HANDLER dump_test.pltestlang_call_handler;

-- [20] CREATE MATERIALIZED VIEW matview
CREATE MATERIALIZED VIEW dump_test.matview (col1) AS
					   SELECT col1 FROM dump_test.test_table;

-- [20] CREATE MATERIALIZED VIEW matview_compression (lz4 => 1)
\if :tap_have_lz4
CREATE MATERIALIZED VIEW
						   dump_test.matview_compression (col2) AS
						   SELECT col2 FROM dump_test.test_table;
						   ALTER MATERIALIZED VIEW dump_test.matview_compression
						   ALTER COLUMN col2 SET COMPRESSION lz4;
\else
\echo 'skipped "CREATE MATERIALIZED VIEW matview_compression": server built without LZ4'
\endif

-- [21] CREATE MATERIALIZED VIEW matview_second
CREATE MATERIALIZED VIEW
						   dump_test.matview_second (col1) AS
						   SELECT * FROM dump_test.matview;

-- [21] CREATE TABLE fk_reference_test_table
CREATE TABLE dump_test.fk_reference_test_table (
						   col1 int primary key references dump_test.test_table
					   );

-- [22] COPY fk_reference_test_table
INSERT INTO dump_test.fk_reference_test_table (col1) SELECT generate_series FROM generate_series(1,5);

-- [22] CREATE POLICY p1 ON test_table
CREATE POLICY p1 ON dump_test.test_table
						   USING (true)
						   WITH CHECK (true);

-- [23] ALTER TABLE test_table ENABLE ROW LEVEL SECURITY
ALTER TABLE dump_test.test_table
					   ENABLE ROW LEVEL SECURITY;

-- [24] CREATE POLICY p2 ON test_table FOR SELECT
CREATE POLICY p2 ON dump_test.test_table
						   FOR SELECT TO regress_dump_test_role USING (true);

-- [25] CREATE AGGREGATE dump_test.newavg
CREATE AGGREGATE dump_test.newavg (
						  sfunc = int4_avg_accum,
						  basetype = int4,
						  stype = _int8,
						  finalfunc = int8_avg,
						  finalfunc_modify = shareable,
						  initcond1 = '{0,0}'
					   );

-- [25] CREATE POLICY p3 ON test_table FOR INSERT
CREATE POLICY p3 ON dump_test.test_table
						   FOR INSERT TO regress_dump_test_role WITH CHECK (true);

-- [26] CREATE POLICY p4 ON test_table FOR UPDATE
CREATE POLICY p4 ON dump_test.test_table FOR UPDATE
						   TO regress_dump_test_role USING (true) WITH CHECK (true);

-- [27] CREATE POLICY p5 ON test_table FOR DELETE
CREATE POLICY p5 ON dump_test.test_table
						   FOR DELETE TO regress_dump_test_role USING (true);

-- [27] CREATE POLICY p6 ON test_table AS RESTRICTIVE
CREATE POLICY p6 ON dump_test.test_table AS RESTRICTIVE
						   USING (false);

-- [29] CREATE DOMAIN dump_test.us_postal_code
CREATE DOMAIN dump_test.us_postal_code AS TEXT
		               COLLATE "C"
					   DEFAULT '10014'
					   CHECK(VALUE ~ '^\d{5}$' OR
							 VALUE ~ '^\d{5}-\d{4}$');
					   COMMENT ON CONSTRAINT us_postal_code_check
						 ON DOMAIN dump_test.us_postal_code IS 'check it';

-- [30] CREATE FUNCTION dump_test.trigger_func
CREATE FUNCTION dump_test.trigger_func()
					   RETURNS trigger LANGUAGE plpgsql
					   AS $$ BEGIN RETURN NULL; END;$$;

-- [31] CREATE TRIGGER test_trigger
CREATE TRIGGER test_trigger
					   BEFORE INSERT ON dump_test.test_table
					   FOR EACH ROW WHEN (NEW.col1 > 10)
					   EXECUTE FUNCTION dump_test.trigger_func();

-- [32] CREATE FUNCTION dump_test.event_trigger_func
CREATE FUNCTION dump_test.event_trigger_func()
					   RETURNS event_trigger LANGUAGE plpgsql
					   AS $$ BEGIN RETURN; END;$$;

-- [33] CREATE EVENT TRIGGER test_event_trigger
CREATE EVENT TRIGGER test_event_trigger
					   ON ddl_command_start
					   EXECUTE FUNCTION dump_test.event_trigger_func();

-- [34] CREATE TRANSFORM FOR int
CREATE TRANSFORM FOR int LANGUAGE SQL (FROM SQL WITH FUNCTION prsd_lextype(internal), TO SQL WITH FUNCTION int4recv(internal));

-- [35] CREATE FOREIGN DATA WRAPPER dummy
CREATE FOREIGN DATA WRAPPER dummy;

-- [36] COMMENT ON COLUMN dump_test.test_table.col1
COMMENT ON COLUMN dump_test.test_table.col1
					   IS 'comment on column';

-- [36] COMMENT ON TABLE dump_test.test_table
COMMENT ON TABLE dump_test.test_table
					   IS 'comment on table';

-- [36] CREATE SERVER s1 FOREIGN DATA WRAPPER dummy
CREATE SERVER s1 FOREIGN DATA WRAPPER dummy;

-- [37] CREATE TYPE dump_test.planets AS ENUM
CREATE TYPE dump_test.planets
					   AS ENUM ( 'venus', 'earth', 'mars' );

-- [38] CREATE TYPE dump_test.textrange AS RANGE
CREATE TYPE dump_test.textrange
					   AS RANGE (subtype=text, collation="C");

-- [39] CREATE TYPE dump_test.int42
CREATE TYPE dump_test.int42;

-- [39] CREATE TYPE dump_test.undefined
CREATE TYPE dump_test.undefined;

-- [40] CREATE FUNCTION dump_test.int42_in
CREATE FUNCTION dump_test.int42_in(cstring)
					   RETURNS dump_test.int42 AS 'int4in'
					   LANGUAGE internal STRICT IMMUTABLE;

-- [41] CREATE FUNCTION ... SUPPORT
CREATE FUNCTION dump_test.func_with_support() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$ SUPPORT varchar_support;

-- [41] CREATE FUNCTION dump_test.int42_out
CREATE FUNCTION dump_test.int42_out(dump_test.int42)
					   RETURNS cstring AS 'int4out'
					   LANGUAGE internal STRICT IMMUTABLE;

-- [41] CREATE PROCEDURE dump_test.ptest1
CREATE PROCEDURE dump_test.ptest1(a int)
					   LANGUAGE SQL AS $$ INSERT INTO dump_test.test_table (col1) VALUES (a) $$;

-- [41] Check ordering of a function that depends on a primary key

			CREATE TABLE dump_test.ordering_table (id int primary key, data int);
			CREATE FUNCTION dump_test.ordering_func ()
			RETURNS SETOF dump_test.ordering_table
			LANGUAGE sql BEGIN ATOMIC
			SELECT * FROM dump_test.ordering_table GROUP BY id; END;

-- [42] CREATE TYPE dump_test.int42 populated
CREATE TYPE dump_test.int42 (
						   internallength = 4,
						   input = dump_test.int42_in,
						   output = dump_test.int42_out,
						   alignment = int4,
						   default = 42,
						   passedbyvalue);

-- [42] Check ordering of a matview that depends on a primary key

			CREATE MATERIALIZED VIEW dump_test.ordering_view AS
				SELECT * FROM dump_test.ordering_table GROUP BY id;

-- [43] CREATE TYPE dump_test.composite
CREATE TYPE dump_test.composite AS (
						   f1 int,
						   f2 dump_test.int42
					   );

-- [44] COMMENT ON COLUMN dump_test.composite.f1
COMMENT ON COLUMN dump_test.composite.f1
					   IS 'comment on column of type';

-- [45] REVOKE SELECT ON TABLE pg_proc FROM public
REVOKE SELECT ON TABLE pg_proc FROM public;

-- [46] GRANT SELECT (proname ...) ON TABLE pg_proc TO public
GRANT SELECT (
						   tableoid,
						   oid,
						   proname,
						   pronamespace,
						   proowner,
						   prolang,
						   procost,
						   prorows,
						   provariadic,
						   prosupport,
						   prokind,
						   prosecdef,
						   proleakproof,
						   proisstrict,
						   proretset,
						   provolatile,
						   proparallel,
						   pronargs,
						   pronargdefaults,
						   prorettype,
						   proargtypes,
						   proallargtypes,
						   proargmodes,
						   proargnames,
						   proargdefaults,
						   protrftypes,
						   prosrc,
						   probin,
						   proconfig,
						   proacl
						) ON TABLE pg_proc TO public;

-- [50] BLOB create (using lo_from_bytea)
SELECT pg_catalog.lo_from_bytea(0, '\x310a320a330a340a350a360a370a380a390a');

-- [50] CREATE PUBLICATION pub1
CREATE PUBLICATION pub1;

-- [50] CREATE PUBLICATION pub2
CREATE PUBLICATION pub2
						 FOR ALL TABLES
						 WITH (publish = '');

-- [50] CREATE PUBLICATION pub3
CREATE PUBLICATION pub3;

-- [50] CREATE PUBLICATION pub4
CREATE PUBLICATION pub4;

-- [51] ALTER PUBLICATION pub1 ADD TABLE test_table
ALTER PUBLICATION pub1 ADD TABLE dump_test.test_table;

-- [51] ALTER PUBLICATION pub3 ADD TABLE test_table
ALTER PUBLICATION pub3 ADD TABLE dump_test.test_table;

-- [51] ALTER PUBLICATION pub3 ADD TABLES IN SCHEMA dump_test
ALTER PUBLICATION pub3 ADD TABLES IN SCHEMA dump_test;

-- [51] ALTER PUBLICATION pub4 ADD TABLE test_table WHERE (col1 > 0);
ALTER PUBLICATION pub4 ADD TABLE dump_test.test_table WHERE (col1 > 0);

-- [51] CREATE CAST FOR timestamptz
CREATE CAST (timestamptz AS interval) WITH FUNCTION age(timestamptz) AS ASSIGNMENT;

-- [52] ALTER PUBLICATION pub1 ADD TABLE test_second_table
ALTER PUBLICATION pub1 ADD TABLE dump_test.test_second_table;

-- [52] ALTER PUBLICATION pub1 ADD TABLE test_seventh_table (col3, col2) WHERE (col1 = 1)
ALTER PUBLICATION pub1 ADD TABLE dump_test.test_seventh_table (col3, col2) WHERE (col1 = 1);

-- [52] ALTER PUBLICATION pub1 ADD TABLE test_sixth_table (col3, col2)
ALTER PUBLICATION pub1 ADD TABLE dump_test.test_sixth_table (col3, col2);

-- [52] ALTER PUBLICATION pub3 ADD TABLES IN SCHEMA public
ALTER PUBLICATION pub3 ADD TABLES IN SCHEMA public;

-- [52] ALTER PUBLICATION pub4 ADD TABLE test_second_table WHERE (col2 = 'test');
ALTER PUBLICATION pub4 ADD TABLE dump_test.test_second_table WHERE (col2 = 'test');

-- [52] CREATE ACCESS METHOD gist2
CREATE ACCESS METHOD gist2 TYPE INDEX HANDLER gisthandler;

-- [53] CREATE TABLE test_fifth_table
CREATE TABLE dump_test.test_fifth_table (
							col1 integer,
							col2 boolean,
							col3 boolean,
							col4 bit(5),
							col5 float8
					   );

-- [54] COPY test_fifth_table
INSERT INTO dump_test.test_fifth_table VALUES (NULL, true, false, '11001'::bit(5), 'NaN');

-- [54] COPY test_table_identity
INSERT INTO dump_test.test_table_identity (col2) VALUES ('test');

-- [55] ALTER DEFAULT PRIVILEGES FOR ROLE regress_dump_test_role REVOKE
ALTER DEFAULT PRIVILEGES
					   FOR ROLE regress_dump_test_role
					   REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- [55] COMMENT ON PUBLICATION pub1
COMMENT ON PUBLICATION pub1
					   IS 'comment on publication';

-- [56] ALTER DEFAULT PRIVILEGES FOR ROLE regress_dump_test_role REVOKE SELECT
ALTER DEFAULT PRIVILEGES
					   FOR ROLE regress_dump_test_role
					   REVOKE SELECT ON TABLES FROM regress_dump_test_role;

-- [58] CREATE MATERIALIZED VIEW matview_third
CREATE MATERIALIZED VIEW
						   dump_test.matview_third (col1) AS
						   SELECT * FROM dump_test.matview_second WITH NO DATA;

-- [59] CREATE MATERIALIZED VIEW matview_fourth
CREATE MATERIALIZED VIEW
						   dump_test.matview_fourth (col1) AS
						   SELECT * FROM dump_test.matview_third WITH NO DATA;

-- [60] GRANT ALL ON LARGE OBJECT ...
DO $$
						 DECLARE myoid oid;
						 BEGIN
							SELECT loid FROM pg_largeobject INTO myoid;
							EXECUTE 'GRANT ALL ON LARGE OBJECT ' || myoid || ' TO regress_dump_test_role;';
						 END;
						 $$;

-- [61] CREATE VIEW test_view
CREATE VIEW dump_test.test_view
		                   WITH (check_option = 'local', security_barrier = true) AS
		                   SELECT col1 FROM dump_test.test_table;

-- [62] ALTER VIEW test_view SET DEFAULT
ALTER VIEW dump_test.test_view ALTER COLUMN col1 SET DEFAULT 1;

-- [63] COMMENT ON COLUMN dump_test.test_second_table.col1
COMMENT ON COLUMN dump_test.test_second_table.col1
					   IS 'comment on column col1';

-- [64] COMMENT ON COLUMN dump_test.test_second_table.col2
COMMENT ON COLUMN dump_test.test_second_table.col2
					   IS 'comment on column col2';

-- [65] COMMENT ON LARGE OBJECT ...
DO $$
						 DECLARE myoid oid;
						 BEGIN
							SELECT loid FROM pg_largeobject INTO myoid;
							EXECUTE 'COMMENT ON LARGE OBJECT ' || myoid || ' IS ''comment on large object'';';
						 END;
						 $$;

-- [66] GRANT USAGE ON TYPE dump_test.planets - ENUM
GRANT USAGE ON TYPE dump_test.planets TO regress_dump_test_role;

-- [67] GRANT USAGE ON TYPE dump_test.textrange - RANGE
GRANT USAGE ON TYPE dump_test.textrange TO regress_dump_test_role;

-- [68] COMMENT ON TYPE dump_test.planets - ENUM
COMMENT ON TYPE dump_test.planets
					   IS 'comment on enum type';

-- [69] COMMENT ON TYPE dump_test.textrange - RANGE
COMMENT ON TYPE dump_test.textrange
					   IS 'comment on range type';

-- [70] COMMENT ON TYPE dump_test.int42 - Regular
COMMENT ON TYPE dump_test.int42
					   IS 'comment on regular type';

-- [71] COMMENT ON TYPE dump_test.undefined - Undefined
COMMENT ON TYPE dump_test.undefined
					   IS 'comment on undefined type';

-- [72] GRANT USAGE ON DOMAIN dump_test.us_postal_code
GRANT USAGE ON DOMAIN dump_test.us_postal_code TO regress_dump_test_role;

-- [73] CREATE OPERATOR FAMILY dump_test.op_family
CREATE OPERATOR FAMILY dump_test.op_family USING btree;

-- [74] CREATE OPERATOR CLASS dump_test.op_class
CREATE OPERATOR CLASS dump_test.op_class
		                 FOR TYPE bigint USING btree FAMILY dump_test.op_family
						 AS STORAGE bigint,
						 OPERATOR 1 <(bigint,bigint),
						 OPERATOR 2 <=(bigint,bigint),
						 OPERATOR 3 =(bigint,bigint),
						 OPERATOR 4 >=(bigint,bigint),
						 OPERATOR 5 >(bigint,bigint),
						 FUNCTION 1 btint8cmp(bigint,bigint),
						 FUNCTION 2 btint8sortsupport(internal),
						 FUNCTION 4 btequalimage(oid);

-- [74] CREATE OPERATOR CLASS dump_test.op_class_custom
CREATE OPERATOR dump_test.~~ (
							 PROCEDURE = int4eq,
							 LEFTARG = int,
							 RIGHTARG = int);
						 CREATE OPERATOR CLASS dump_test.op_class_custom
							 FOR TYPE int USING btree AS
							 OPERATOR 3 dump_test.~~;
						 CREATE TYPE dump_test.range_type_custom AS RANGE (
							 subtype = int,
							 subtype_opclass = dump_test.op_class_custom);

-- [75] ALTER OPERATOR FAMILY dump_test.op_family USING btree
ALTER OPERATOR FAMILY dump_test.op_family USING btree ADD
						 OPERATOR 1 <(bigint,int4),
						 OPERATOR 2 <=(bigint,int4),
						 OPERATOR 3 =(bigint,int4),
						 OPERATOR 4 >=(bigint,int4),
						 OPERATOR 5 >(bigint,int4),
						 FUNCTION 1 (int4, int4) btint4cmp(int4,int4),
						 FUNCTION 2 (int4, int4) btint4sortsupport(internal),
						 FUNCTION 4 (int4, int4) btequalimage(oid);

-- [76] CREATE COLLATION icu_collation (icu => 1)
\if :tap_have_icu
CREATE COLLATION icu_collation (PROVIDER = icu, LOCALE = 'C');
\else
\echo 'skipped "CREATE COLLATION icu_collation": server built without ICU'
\endif

-- [76] CREATE COLLATION test0 FROM "C" (collation => 1)
CREATE COLLATION test0 FROM "C";

-- [77] COMMENT ON COLLATION test0 (collation => 1)
COMMENT ON COLLATION test0
					   IS 'comment on test0 collation';

-- [78] CREATE CONVERSION dump_test.test_conversion
CREATE DEFAULT CONVERSION dump_test.test_conversion FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;

-- [79] COMMENT ON CONVERSION dump_test.test_conversion
COMMENT ON CONVERSION dump_test.test_conversion
					   IS 'comment on test conversion';

-- [80] CREATE TEXT SEARCH CONFIGURATION dump_test.alt_ts_conf1
CREATE TEXT SEARCH CONFIGURATION dump_test.alt_ts_conf1 (copy=english);

-- [81] CREATE TEXT SEARCH TEMPLATE dump_test.alt_ts_temp1
CREATE TEXT SEARCH TEMPLATE dump_test.alt_ts_temp1 (lexize=dsimple_lexize);

-- [82] CREATE TEXT SEARCH PARSER dump_test.alt_ts_prs1
CREATE TEXT SEARCH PARSER dump_test.alt_ts_prs1
		(start = prsd_start, gettoken = prsd_nexttoken, end = prsd_end, lextypes = prsd_lextype);

-- [83] CREATE TEXT SEARCH DICTIONARY dump_test.alt_ts_dict1
CREATE TEXT SEARCH DICTIONARY dump_test.alt_ts_dict1 (template=simple);

-- [84] COMMENT ON TEXT SEARCH CONFIGURATION dump_test.alt_ts_conf1
COMMENT ON TEXT SEARCH CONFIGURATION dump_test.alt_ts_conf1
					   IS 'comment on text search configuration';

-- [84] COMMENT ON TEXT SEARCH DICTIONARY dump_test.alt_ts_dict1
COMMENT ON TEXT SEARCH DICTIONARY dump_test.alt_ts_dict1
					   IS 'comment on text search dictionary';

-- [84] COMMENT ON TEXT SEARCH PARSER dump_test.alt_ts_prs1
COMMENT ON TEXT SEARCH PARSER dump_test.alt_ts_prs1
					   IS 'comment on text search parser';

-- [84] COMMENT ON TEXT SEARCH TEMPLATE dump_test.alt_ts_temp1
COMMENT ON TEXT SEARCH TEMPLATE dump_test.alt_ts_temp1
					   IS 'comment on text search template';

-- [85] GRANT USAGE ON FOREIGN DATA WRAPPER dummy
GRANT USAGE ON FOREIGN DATA WRAPPER dummy
						   TO regress_dump_test_role;

-- [85] GRANT USAGE ON FOREIGN SERVER s1
GRANT USAGE ON FOREIGN SERVER s1
						   TO regress_dump_test_role;

-- [86] CREATE USER MAPPING FOR regress_dump_test_role SERVER s1
CREATE USER MAPPING FOR regress_dump_test_role SERVER s1;

-- [87] GRANT USAGE ON TYPE dump_test.int42
GRANT USAGE ON TYPE dump_test.int42 TO regress_dump_test_role;

-- [88] CREATE FOREIGN TABLE dump_test.foreign_table SERVER s1
CREATE FOREIGN TABLE dump_test.foreign_table (c1 int options (column_name 'col1'))
						SERVER s1 OPTIONS (schema_name 'x1');

-- [89] CREATE OPERATOR CLASS dump_test.op_class_empty
CREATE OPERATOR CLASS dump_test.op_class_empty
		                 FOR TYPE bigint USING btree FAMILY dump_test.op_family
						 AS STORAGE bigint;

-- [90] CREATE TABLE measurement PARTITIONED BY
CREATE TABLE dump_test.measurement (
						city_id serial not null,
						logdate date not null,
						peaktemp int CHECK (peaktemp >= -460),
						unitsales int
					   ) PARTITION BY RANGE (logdate);

-- [90] CREATE TABLE test_inheritance_parent
CREATE TABLE dump_test.test_inheritance_parent (
						   col1 int NOT NULL,
						   col2 int CHECK (col2 >= 42)
						 );

-- [91] CREATE TABLE test_inheritance_child
CREATE TABLE dump_test.test_inheritance_child (
						    col1 int NOT NULL,
						    CONSTRAINT test_inheritance_child CHECK (col2 >= 142857)
						) INHERITS (dump_test.test_inheritance_parent);

-- [91] GRANT SELECT ON TABLE measurement
GRANT SELECT ON TABLE dump_test.measurement
						   TO regress_dump_test_role;
					   GRANT SELECT(city_id) ON TABLE dump_test.measurement
						   TO "regress_quoted  \"" role";

-- [91] Partition measurement_y2006m2 creation
CREATE TABLE dump_test_second_schema.measurement_y2006m2
						PARTITION OF dump_test.measurement (
							unitsales DEFAULT 0 CHECK (unitsales >= 0)
						)
						FOR VALUES FROM ('2006-02-01') TO ('2006-03-01');

-- [92] CREATE INDEX ON ONLY measurement
CREATE INDEX ON dump_test.measurement (city_id, logdate);

-- [92] Creation of row-level trigger in partitioned table
CREATE TRIGGER test_trigger
		   AFTER INSERT ON dump_test.measurement
		   FOR EACH ROW EXECUTE PROCEDURE dump_test.trigger_func();

-- [93] ALTER TABLE ONLY test_table ALTER COLUMN col1 SET STATISTICS 90
ALTER TABLE dump_test.test_table ALTER COLUMN col1 SET STATISTICS 90;

-- [93] ALTER TABLE measurement PRIMARY KEY
ALTER TABLE dump_test.measurement ADD PRIMARY KEY (city_id, logdate);

-- [93] COPY measurement -- from newer upstream 002_pg_dump.pl (not in 15.18)
INSERT INTO dump_test.measurement (city_id, logdate, peaktemp, unitsales) VALUES (1, '2006-02-12', 35, 1);

-- [93] Disabled trigger on partition is altered
CREATE TABLE dump_test_second_schema.measurement_y2006m3
						PARTITION OF dump_test.measurement
						FOR VALUES FROM ('2006-03-01') TO ('2006-04-01');
						ALTER TABLE dump_test_second_schema.measurement_y2006m3 DISABLE TRIGGER test_trigger;
						CREATE TABLE dump_test_second_schema.measurement_y2006m4
						PARTITION OF dump_test.measurement
						FOR VALUES FROM ('2006-04-01') TO ('2006-05-01');
						ALTER TABLE dump_test_second_schema.measurement_y2006m4 ENABLE REPLICA TRIGGER test_trigger;
						CREATE TABLE dump_test_second_schema.measurement_y2006m5
						PARTITION OF dump_test.measurement
						FOR VALUES FROM ('2006-05-01') TO ('2006-06-01');
						ALTER TABLE dump_test_second_schema.measurement_y2006m5 ENABLE ALWAYS TRIGGER test_trigger;

-- [94] ALTER TABLE ONLY test_table ALTER COLUMN col2 SET STORAGE
ALTER TABLE dump_test.test_table ALTER COLUMN col2 SET STORAGE EXTERNAL;

-- [94] GRANT SELECT ON TABLE measurement_y2006m2
GRANT SELECT ON TABLE
						   dump_test_second_schema.measurement_y2006m2,
						   dump_test_second_schema.measurement_y2006m3,
						   dump_test_second_schema.measurement_y2006m4,
						   dump_test_second_schema.measurement_y2006m5
						   TO regress_dump_test_role;

-- [95] ALTER TABLE ONLY test_table ALTER COLUMN col3 SET STORAGE
ALTER TABLE dump_test.test_table ALTER COLUMN col3 SET STORAGE MAIN;

-- [95] ALTER TABLE ONLY test_table ALTER COLUMN col4 SET n_distinct
ALTER TABLE dump_test.test_table ALTER COLUMN col4 SET (n_distinct = 10);

-- [96] ALTER TABLE test_table CLUSTER ON test_table_pkey
ALTER TABLE dump_test.test_table CLUSTER ON test_table_pkey;

-- [97] CREATE STATISTICS extended_stats_no_options
CREATE STATISTICS dump_test.test_ext_stats_no_options
							ON col1, col2 FROM dump_test.test_table;

-- [97] CREATE STATISTICS extended_stats_options
CREATE STATISTICS dump_test.test_ext_stats_opts
							(ndistinct) ON col1, col2 FROM dump_test.test_fifth_table;

-- [98] ALTER STATISTICS extended_stats_options
ALTER STATISTICS dump_test.test_ext_stats_opts SET STATISTICS 1000;

-- [98] CREATE TABLE table_with_stats
CREATE TABLE dump_test.table_index_stats (
						   col1 int,
						   col2 int,
						   col3 int);
						 CREATE INDEX index_with_stats
						  ON dump_test.table_index_stats
						  ((col1 + 1), col1, (col2 + 1), (col3 + 1));
						 ALTER INDEX dump_test.index_with_stats
						   ALTER COLUMN 1 SET STATISTICS 400;
						 ALTER INDEX dump_test.index_with_stats
						   ALTER COLUMN 3 SET STATISTICS 500;

-- [99] CREATE STATISTICS extended_stats_expression
CREATE STATISTICS dump_test.test_ext_stats_expr
							ON (2 * col1) FROM dump_test.test_fifth_table;

-- [110] CREATE TABLE test_compression_method -- from newer upstream 002_pg_dump.pl (not in 15.18)
CREATE TABLE dump_test.test_compression_method (
						   col1 text
					   );

-- [111] COPY test_compression_method -- from newer upstream 002_pg_dump.pl (not in 15.18)
INSERT INTO dump_test.test_compression_method (col1) SELECT string_agg(a::text, '') FROM generate_series(1,4096) a;

-- [no create_order] LO create (with no data) -- from newer upstream 002_pg_dump.pl (not in 15.18)
SELECT pg_catalog.lo_create(0);

-- [no create_order] newline of role or table name in comment

						 -- meet getPartitioningInfo() "unsafe" condition
						 CREATE TYPE pp_colors AS
							ENUM ('green', 'blue', 'black');
						 CREATE TABLE pp_enumpart (a pp_colors)
							PARTITION BY HASH (a);
						 CREATE TABLE pp_enumpart1 PARTITION OF pp_enumpart
							FOR VALUES WITH (MODULUS 2, REMAINDER 0);
						 CREATE TABLE pp_enumpart2 PARTITION OF pp_enumpart
							FOR VALUES WITH (MODULUS 2, REMAINDER 1);
						 ALTER TABLE pp_enumpart
							RENAME TO "pp_enumpart
attack";

-- [no create_order] statistics_import -- from newer upstream 002_pg_dump.pl (not in 15.18)

			CREATE TABLE dump_test.has_stats
			AS SELECT g.g AS x, g.g / 2 AS y FROM generate_series(1,100) AS g(g);
			CREATE MATERIALIZED VIEW dump_test.has_stats_mv AS SELECT * FROM dump_test.has_stats;
			CREATE INDEX dup_test_post_data_ix ON dump_test.has_stats(x, (x - 1));
			ANALYZE dump_test.has_stats, dump_test.has_stats_mv;

-- Entries of 002_pg_dump.pl (15.18) not included here:
--   CREATE DATABASE regression_invalid...: creates another database (and marks it invalid via UPDATE pg_database)
--   CREATE DATABASE dump_test: creates another database
--   CREATE DATABASE dump_test2 LOCALE = 'C': creates another database
--   GRANT CREATE ON DATABASE dump_test: acts on database dump_test, which is not created
--   REVOKE CONNECT ON DATABASE dump_test FROM public: acts on database dump_test, which is not created
--   CREATE SUBSCRIPTION sub1: subscription (refers to a publisher connection; excluded for a plain fixture)
--   COMMENT ON SUBSCRIPTION sub1: depends on skipped subscription sub1
--   ALTER SCHEMA public OWNER TO (w/o ACL changes): runs in a separate database regress_public_owner
--   COMMENT ON SCHEMA public IS NULL: runs in a separate database regress_public_owner
--   DROP SCHEMA public (for testing without public schema): runs in a separate database regress_pg_dump_test
-- (ICU/lz4/collation-flagged entries are included: the Perl only skips them
--  when the server lacks that support.)
