-- The application's own database role (issue 13: it could disable the
-- append-only triggers, being the tables' owner). In production the
-- schema belongs to an owner role that runs `incassobot migrate`
-- (MIGRATE_DATABASE_URL); the application logs in (DATABASE_URL) as a role
-- that is a member of incassobot_app: rows only, never the schema. Not
-- owning the tables it cannot ALTER them (DISABLE TRIGGER included) nor
-- TRUNCATE them, and it may not UPDATE or DELETE the append-only records
-- at all. Tables later migrations add get the same rights by default.
--
-- Set up once, as a superuser or a role with CREATEROLE:
--   CREATE ROLE incassobot LOGIN PASSWORD '…' IN ROLE incassobot_app;
-- incassobot_app is made here when the migrating role may create roles;
-- otherwise create it first (CREATE ROLE incassobot_app NOLOGIN).
-- Roles are per cluster: several databases of one cluster share it.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'incassobot_app') THEN
        CREATE ROLE incassobot_app NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege OR unique_violation OR duplicate_object THEN
    RAISE NOTICE 'incassobot_app not created (%): create it as a superuser', SQLERRM;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'incassobot_app') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO incassobot_app', current_schema());
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO incassobot_app', current_schema());
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO incassobot_app', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO incassobot_app', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO incassobot_app', current_schema());
        -- The evidence: append and read only.
        REVOKE UPDATE, DELETE ON dossier, inbound_messages, media, handoff_log FROM incassobot_app;
    END IF;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'incassobot_app') THEN
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM incassobot_app', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM incassobot_app', current_schema());
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM incassobot_app', current_schema());
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM incassobot_app', current_schema());
    END IF;
END;
$$;
-- +goose StatementEnd
