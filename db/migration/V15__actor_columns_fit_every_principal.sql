-- Who did something is the caller's principal name: "token:" + a token name (up to 100), a dashboard user name (up
-- to 100) or "agent:" + a hostname (up to 253). The columns holding it were 100 wide, so an API token with a long
-- name could not grant an upload or leave an audit record. Widening a VARCHAR rewrites nothing.
ALTER TABLE audit_event ALTER COLUMN actor TYPE VARCHAR(300);
ALTER TABLE api_token ALTER COLUMN created_by TYPE VARCHAR(300);
ALTER TABLE enrollment_token ALTER COLUMN created_by TYPE VARCHAR(300);
ALTER TABLE upload_lease ALTER COLUMN granted_by TYPE VARCHAR(300);
ALTER TABLE purchase ALTER COLUMN created_by TYPE VARCHAR(300);
