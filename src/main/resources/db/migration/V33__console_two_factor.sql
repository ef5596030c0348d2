-- Optional two-factor sign-in to the console (TOTP, RFC 6238): the user's secret, sealed like channel tokens (it
-- cannot be hashed: the server computes codes from it), and the last time step a code was used in (a code works
-- once).
ALTER TABLE users
    ADD COLUMN totp_secret    text,
    ADD COLUMN totp_last_step bigint;
