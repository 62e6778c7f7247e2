-- 09_large_objects.sql: large objects with fixed OIDs (OIDs are per database,
-- so loading into several databases of one cluster works): an empty one, one
-- of exactly 16384 bytes (pg_dump's LO buffer size), one of 40000 bytes of
-- incompressible data, a text one with hostile content, one with a comment
-- (containing a newline, "\!" and "\." lines), one owned by another role,
-- two with ACLs (one of them owned by another role), one with OID >= 2^31,
-- and a table referencing them. pg_dump 17+ groups large objects that share
-- owner and ACL into one TOC entry; these cover several groups.

SET client_min_messages = warning;

SELECT lo_from_bytea(100001, ''::bytea);

SELECT lo_from_bytea(100002,
    (SELECT decode(string_agg(lpad(to_hex((i * 7) % 256), 2, '0'), '' ORDER BY i), 'hex')
     FROM generate_series(0, 16383) AS i));

SELECT lo_from_bytea(100003,
    (SELECT decode(string_agg(md5(i::text), '' ORDER BY i), 'hex')
     FROM generate_series(1, 2500) AS i));

SELECT lo_from_bytea(100004, convert_to(E'text large object\n\\.\n\\! echo pwned\ntab\there, ünïcødé 表\n', 'UTF8'));
COMMENT ON LARGE OBJECT 100004 IS 'large object comment with ''quotes'' and a \backslash
\! echo pwned
\.
the end';

SELECT lo_from_bytea(100005, '\x00010203fffefd'::bytea);
ALTER LARGE OBJECT 100005 OWNER TO cbd_owner;
COMMENT ON LARGE OBJECT 100005 IS 'owned by cbd_owner';

SELECT lo_from_bytea(100006, convert_to('readable by cbd_reader', 'UTF8'));
GRANT SELECT ON LARGE OBJECT 100006 TO cbd_reader;
GRANT SELECT, UPDATE ON LARGE OBJECT 100006 TO cbd_writer WITH GRANT OPTION;

SELECT lo_from_bytea(100007, convert_to('owned by cbd_writer, with an ACL', 'UTF8'));
ALTER LARGE OBJECT 100007 OWNER TO cbd_writer;
GRANT SELECT ON LARGE OBJECT 100007 TO PUBLIC;

SELECT lo_create(100008);

-- OID above 2^31 (negative as a signed 32-bit integer).
SELECT lo_create(3000000000);
SELECT lo_put(3000000000, 0, convert_to('high oid', 'UTF8'));
COMMENT ON LARGE OBJECT 3000000000 IS 'OID 3000000000';

CREATE TABLE data.lo_refs (name text PRIMARY KEY, blob oid);
INSERT INTO data.lo_refs VALUES
    ('empty', 100001), ('exactly 16384', 100002), ('40000', 100003),
    ('text', 100004), ('owned', 100005), ('acl', 100006), ('acl owned', 100007),
    ('created empty', 100008), ('high oid', 3000000000);
