-- 05_views_rules_triggers.sql: views (simple, over views, WITH LOCAL/CASCADED
-- CHECK OPTION, security_barrier, security_invoker, recursive, with column
-- defaults and comments), a view in a dependency loop with a function (pg_dump
-- has to split it), materialized views (populated, WITH NO DATA, one over
-- another, with indexes), rules (INSTEAD, ALSO, NOTHING, conditional, a
-- disabled one), triggers (row/statement, BEFORE/AFTER/INSTEAD OF, WHEN,
-- UPDATE OF, transition tables, TRUNCATE, arguments, constraint trigger,
-- on a partitioned table, disabled / replica / always) and event triggers
-- (ddl_command_start with tags, sql_drop, table_rewrite, a disabled one).

SET client_min_messages = warning;

CREATE SCHEMA vw AUTHORIZATION cbd_owner;
SET search_path = vw, public;

CREATE TABLE vw.base (
    id integer PRIMARY KEY,
    name text NOT NULL,
    amount numeric DEFAULT 0,
    hidden boolean DEFAULT false,
    updated timestamptz
);
INSERT INTO vw.base VALUES
    (1, 'one', 10, false, '2024-01-01 00:00+00'),
    (2, 'two', 20, true, NULL),
    (3, 'three', -5, false, NULL);

CREATE VIEW vw.visible AS
    SELECT id, name, amount FROM vw.base WHERE NOT hidden;
COMMENT ON VIEW vw.visible IS 'simple updatable view';
COMMENT ON COLUMN vw.visible.amount IS 'view column comment';
ALTER VIEW vw.visible ALTER COLUMN amount SET DEFAULT 1;

CREATE VIEW vw.positive AS
    SELECT id, name, amount FROM vw.visible WHERE amount > 0
    WITH LOCAL CHECK OPTION;
CREATE VIEW vw.positive_cascaded AS
    SELECT * FROM vw.positive WHERE id < 100
    WITH CASCADED CHECK OPTION;
CREATE VIEW vw.barrier WITH (security_barrier = true) AS
    SELECT id, name FROM vw.base WHERE id > 1;
CREATE VIEW vw.invoker WITH (security_invoker = true, check_option = local) AS
    SELECT id, name FROM vw.base WHERE id < 3;
ALTER VIEW vw.invoker OWNER TO cbd_reader;

CREATE RECURSIVE VIEW vw.countdown (n) AS
    VALUES (5)
    UNION ALL
    SELECT n - 1 FROM countdown WHERE n > 0;
COMMENT ON VIEW vw.countdown IS 'recursive view';

CREATE VIEW vw.summary AS
    SELECT count(*) AS n, sum(amount) AS total,
           string_agg(name, ', ' ORDER BY id) AS names,
           types.my_sum(id) AS my_total
    FROM vw.visible;

-- A view and a function depending on each other (through the view's row type).
CREATE VIEW vw.loop_view AS SELECT 1 AS a, 'x'::text AS b;
CREATE FUNCTION vw.loop_fn(vw.loop_view) RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT $1.a * 2';
CREATE OR REPLACE VIEW vw.loop_view AS
    SELECT 1 AS a, 'x'::text AS b, vw.loop_fn(ROW(1, 'y')::vw.loop_view) AS c;

-- Materialized views. (A matview is refreshed with its owner's privileges,
-- also by pg_restore: its owner needs SELECT on what it reads.)
GRANT SELECT ON vw.base TO cbd_owner;
CREATE MATERIALIZED VIEW vw.mv_populated AS
    SELECT id, name, amount * 2 AS double_amount FROM vw.base
    WITH DATA;
CREATE UNIQUE INDEX mv_populated_id ON vw.mv_populated (id);
CREATE INDEX mv_populated_name ON vw.mv_populated (lower(name));
COMMENT ON MATERIALIZED VIEW vw.mv_populated IS 'populated matview';
ALTER MATERIALIZED VIEW vw.mv_populated OWNER TO cbd_owner;
CREATE MATERIALIZED VIEW vw.mv_empty WITH (fillfactor = 50) AS
    SELECT id, updated FROM vw.base
    WITH NO DATA;
COMMENT ON MATERIALIZED VIEW vw.mv_empty IS 'never refreshed';
CREATE MATERIALIZED VIEW vw.mv_over_mv AS
    SELECT count(*) AS n FROM vw.mv_populated;
ALTER MATERIALIZED VIEW vw.mv_populated CLUSTER ON mv_populated_id;

-- Rules.
CREATE TABLE vw.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    op text,
    item integer,
    at timestamptz DEFAULT '2000-01-01 00:00+00'
);
CREATE TABLE vw.ruled (id integer PRIMARY KEY, v text);
CREATE RULE ruled_log_update AS ON UPDATE TO vw.ruled
    DO ALSO INSERT INTO vw.audit_log (op, item) VALUES ('update', old.id);
CREATE RULE ruled_no_delete AS ON DELETE TO vw.ruled
    WHERE old.id < 0 DO INSTEAD NOTHING;
CREATE RULE ruled_disabled AS ON INSERT TO vw.ruled
    WHERE new.v = 'ignored' DO INSTEAD NOTHING;
ALTER TABLE vw.ruled DISABLE RULE ruled_disabled;
COMMENT ON RULE ruled_log_update ON vw.ruled IS 'rule comment';
INSERT INTO vw.ruled VALUES (1, 'a'), (-1, 'protected');
UPDATE vw.ruled SET v = 'b' WHERE id = 1;

CREATE VIEW vw.summary_rw AS SELECT id, v FROM vw.ruled;
CREATE RULE summary_rw_ins AS ON INSERT TO vw.summary_rw
    DO INSTEAD INSERT INTO vw.ruled VALUES (new.id, upper(new.v)) RETURNING ruled.*;

-- Trigger functions.
CREATE FUNCTION vw.touch() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated := '2001-02-03 04:05:06+00';
    RETURN NEW;
END
$$;
CREATE FUNCTION vw.log_op() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO vw.audit_log (op, item) VALUES (TG_OP || coalesce(':' || TG_ARGV[0], ''), NULL);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION vw.log_op() IS 'statement-level trigger function';
CREATE FUNCTION vw.count_new() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO vw.audit_log (op, item) SELECT 'new rows', count(*) FROM new_rows;
    RETURN NULL;
END
$$;
CREATE FUNCTION vw.check_amount() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.amount < -1000 THEN
        RAISE EXCEPTION 'amount too small';
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION vw.visible_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO vw.base (id, name, amount) VALUES (NEW.id, NEW.name, NEW.amount);
    RETURN NEW;
END
$$;

-- Triggers.
CREATE TRIGGER base_touch BEFORE INSERT OR UPDATE ON vw.base
    FOR EACH ROW EXECUTE FUNCTION vw.touch();
COMMENT ON TRIGGER base_touch ON vw.base IS 'row trigger';
CREATE TRIGGER base_when BEFORE UPDATE OF name, amount ON vw.base
    FOR EACH ROW WHEN (OLD.amount IS DISTINCT FROM NEW.amount AND NEW.amount > 100)
    EXECUTE FUNCTION vw.touch();
CREATE TRIGGER base_stmt AFTER INSERT OR DELETE ON vw.base
    FOR EACH STATEMENT EXECUTE FUNCTION vw.log_op('arg one', 'it''s');
CREATE TRIGGER base_truncate AFTER TRUNCATE ON vw.base
    FOR EACH STATEMENT EXECUTE FUNCTION vw.log_op('truncate');
CREATE TRIGGER base_transition AFTER INSERT ON vw.base
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vw.count_new();
CREATE CONSTRAINT TRIGGER base_constraint AFTER INSERT OR UPDATE ON vw.base
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION vw.check_amount();
CREATE TRIGGER base_disabled BEFORE DELETE ON vw.base
    FOR EACH ROW EXECUTE FUNCTION vw.touch();
ALTER TABLE vw.base DISABLE TRIGGER base_disabled;
CREATE TRIGGER base_replica AFTER UPDATE ON vw.base
    FOR EACH ROW EXECUTE FUNCTION vw.check_amount();
ALTER TABLE vw.base ENABLE REPLICA TRIGGER base_replica;
CREATE TRIGGER base_always AFTER DELETE ON vw.base
    FOR EACH ROW EXECUTE FUNCTION vw.check_amount();
ALTER TABLE vw.base ENABLE ALWAYS TRIGGER base_always;
CREATE TRIGGER visible_instead INSTEAD OF INSERT ON vw.visible
    FOR EACH ROW EXECUTE FUNCTION vw.visible_insert();
-- On a partitioned table (cloned to its partitions), one partition's clone disabled.
CREATE FUNCTION vw.noop_row() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER measurements_row BEFORE INSERT OR UPDATE ON tbl.measurements
    FOR EACH ROW EXECUTE FUNCTION vw.noop_row();
ALTER TABLE tbl.measurements_2023 DISABLE TRIGGER measurements_row;
CREATE TRIGGER measurements_stmt AFTER UPDATE ON tbl.measurements
    FOR EACH STATEMENT EXECUTE FUNCTION vw.log_op('partitioned');
COMMENT ON TRIGGER measurements_row ON tbl.measurements IS 'trigger on a partitioned table';

-- Exercise the triggers a little (fills vw.audit_log).
INSERT INTO vw.base VALUES (4, 'four', 40, false, NULL);
UPDATE vw.base SET amount = 400 WHERE id = 4;
INSERT INTO vw.visible (id, name, amount) VALUES (5, 'five via view', 5);

-- Event triggers (they do nothing harmful: later fixture files and restores
-- run with them in place).
CREATE FUNCTION vw.evt_noop() RETURNS event_trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1;
END
$$;
CREATE EVENT TRIGGER cbd_evt_ddl_start ON ddl_command_start
    WHEN TAG IN ('CREATE TABLE', 'DROP TABLE')
    EXECUTE FUNCTION vw.evt_noop();
COMMENT ON EVENT TRIGGER cbd_evt_ddl_start IS 'event trigger comment';
CREATE EVENT TRIGGER cbd_evt_drop ON sql_drop
    EXECUTE FUNCTION vw.evt_noop();
CREATE EVENT TRIGGER cbd_evt_rewrite ON table_rewrite
    EXECUTE FUNCTION vw.evt_noop();
ALTER EVENT TRIGGER cbd_evt_rewrite DISABLE;
CREATE EVENT TRIGGER cbd_evt_end ON ddl_command_end
    EXECUTE FUNCTION vw.evt_noop();
ALTER EVENT TRIGGER cbd_evt_end ENABLE ALWAYS;

RESET search_path;
