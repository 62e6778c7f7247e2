-- 07_text_search_fdw.sql: text search parser and template (built on the
-- built-in C functions), dictionaries (with options), configurations (a copy
-- with altered mappings, one built from the custom parser); foreign data
-- wrappers (a dummy one with no handler and options, postgres_fdw), servers
-- (with type, version, options, owner), user mappings (for a role, for
-- PUBLIC, with quoted options), foreign tables (options, column options, a
-- CHECK constraint, one as a partition of a partitioned table, one as an
-- inheritance child), with comments and grants.

SET client_min_messages = warning;

CREATE SCHEMA ts AUTHORIZATION cbd_owner;
SET search_path = ts, public;

-- Text search.
CREATE TEXT SEARCH PARSER ts.fx_parser (
    START = prsd_start,
    GETTOKEN = prsd_nexttoken,
    END = prsd_end,
    LEXTYPES = prsd_lextype,
    HEADLINE = prsd_headline
);
COMMENT ON TEXT SEARCH PARSER ts.fx_parser IS 'the default parser, renamed';
CREATE TEXT SEARCH TEMPLATE ts.fx_simple_tmpl (
    INIT = dsimple_init,
    LEXIZE = dsimple_lexize
);
COMMENT ON TEXT SEARCH TEMPLATE ts.fx_simple_tmpl IS 'the simple template, renamed';
CREATE TEXT SEARCH DICTIONARY ts.fx_simple (
    TEMPLATE = ts.fx_simple_tmpl,
    STOPWORDS = english,
    ACCEPT = false
);
CREATE TEXT SEARCH DICTIONARY ts.fx_english (
    TEMPLATE = snowball,
    LANGUAGE = english,
    STOPWORDS = english
);
COMMENT ON TEXT SEARCH DICTIONARY ts.fx_english IS 'snowball english';
ALTER TEXT SEARCH DICTIONARY ts.fx_english OWNER TO cbd_owner;
CREATE TEXT SEARCH CONFIGURATION ts.fx_config (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION ts.fx_config
    ALTER MAPPING FOR asciiword, word WITH ts.fx_simple, ts.fx_english;
ALTER TEXT SEARCH CONFIGURATION ts.fx_config
    DROP MAPPING FOR email, url, url_path;
COMMENT ON TEXT SEARCH CONFIGURATION ts.fx_config IS 'custom configuration';
CREATE TEXT SEARCH CONFIGURATION ts.fx_parsed (PARSER = ts.fx_parser);
ALTER TEXT SEARCH CONFIGURATION ts.fx_parsed
    ADD MAPPING FOR asciiword, asciihword, hword_asciipart WITH simple;
ALTER TEXT SEARCH CONFIGURATION ts.fx_parsed OWNER TO cbd_owner;

CREATE TABLE ts.documents (
    id integer PRIMARY KEY,
    body text,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('ts.fx_config', coalesce(body, ''))) STORED
);
CREATE INDEX documents_tsv ON ts.documents USING gin (tsv);
INSERT INTO ts.documents (id, body) VALUES
    (1, 'The quick brown foxes jumped over the lazy dogs'),
    (2, 'Dumping and restoring databases, byte for byte'),
    (3, NULL);

-- Foreign data wrappers, servers, user mappings.
CREATE FOREIGN DATA WRAPPER fx_dummy_fdw OPTIONS (debug 'true', "quoted opt" 'it''s');
COMMENT ON FOREIGN DATA WRAPPER fx_dummy_fdw IS 'no handler, no validator';
ALTER FOREIGN DATA WRAPPER fx_dummy_fdw OWNER TO postgres;
CREATE SERVER fx_dummy_server TYPE 'dummy' VERSION '1.0'
    FOREIGN DATA WRAPPER fx_dummy_fdw OPTIONS (host 'nowhere.invalid');
ALTER SERVER fx_dummy_server OWNER TO cbd_admin;
COMMENT ON SERVER fx_dummy_server IS 'server on the dummy wrapper';
CREATE SERVER fx_pg_server FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'localhost.invalid', port '5432', dbname 'remote db', fetch_size '500');
GRANT USAGE ON FOREIGN SERVER fx_pg_server TO cbd_reader;
GRANT USAGE ON FOREIGN SERVER fx_dummy_server TO cbd_writer WITH GRANT OPTION;
CREATE USER MAPPING FOR cbd_reader SERVER fx_pg_server
    OPTIONS (user 'remote_reader', password 'not a real password: ''quoted''');
CREATE USER MAPPING FOR PUBLIC SERVER fx_pg_server OPTIONS (user 'nobody');
CREATE USER MAPPING FOR "cbd ""quoted"" role" SERVER fx_dummy_server;
CREATE USER MAPPING FOR postgres SERVER fx_dummy_server OPTIONS (token 'x');

-- Foreign tables.
CREATE FOREIGN TABLE ts.remote_items (
    id integer OPTIONS (column_name 'item_id') NOT NULL,
    name text COLLATE "C",
    price numeric DEFAULT 0 CHECK (price >= 0),
    extra jsonb
) SERVER fx_pg_server OPTIONS (schema_name 'public', table_name 'items');
COMMENT ON FOREIGN TABLE ts.remote_items IS 'a postgres_fdw foreign table';
COMMENT ON COLUMN ts.remote_items.name IS 'foreign column comment';
ALTER FOREIGN TABLE ts.remote_items OWNER TO cbd_owner;
ALTER FOREIGN TABLE ts.remote_items ALTER COLUMN extra SET STATISTICS 10;
ALTER FOREIGN TABLE ts.remote_items ALTER COLUMN name OPTIONS (ADD column_name 'item name');
GRANT SELECT ON ts.remote_items TO cbd_reader;
CREATE FOREIGN TABLE ts.dummy_ft (a integer, b text) SERVER fx_dummy_server;

-- A foreign table as a partition, and as an inheritance child.
CREATE TABLE ts.log (day date NOT NULL, msg text) PARTITION BY RANGE (day);
CREATE TABLE ts.log_local PARTITION OF ts.log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FOREIGN TABLE ts.log_remote PARTITION OF ts.log
    FOR VALUES FROM ('2020-01-01') TO ('2024-01-01')
    SERVER fx_pg_server OPTIONS (table_name 'log_archive');
INSERT INTO ts.log VALUES ('2024-06-01', 'local row');
CREATE TABLE ts.parent_local (id integer, v text);
CREATE FOREIGN TABLE ts.child_remote () INHERITS (ts.parent_local)
    SERVER fx_dummy_server OPTIONS (path '/dev/null');

RESET search_path;
