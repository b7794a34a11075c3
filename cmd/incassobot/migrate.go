package main

import (
	"context"
	"fmt"
)

func init() {
	register(command{name: "migrate", summary: "bring the configured store's schema up to date", run: cmdMigrate})
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "")
	if _, err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	_, st, err := e.openConfigured(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(e.stdout, "migrated %s: schema is up to date\n", st.desc)
	return nil
}
