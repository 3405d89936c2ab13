-- Every instance caches which logins (refresh-token families) are still active, so that a bearer
-- token is checked without a query per request. A revocation must reach those caches: the
-- trigger announces it on commit (PostgreSQL folds the identical notifications of one
-- transaction into one), whichever statement revoked the rows.
CREATE FUNCTION announce_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('paystream_sessions', NEW.family_id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER refresh_token_revoked
  AFTER UPDATE OF revoked_at ON refresh_token
  FOR EACH ROW
  WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
  EXECUTE FUNCTION announce_session_revoked();
