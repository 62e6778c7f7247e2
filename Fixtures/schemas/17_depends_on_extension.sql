-- DEPENDS ON EXTENSION on each kind pg_dump writes it for (functions, indexes, materialized
-- views, triggers): pg_dump's append_depends_on_extension, whose layout changed in 17 (issue 21).
CREATE SCHEMA depx;
CREATE FUNCTION depx.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION depx.f() DEPENDS ON EXTENSION plpgsql;
CREATE TABLE depx.t (a int);
CREATE INDEX t_a_idx ON depx.t (a);
ALTER INDEX depx.t_a_idx DEPENDS ON EXTENSION plpgsql;
CREATE MATERIALIZED VIEW depx.mv AS SELECT 1 AS x;
ALTER MATERIALIZED VIEW depx.mv DEPENDS ON EXTENSION plpgsql;
CREATE FUNCTION depx.trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER tt BEFORE INSERT ON depx.t FOR EACH ROW EXECUTE FUNCTION depx.trg();
ALTER TRIGGER tt ON depx.t DEPENDS ON EXTENSION plpgsql;
