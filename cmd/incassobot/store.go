package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/demo"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/sqlite"
)

// openedStore is the configured store and a description fit for a log
// line (no password).
type openedStore struct {
	casestore.Store
	desc     string
	embedded bool
}

// openStore opens PostgreSQL when DATABASE_URL is set, else the embedded
// SQLite file. The SQLite file is always migrated: it is the zero-setup
// default and nobody runs `migrate` for it. PostgreSQL is migrated only
// when asked (serve, migrate), since in production schema changes are a
// deliberate step.
func openStore(ctx context.Context, e *env, cfg config, migrate bool) (*openedStore, error) {
	if cfg.DatabaseURL != "" && migrate && cfg.MigrateDatabaseURL != "" {
		if err := migrateAsOwner(ctx, cfg.MigrateDatabaseURL); err != nil {
			return nil, err
		}
		migrate = false
	}
	if cfg.DatabaseURL != "" {
		st, err := postgres.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL %s: %w", redactURL(cfg.DatabaseURL), err)
		}
		st.Now = e.now
		o := &openedStore{Store: st, desc: "postgres " + redactURL(cfg.DatabaseURL)}
		if migrate {
			if err := st.Migrate(ctx); err != nil {
				st.Close()
				return nil, fmt.Errorf("migrate PostgreSQL %s: %w", redactURL(cfg.DatabaseURL), err)
			}
		}
		return o, nil
	}
	st, err := sqlite.Open(ctx, cfg.DBPath)
	if err != nil {
		return nil, fmt.Errorf("open SQLite file %s: %w", cfg.DBPath, err)
	}
	st.Now = e.now
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("migrate SQLite file %s: %w", cfg.DBPath, err)
	}
	return &openedStore{Store: st, desc: "sqlite " + cfg.DBPath, embedded: true}, nil
}

// migrateAsOwner migrates the database as the schema's owner (the
// production split: the application's own role cannot alter the schema,
// nor disable the dossier's append-only triggers).
func migrateAsOwner(ctx context.Context, url string) error {
	owner, err := postgres.Open(ctx, url)
	if err != nil {
		return fmt.Errorf("open PostgreSQL %s (MIGRATE_DATABASE_URL): %w", redactURL(url), err)
	}
	defer owner.Close()
	if err := owner.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate PostgreSQL %s (MIGRATE_DATABASE_URL): %w", redactURL(url), err)
	}
	return nil
}

// openConfigured reads the configuration and opens the store it names:
// the first steps of every command that touches cases.
func (e *env) openConfigured(ctx context.Context, migrate bool) (config, *openedStore, error) {
	cfg, err := e.config()
	if err != nil {
		return cfg, nil, err
	}
	st, err := openStore(ctx, e, cfg, migrate)
	return cfg, st, err
}

// seedIfEmpty fills an embedded store that has no cases with the demo set,
// so `incassobot serve` on a fresh checkout has cases to talk about.
func seedIfEmpty(ctx context.Context, e *env, st *openedStore) error {
	if !st.embedded {
		return nil
	}
	cases, err := st.Cases(ctx, casestore.CaseFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("look for cases: %w", err)
	}
	if len(cases) > 0 {
		return nil
	}
	n, err := demo.Seed(ctx, st.Store, e.now())
	if err != nil {
		return fmt.Errorf("seed demo cases: %w", err)
	}
	e.log.Info("embedded store was empty: seeded demo cases", "cases", n, "store", st.desc)
	return nil
}

// emptyStoreHint is what to add to "no case" when the store has no cases
// at all: how cases get there. Empty when there are cases.
func emptyStoreHint(ctx context.Context, st *openedStore) string {
	cases, err := st.Cases(ctx, casestore.CaseFilter{Limit: 1})
	if err != nil || len(cases) > 0 {
		return ""
	}
	if st.embedded {
		return " (the store holds no cases yet: run `incassobot serve` once to seed the demo set, or `incassobot import FILE`)"
	}
	return " (the store holds no cases yet: `incassobot import FILE`)"
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
