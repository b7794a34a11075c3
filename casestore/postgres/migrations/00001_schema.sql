-- The collection domain: creditors, debtors, cases with their invoices and
-- payments, disputes, plans, promises and the append-only dossier.
-- Money is NUMERIC(14,2) (up to 999,999,999,999.99, exact to the cent),
-- calendar days are DATE, instants TIMESTAMPTZ.

-- +goose Up
CREATE TABLE creditors (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL UNIQUE CHECK (code <> ''),
    name              text NOT NULL CHECK (name <> ''),
    vat_on_costs      boolean NOT NULL DEFAULT false,
    -- a fraction of the principal (0.15 = 15%), not money: no fixed scale
    contractual_costs numeric NOT NULL DEFAULT 0 CHECK (contractual_costs >= 0),
    payment_url       text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL
);

CREATE TABLE debtors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref        text NOT NULL UNIQUE CHECK (ref <> ''),
    name       text NOT NULL CHECK (name <> ''),
    is_company boolean NOT NULL DEFAULT false,
    phones     text[] NOT NULL DEFAULT '{}',
    email      text NOT NULL DEFAULT '',
    postcode   text NOT NULL DEFAULT '',
    birth_date date,
    language   text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en', 'fr')),
    created_at timestamptz NOT NULL
);
-- "which debtors have this number on file": the first question of every
-- inbound SMS or WhatsApp message.
CREATE INDEX debtors_phones_idx ON debtors USING gin (phones);

CREATE TABLE cases (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- byte order, as the embedded store sorts: lists read the same on both
    ref            text COLLATE "C" NOT NULL CHECK (ref <> ''),
    creditor_id    bigint NOT NULL REFERENCES creditors (id),
    debtor_id      bigint NOT NULL REFERENCES debtors (id),
    regime         text NOT NULL CHECK (regime IN ('nl-b2c', 'nl-b2b', 'be-b2c', 'be-b2b')),
    stage          text NOT NULL CHECK (stage IN ('pre-incasso', 'minnelijk', 'gerechtelijk', 'executie')),
    status         text NOT NULL CHECK (status IN ('open', 'on-hold', 'in-plan', 'paid', 'closed')),
    letter_sent_on date,
    policy_max_terms            integer NOT NULL DEFAULT 0 CHECK (policy_max_terms >= 0),
    policy_min_installment      numeric(14,2) NOT NULL DEFAULT 0 CHECK (policy_min_installment >= 0),
    policy_down_payment_pct     numeric NOT NULL DEFAULT 0 CHECK (policy_down_payment_pct >= 0 AND policy_down_payment_pct <= 1),
    policy_interest_during_plan boolean NOT NULL DEFAULT false,
    policy_max_promise_days     integer NOT NULL DEFAULT 0 CHECK (policy_max_promise_days >= 0),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
-- Dossier numbers are typed by debtors: "ib-2026-1" is "IB-2026-1".
CREATE UNIQUE INDEX cases_ref_key ON cases (lower(ref));
-- A creditor's cases, listed by dossier number.
CREATE INDEX cases_creditor_ref_idx ON cases (creditor_id, ref);
CREATE INDEX cases_debtor_idx ON cases (debtor_id);

CREATE TABLE invoices (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    number      text NOT NULL CHECK (number <> ''),
    description text NOT NULL DEFAULT '',
    issue_date  date NOT NULL,
    due_date    date NOT NULL,
    principal   numeric(14,2) NOT NULL CHECK (principal > 0),
    status      text NOT NULL CHECK (status IN ('open', 'disputed', 'paused', 'paid', 'waived')),
    CHECK (due_date >= issue_date),
    UNIQUE (case_id, number),
    -- lets payments and disputes require that their invoice is of their case
    UNIQUE (id, case_id)
);

CREATE TABLE payments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    invoice_id bigint,
    amount     numeric(14,2) NOT NULL CHECK (amount > 0),
    value_date date NOT NULL,
    reference  text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    FOREIGN KEY (invoice_id, case_id) REFERENCES invoices (id, case_id)
);
CREATE INDEX payments_case_idx ON payments (case_id, value_date);

CREATE TABLE disputes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    invoice_id  bigint,
    reason      text NOT NULL CHECK (reason IN ('not-received', 'wrong-amount', 'faulty', 'already-paid', 'not-my-debt', 'other')),
    text        text NOT NULL DEFAULT '',
    evidence    text[] NOT NULL DEFAULT '{}',
    status      text NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    created_at  timestamptz NOT NULL,
    resolved_at timestamptz,
    CHECK ((status = 'open') = (resolved_at IS NULL)),
    FOREIGN KEY (invoice_id, case_id) REFERENCES invoices (id, case_id)
);
CREATE INDEX disputes_case_idx ON disputes (case_id, id);

CREATE TABLE plans (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES cases (id),
    status       text NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'completed', 'broken')),
    total        numeric(14,2) NOT NULL CHECK (total > 0),
    down_payment numeric(14,2) NOT NULL DEFAULT 0 CHECK (down_payment >= 0 AND down_payment <= total),
    created_at   timestamptz NOT NULL
);
CREATE INDEX plans_case_idx ON plans (case_id, id);

CREATE TABLE installments (
    plan_id bigint NOT NULL REFERENCES plans (id),
    seq     integer NOT NULL CHECK (seq > 0),
    due     date NOT NULL,
    amount  numeric(14,2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (plan_id, seq)
);

CREATE TABLE promises (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    amount     numeric(14,2) NOT NULL CHECK (amount > 0),
    date       date NOT NULL,
    status     text NOT NULL CHECK (status IN ('open', 'kept', 'broken')),
    created_at timestamptz NOT NULL
);
CREATE INDEX promises_case_idx ON promises (case_id, id);

CREATE TABLE dossier (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (id),
    kind    text NOT NULL CHECK (kind <> ''),
    actor   text NOT NULL DEFAULT '',
    channel text NOT NULL DEFAULT '',
    body    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(body) = 'object'),
    at      timestamptz NOT NULL
);
-- "the dossier of a case, newest first", paged by id.
CREATE INDEX dossier_case_id_idx ON dossier (case_id, id DESC);

-- The dossier is evidence a court may rely on: nothing changes or removes
-- an entry once written, not even a careless UPDATE in psql.
-- +goose StatementBegin
CREATE FUNCTION dossier_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dossier is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER dossier_no_update_delete BEFORE UPDATE OR DELETE ON dossier
    FOR EACH ROW EXECUTE FUNCTION dossier_append_only();
CREATE TRIGGER dossier_no_truncate BEFORE TRUNCATE ON dossier
    FOR EACH STATEMENT EXECUTE FUNCTION dossier_append_only();

-- +goose Down
DROP TABLE dossier;
DROP FUNCTION dossier_append_only();
DROP TABLE promises;
DROP TABLE installments;
DROP TABLE plans;
DROP TABLE disputes;
DROP TABLE payments;
DROP TABLE invoices;
DROP TABLE cases;
DROP TABLE debtors;
DROP TABLE creditors;
