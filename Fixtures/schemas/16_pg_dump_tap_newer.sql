--
-- 16_pg_dump_tap_newer.sql
--
-- Derived from PostgreSQL's src/bin/pg_dump/t/002_pg_dump.pl (the create_sql
-- entries of its %tests hash), newer upstream version (postgres/postgres
-- commit cd3c45125d2d92e86ad7530b162562a23d063c26, PostgreSQL 18 era).
-- Portions Copyright (c) 1996-2025, PostgreSQL Global Development Group;
-- distributed under the PostgreSQL License.
--
-- Holds only the entries whose SQL fails on PostgreSQL 15 but works on a
-- newer server.  Load it AFTER tap_objects.sql, into the same database:
--     psql -X -v ON_ERROR_STOP=1 -d <db> -f 15_pg_dump_tap.sql
--     psql -X -v ON_ERROR_STOP=1 -d <db> -f 16_pg_dump_tap_newer.sql
-- Each entry is wrapped in a psql \if on server_version_num, so the file
-- loads without error on 15, 16, 17 and 18 (entries the server cannot run
-- are skipped with a message).  Order: create_order, then test name;
-- entries without create_order last.  Comment line per entry:
-- "-- [create_order] test name (needs PostgreSQL N+)".
--
-- Not included from the newer file: CREATE TABLESPACE regress_dump_tablespace
-- (cluster-wide in-place tablespace), CREATE SUBSCRIPTION sub2/sub3
-- (subscriptions), and entries that act on other databases.
--
\set ON_ERROR_STOP 1

SELECT pg_catalog.current_setting('server_version_num')::int >= 170000 AS tap_pg17,
       pg_catalog.current_setting('server_version_num')::int >= 180000 AS tap_pg18
\gset

-- [3] CREATE TABLE test_table_generated (virtual column col3) (needs PostgreSQL 18+)
-- adapted: upstream creates the table with this column (col3 int generated
-- always as (col1 * 3) virtual); tap_objects.sql already created the table
-- and its inheritance children with the 15.18 definition, so the column is
-- added here (it propagates to test_table_generated_child1/child2)
\if :tap_pg18
ALTER TABLE dump_test.test_table_generated ADD COLUMN col3 int generated always as (col1 * 3) virtual;
\else
\echo 'skipped "CREATE TABLE test_table_generated (virtual column col3)": needs PostgreSQL 18+'
\endif

-- [19] CREATE TABLE regress_pg_dump_table_part (needs PostgreSQL 17+)
\if :tap_pg17

			CREATE TABLE dump_test.regress_pg_dump_table_am_parent (id int) PARTITION BY LIST (id);
			ALTER TABLE dump_test.regress_pg_dump_table_am_parent SET ACCESS METHOD regress_table_am;
			CREATE TABLE dump_test.regress_pg_dump_table_am_child_1
			  PARTITION OF dump_test.regress_pg_dump_table_am_parent FOR VALUES IN (1);
			CREATE TABLE dump_test.regress_pg_dump_table_am_child_2
			  PARTITION OF dump_test.regress_pg_dump_table_am_parent FOR VALUES IN (2) USING heap;
\else
\echo 'skipped "CREATE TABLE regress_pg_dump_table_part": needs PostgreSQL 17+'
\endif

-- [50] CREATE PUBLICATION pub5 (needs PostgreSQL 18+)
\if :tap_pg18
CREATE PUBLICATION pub5 WITH (publish_generated_columns = stored);
\else
\echo 'skipped "CREATE PUBLICATION pub5": needs PostgreSQL 18+'
\endif

-- [no create_order] CONSTRAINT PRIMARY KEY / WITHOUT OVERLAPS (needs PostgreSQL 18+)
\if :tap_pg18
CREATE TABLE dump_test.test_table_tpk (
							col1 int4range,
							col2 tstzrange,
							CONSTRAINT test_table_tpk_pkey PRIMARY KEY (col1, col2 WITHOUT OVERLAPS));
\else
\echo 'skipped "CONSTRAINT PRIMARY KEY / WITHOUT OVERLAPS": needs PostgreSQL 18+'
\endif

-- [no create_order] CONSTRAINT UNIQUE / WITHOUT OVERLAPS (needs PostgreSQL 18+)
\if :tap_pg18
CREATE TABLE dump_test.test_table_tuq (
							col1 int4range,
							col2 tstzrange,
							CONSTRAINT test_table_tuq_uq UNIQUE (col1, col2 WITHOUT OVERLAPS));
\else
\echo 'skipped "CONSTRAINT UNIQUE / WITHOUT OVERLAPS": needs PostgreSQL 18+'
\endif

