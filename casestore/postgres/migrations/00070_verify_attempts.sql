-- Verification attempt counters (casestore.Attempts): the lockouts of the
-- debtor verification live in the system of record, so a Redis flush or
-- restart does not reset them. key is the caller's hash of what is
-- counted (a case and a sender, a client address): no personal data.

-- +goose Up
CREATE TABLE verify_attempts (
    key   TEXT        PRIMARY KEY CHECK (key <> ''),
    count INTEGER     NOT NULL CHECK (count >= 0),
    until TIMESTAMPTZ NOT NULL
);
CREATE INDEX verify_attempts_until ON verify_attempts (until);

-- +goose Down
DROP TABLE verify_attempts;
