-- Security: the append-only audit trail. One row per security- or money-relevant fact: logins,
-- token reuse, logouts, account status changes, accepted and rejected money movements, limit hits.
-- Rows that record a change are written in the same transaction as the change, so the trail and
-- the data cannot disagree. Metadata never holds passwords, tokens or full email addresses.

CREATE TABLE audit_event (
    id             uuid        PRIMARY KEY,
    type           text        NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.]{0,63}$'),
    user_id        uuid,
    request_id     text        CHECK (length(request_id) <= 128),
    client_address text        CHECK (length(client_address) <= 64),
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL
);
-- Ids are UUIDv7 (time-ordered), so "newest first" is "id descending" for every filter.
CREATE INDEX audit_event_user_idx ON audit_event (user_id, id);
CREATE INDEX audit_event_type_idx ON audit_event (type, id);

-- The trail is evidence: nobody, not even the application, may rewrite or erase it.
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_event_is_append_only
    BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_is_not_truncated
    BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
