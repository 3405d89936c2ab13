-- The API normalises every email address in one place (EmailAddresses: NFC, then the JVM's
-- Unicode lower case). PostgreSQL's lower() follows the C library's Unicode tables, which differ
-- from the JVM's for some code points (a letter newer than the JVM's Unicode version, special
-- casings such as U+0130), so the old CHECK refused some normalised addresses and registration
-- answered 500. The check now holds what both always agree on: no ASCII upper case. The unique
-- index stays on the normalised address.
ALTER TABLE app_user
  DROP CONSTRAINT app_user_email_normalised,
  ADD CONSTRAINT app_user_email_normalised CHECK (email = lower(email COLLATE "C"));
