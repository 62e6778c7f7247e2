-- 01_basics.sql: roles (idempotent, cluster-wide), schemas with owners and
-- comments, the public schema's comment and ACL, extensions from contrib (in
-- several schemas, one with a member whose ACL was changed), database-level
-- comment, settings and grants (DATABASE PROPERTIES), and a few simple objects
-- (a sequence, a table with rows, a view) so that this file alone makes a
-- small but complete dump.
--
-- Apply in name order with: psql -X -v ON_ERROR_STOP=1 -f FILE, into a fresh
-- UTF8 database created from template0, as a superuser. PostgreSQL 15+.

SET client_min_messages = warning;

-- Roles are cluster-wide: several databases of one cluster may load these
-- fixtures, so each role is created only if missing.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['cbd_owner', 'cbd_reader', 'cbd_writer', 'cbd_admin',
                             'cbd "quoted" role', 'Cbd_MixedCase']
    LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        EXCEPTION WHEN duplicate_object THEN
            NULL;
        END;
    END LOOP;
END
$roles$;

-- cbd_admin may act as cbd_owner (used for grants made by a non-owner grantor).
GRANT cbd_owner TO cbd_admin;

-- Database-level objects: only visible with pg_restore --create, but always
-- present in archive formats (DATABASE, DATABASE PROPERTIES entries).
DO $db$
BEGIN
    EXECUTE format('COMMENT ON DATABASE %I IS %L', current_database(),
                   'cbdump fixture database: it''s "quoted"');
    EXECUTE format('ALTER DATABASE %I SET cbdump.fixture = %L', current_database(), 'yes');
    EXECUTE format('ALTER ROLE cbd_reader IN DATABASE %I SET cbdump.role_setting = %L',
                   current_database(), 'on');
    EXECUTE format('GRANT CREATE, TEMPORARY ON DATABASE %I TO cbd_owner', current_database());
END
$db$;

-- The public schema: non-default comment and ACL.
COMMENT ON SCHEMA public IS 'public schema, comment changed by the fixtures';
GRANT USAGE ON SCHEMA public TO cbd_reader;
GRANT CREATE ON SCHEMA public TO cbd_writer;

-- Schemas with owners and comments.
CREATE SCHEMA app AUTHORIZATION cbd_owner;
COMMENT ON SCHEMA app IS 'application schema';
CREATE SCHEMA ext;
COMMENT ON SCHEMA ext IS 'extensions live here';
CREATE SCHEMA sec AUTHORIZATION cbd_admin;
COMMENT ON SCHEMA sec IS 'security fixtures: RLS, grants, default privileges';
CREATE SCHEMA empty_schema AUTHORIZATION cbd_reader;
COMMENT ON SCHEMA empty_schema IS 'a schema with nothing in it';
CREATE SCHEMA data;
COMMENT ON SCHEMA data IS 'table data fixtures';

-- Extensions from contrib.
CREATE EXTENSION hstore WITH SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE EXTENSION pg_trgm WITH SCHEMA public;
CREATE EXTENSION btree_gist WITH SCHEMA ext;
CREATE EXTENSION postgres_fdw;
COMMENT ON EXTENSION hstore IS 'key/value pairs (comment changed by the fixtures)';
-- A changed ACL on an extension member is dumped (pg_init_privs).
REVOKE ALL ON FUNCTION public.show_trgm(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.show_trgm(text) TO cbd_reader;

-- A few simple objects.
CREATE SEQUENCE app.ticket_seq START WITH 100 INCREMENT BY 5;
SELECT nextval('app.ticket_seq'), nextval('app.ticket_seq');
ALTER SEQUENCE app.ticket_seq OWNER TO cbd_owner;

CREATE TABLE app.settings (
    key   text PRIMARY KEY,
    value text,
    note  ext.citext
);
ALTER TABLE app.settings OWNER TO cbd_owner;
COMMENT ON TABLE app.settings IS 'simple key/value table';
COMMENT ON COLUMN app.settings.value IS 'the value; may be NULL';
INSERT INTO app.settings VALUES
    ('colour', 'blue', 'Mixed Case'),
    ('size', NULL, NULL),
    ('empty', '', '');

CREATE VIEW app.settings_view AS
    SELECT key, coalesce(value, '(null)') AS value FROM app.settings;
ALTER VIEW app.settings_view OWNER TO cbd_owner;
COMMENT ON VIEW app.settings_view IS 'view over settings';
