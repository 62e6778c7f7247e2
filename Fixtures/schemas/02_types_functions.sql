-- 02_types_functions.sql: types (enum, composite, range with a custom
-- multirange name, domains with constraints incl. NOT VALID, a base type with
-- its shell type built from internal functions), collations (ICU when the
-- server has it, libc otherwise), conversions, functions of many flavours
-- (sql, plpgsql, SQL-standard bodies, defaults, variadic, OUT/TABLE results,
-- SECURITY DEFINER, SET, window, support, leakproof, cost/rows, parallel),
-- procedures, aggregates (plain, moving, ordered-set, hypothetical-set),
-- operators, operator classes and families, casts, a procedural language, a
-- transform and access methods; with comments on most of them.

SET client_min_messages = warning;

CREATE SCHEMA types AUTHORIZATION cbd_owner;
COMMENT ON SCHEMA types IS 'types, functions, operators';
SET search_path = types, public;

-- Enum (with values added out of order).
CREATE TYPE types.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE types.mood ADD VALUE 'ecstatic' AFTER 'happy';
ALTER TYPE types.mood ADD VALUE 'miserable' BEFORE 'sad';
COMMENT ON TYPE types.mood IS 'an enum';
ALTER TYPE types.mood OWNER TO cbd_owner;

-- Composite type with attribute comments and a collation.
CREATE TYPE types.address AS (
    street  text COLLATE "C",
    city    varchar(80),
    zip     char(5),
    geo     point
);
COMMENT ON TYPE types.address IS 'a composite type';
COMMENT ON COLUMN types.address.zip IS 'postal code';

-- Range type with subtype_diff and a custom multirange name.
CREATE FUNCTION types.float8_diff(float8, float8) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1 - $2';
CREATE TYPE types.floatrange AS RANGE (
    subtype = float8,
    subtype_diff = types.float8_diff,
    multirange_type_name = types.floatmultirange
);
COMMENT ON TYPE types.floatrange IS 'a range type';
CREATE TYPE types.textrange AS RANGE (subtype = text, collation = "C");

-- Domains.
CREATE DOMAIN types.posint AS integer
    DEFAULT 1
    NOT NULL
    CONSTRAINT posint_positive CHECK (VALUE > 0);
COMMENT ON DOMAIN types.posint IS 'a positive integer';
COMMENT ON CONSTRAINT posint_positive ON DOMAIN types.posint IS 'must be > 0';
CREATE DOMAIN types.email AS ext.citext
    CHECK (VALUE ~ '^[^@]+@[^@]+$');
ALTER DOMAIN types.email ADD CONSTRAINT email_short CHECK (length(VALUE) < 200) NOT VALID;
CREATE DOMAIN types.int_list AS integer[] CHECK (array_length(VALUE, 1) < 10);
CREATE DOMAIN types.address_d AS types.address CHECK ((VALUE).zip IS NOT NULL);
CREATE DOMAIN types.small_text AS varchar(10) COLLATE "C";
ALTER DOMAIN types.small_text OWNER TO cbd_owner;

-- Base type, built from internal functions (no C compilation needed); the
-- dump contains a SHELL TYPE entry for it.
CREATE TYPE types.myint;
CREATE FUNCTION types.myint_in(cstring) RETURNS types.myint
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'int4in';
CREATE FUNCTION types.myint_out(types.myint) RETURNS cstring
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'int4out';
CREATE FUNCTION types.myint_recv(internal) RETURNS types.myint
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'int4recv';
CREATE FUNCTION types.myint_send(types.myint) RETURNS bytea
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'int4send';
CREATE TYPE types.myint (
    INPUT = types.myint_in,
    OUTPUT = types.myint_out,
    RECEIVE = types.myint_recv,
    SEND = types.myint_send,
    LIKE = integer,
    CATEGORY = 'N',
    DEFAULT = '42'
);
COMMENT ON TYPE types.myint IS 'a base type with int4 representation';

-- Casts.
CREATE CAST (types.myint AS integer) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (integer AS types.myint) WITHOUT FUNCTION AS ASSIGNMENT;
CREATE FUNCTION types.mood_score(types.mood) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT array_position(enum_range(NULL::types.mood), $1) $$;
CREATE CAST (types.mood AS integer) WITH FUNCTION types.mood_score(types.mood);
CREATE CAST (types.address AS text) WITH INOUT;
COMMENT ON CAST (types.mood AS integer) IS 'position of the mood';

-- Collations: ICU when available (not in every build), libc always.
DO $coll$
BEGIN
    CREATE COLLATION types.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
EXCEPTION WHEN OTHERS THEN
    CREATE COLLATION types.ci (provider = libc, locale = 'C');
END
$coll$;
CREATE COLLATION types.c_copy FROM "C";
CREATE COLLATION types.posix_libc (provider = libc, lc_collate = 'POSIX', lc_ctype = 'POSIX');
COMMENT ON COLLATION types.c_copy IS 'a copy of C';
ALTER COLLATION types.c_copy OWNER TO cbd_owner;

-- Conversion.
CREATE CONVERSION types.latin1_to_utf8_fx FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
COMMENT ON CONVERSION types.latin1_to_utf8_fx IS 'a conversion';

-- Functions.
CREATE FUNCTION types.add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT a + b';
COMMENT ON FUNCTION types.add(integer, integer) IS 'adds; b defaults to 1';

CREATE FUNCTION types.greet(name text DEFAULT 'world', punct text DEFAULT '!')
    RETURNS text LANGUAGE plpgsql STABLE
AS $$
BEGIN
    RETURN 'hello, ' || name || punct;
END
$$;

CREATE FUNCTION types.sum_all(VARIADIC nums numeric[]) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT sum(n) FROM unnest(nums) AS n $$;

CREATE FUNCTION types.describe(anyelement, OUT kind text, OUT val text)
    LANGUAGE sql IMMUTABLE AS $$ SELECT pg_typeof($1)::text, $1::text $$;

CREATE FUNCTION types.series(n integer)
    RETURNS TABLE (i integer, sq bigint)
    LANGUAGE sql IMMUTABLE ROWS 10 COST 5
    AS $$ SELECT g, g::bigint * g FROM generate_series(1, n) AS g $$;

CREATE FUNCTION types.setof_int(n integer) RETURNS SETOF integer
    LANGUAGE plpgsql ROWS 3
AS $$
BEGIN
    FOR i IN 1..n LOOP
        RETURN NEXT i;
    END LOOP;
END
$$;

CREATE FUNCTION types.secret_count() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET work_mem = '4MB'
AS $$
BEGIN
    RETURN (SELECT count(*) FROM pg_catalog.pg_class);
END
$$;
ALTER FUNCTION types.secret_count() OWNER TO cbd_admin;
COMMENT ON FUNCTION types.secret_count() IS 'SECURITY DEFINER with SET options';

-- SQL-standard bodies (PostgreSQL 14+).
CREATE FUNCTION types.double_it(x integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN x * 2;
CREATE FUNCTION types.pair(x integer) RETURNS TABLE (a integer, b integer)
    LANGUAGE sql
BEGIN ATOMIC
    SELECT x, x + 1;
    SELECT x * 10, x * 10 + 1;
END;

CREATE FUNCTION types.strict_leak(text, text) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    SUPPORT textlike_support
    AS 'textlike';
COMMENT ON FUNCTION types.strict_leak(text, text) IS 'internal, leakproof, with a support function';

CREATE FUNCTION types.my_row_number() RETURNS bigint
    LANGUAGE internal WINDOW IMMUTABLE AS 'window_row_number';

CREATE FUNCTION types.void_fn() RETURNS void
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
AS $$ BEGIN PERFORM 1; END $$;
ALTER FUNCTION types.void_fn() OWNER TO cbd_writer;

-- Procedures.
CREATE PROCEDURE types.do_nothing(IN a integer, INOUT b integer DEFAULT NULL)
    LANGUAGE plpgsql
AS $$
BEGIN
    b := a;
END
$$;
COMMENT ON PROCEDURE types.do_nothing(integer, integer) IS 'a procedure';
CREATE PROCEDURE types.atomic_proc(x integer)
    LANGUAGE sql
BEGIN ATOMIC
    SELECT x;
END;
ALTER PROCEDURE types.atomic_proc(integer) OWNER TO cbd_owner;

-- Aggregates.
CREATE FUNCTION types.int_sum_sfunc(state bigint, v integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS 'SELECT coalesce(state, 0) + coalesce(v, 0)';
CREATE FUNCTION types.int_sum_inv(state bigint, v integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS 'SELECT state - coalesce(v, 0)';
CREATE FUNCTION types.int_sum_final(state bigint) RETURNS text
    LANGUAGE sql IMMUTABLE AS 'SELECT ''sum='' || state';
CREATE AGGREGATE types.my_sum(integer) (
    SFUNC = types.int_sum_sfunc,
    STYPE = bigint,
    FINALFUNC = types.int_sum_final,
    INITCOND = '0',
    COMBINEFUNC = int8pl,
    PARALLEL = SAFE,
    MSFUNC = types.int_sum_sfunc,
    MINVFUNC = types.int_sum_inv,
    MSTYPE = bigint,
    MINITCOND = '0',
    MFINALFUNC = types.int_sum_final
);
COMMENT ON AGGREGATE types.my_sum(integer) IS 'a moving-capable aggregate';
CREATE FUNCTION types.larger(anycompatible, anycompatible) RETURNS anycompatible
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT CASE WHEN $1 > $2 THEN $1 ELSE $2 END';
CREATE AGGREGATE types.my_max(anycompatible) (
    SFUNC = types.larger,
    STYPE = anycompatible
);
CREATE AGGREGATE types.my_int_max(integer) (
    SFUNC = int4larger,
    STYPE = integer,
    SORTOP = >
);
CREATE AGGREGATE types.count_star(*) (
    SFUNC = int8inc,
    STYPE = bigint,
    INITCOND = '0'
);
-- Ordered-set and hypothetical-set aggregates, built like the core ones.
CREATE AGGREGATE types.my_percentile_disc(float8 ORDER BY anyelement) (
    STYPE = internal,
    SFUNC = ordered_set_transition,
    FINALFUNC = percentile_disc_final,
    FINALFUNC_EXTRA = true,
    FINALFUNC_MODIFY = read_write
);
CREATE AGGREGATE types.my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
    STYPE = internal,
    SFUNC = ordered_set_transition_multi,
    FINALFUNC = rank_final,
    FINALFUNC_EXTRA = true,
    HYPOTHETICAL
);
ALTER AGGREGATE types.my_rank(VARIADIC "any" ORDER BY VARIADIC "any") OWNER TO cbd_owner;

-- Operators.
CREATE FUNCTION types.text_ci_eq(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT lower($1) = lower($2)';
CREATE FUNCTION types.text_ci_ne(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT lower($1) <> lower($2)';
CREATE OPERATOR types.=== (
    LEFTARG = text, RIGHTARG = text,
    FUNCTION = types.text_ci_eq,
    COMMUTATOR = ===, NEGATOR = !==,
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR types.!== (
    LEFTARG = text, RIGHTARG = text,
    FUNCTION = types.text_ci_ne,
    COMMUTATOR = !==, NEGATOR = ===,
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR types.=== (text, text) IS 'case-insensitive equality';
CREATE FUNCTION types.negate_mood(types.mood) RETURNS types.mood
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT (enum_range(NULL::types.mood))[6 - types.mood_score($1)] $$;
CREATE OPERATOR types.~~~ (RIGHTARG = types.mood, FUNCTION = types.negate_mood);
ALTER OPERATOR types.~~~ (NONE, types.mood) OWNER TO cbd_owner;

-- Operator family and class: reverse ordering of integers for btree, plus a
-- cross-type member added to the family.
CREATE FUNCTION types.int4_rev_cmp(integer, integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT btint4cmp($2, $1)';
CREATE FUNCTION types.int48_rev_cmp(integer, bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT btint84cmp($2, $1)';
CREATE OPERATOR FAMILY types.int_rev_fam USING btree;
CREATE OPERATOR CLASS types.int4_rev_ops FOR TYPE integer USING btree FAMILY types.int_rev_fam AS
    OPERATOR 1 > ,
    OPERATOR 2 >= ,
    OPERATOR 3 = ,
    OPERATOR 4 <= ,
    OPERATOR 5 < ,
    FUNCTION 1 types.int4_rev_cmp(integer, integer);
ALTER OPERATOR FAMILY types.int_rev_fam USING btree ADD
    OPERATOR 1 > (integer, bigint),
    OPERATOR 3 = (integer, bigint),
    OPERATOR 5 < (integer, bigint),
    FUNCTION 1 types.int48_rev_cmp(integer, bigint);
COMMENT ON OPERATOR FAMILY types.int_rev_fam USING btree IS 'reverse integer ordering';
COMMENT ON OPERATOR CLASS types.int4_rev_ops USING btree IS 'reverse int4 ordering';
-- A hash opclass for the base type (reusing the int4 hash functions).
CREATE FUNCTION types.myint_eq(types.myint, types.myint) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT AS 'int4eq';
CREATE OPERATOR types.= (LEFTARG = types.myint, RIGHTARG = types.myint,
                         FUNCTION = types.myint_eq, COMMUTATOR = =, HASHES);
CREATE OPERATOR CLASS types.myint_hash_ops DEFAULT FOR TYPE types.myint USING hash AS
    OPERATOR 1 types.= ,
    FUNCTION 1 hashint4(integer);
ALTER OPERATOR CLASS types.myint_hash_ops USING hash OWNER TO cbd_owner;

-- A procedural language whose handler is plpgsql's (no compilation needed).
CREATE FUNCTION types.fx_pl_handler() RETURNS language_handler
    LANGUAGE c AS '$libdir/plpgsql', 'plpgsql_call_handler';
CREATE FUNCTION types.fx_pl_validator(oid) RETURNS void
    LANGUAGE c STRICT AS '$libdir/plpgsql', 'plpgsql_validator';
CREATE TRUSTED LANGUAGE fxpl HANDLER types.fx_pl_handler VALIDATOR types.fx_pl_validator;
COMMENT ON LANGUAGE fxpl IS 'plpgsql under another name';
ALTER LANGUAGE fxpl OWNER TO cbd_owner;
CREATE FUNCTION types.in_fxpl(x integer) RETURNS integer
    LANGUAGE fxpl AS $$ BEGIN RETURN x + 1; END $$;

-- A transform (its functions are never called: plpgsql ignores transforms).
CREATE FUNCTION types.myint_from_sql(internal) RETURNS internal
    LANGUAGE internal IMMUTABLE STRICT AS 'int4recv';
CREATE FUNCTION types.myint_to_sql(internal) RETURNS types.myint
    LANGUAGE internal IMMUTABLE STRICT AS 'int4recv';
CREATE TRANSFORM FOR types.myint LANGUAGE fxpl (
    FROM SQL WITH FUNCTION types.myint_from_sql(internal),
    TO SQL WITH FUNCTION types.myint_to_sql(internal)
);
COMMENT ON TRANSFORM FOR types.myint LANGUAGE fxpl IS 'a transform';

-- Access methods (table and index), using the built-in handlers.
CREATE ACCESS METHOD heap_fx TYPE TABLE HANDLER heap_tableam_handler;
COMMENT ON ACCESS METHOD heap_fx IS 'heap under another name';
-- (bthandler cannot be reused: btree code insists on the btree AM's OID.)
CREATE ACCESS METHOD hash_fx TYPE INDEX HANDLER hashhandler;
COMMENT ON ACCESS METHOD hash_fx IS 'hash under another name';
CREATE OPERATOR CLASS types.int4_fx_ops DEFAULT FOR TYPE integer USING hash_fx AS
    OPERATOR 1 = ,
    FUNCTION 1 hashint4(integer);

RESET search_path;
