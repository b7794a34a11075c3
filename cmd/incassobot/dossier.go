package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

func init() {
	register(command{name: "dossier", args: "verify --case REF | --all", summary: "recompute dossiers' hash chains and name the first entry that does not match", run: cmdDossier})
}

const dossierSynopsis = "verify --case REF | --all"

// cmdDossier is `dossier verify`: for a court, or before handing a
// dossier over, it recomputes the hash chain from the stored entries.
// Exit status 1 when any chain is broken.
func cmdDossier(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintf(e.stdout, "Usage: incassobot dossier %s\n", dossierSynopsis)
			return nil
		}
		fmt.Fprintf(e.stderr, "Usage: incassobot dossier %s\n", dossierSynopsis)
		return usageErrorf("dossier: want verify")
	}
	fs := newFlags(e, "dossier verify", "--case REF | --all")
	ref := fs.String("case", "", "dossier number, e.g. IB-2026-000101")
	all := fs.Bool("all", false, "every case with a dossier")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return helpOK(err)
	}
	switch {
	case len(pos) > 0:
		return usageErrorf("dossier verify: unexpected argument %q", pos[0])
	case (strings.TrimSpace(*ref) == "") == !*all:
		return usageErrorf("dossier verify: give --case REF or --all (one of them)")
	}
	_, st, err := e.openConfigured(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var reports []casestore.ChainReport
	if *all {
		if reports, err = st.VerifyDossiers(ctx); err != nil {
			return fmt.Errorf("dossier verify: %w", err)
		}
	} else {
		c, err := st.CaseByRef(ctx, strings.TrimSpace(*ref))
		if errors.Is(err, casestore.ErrNotFound) {
			return fmt.Errorf("dossier verify: no case with dossier number %q in %s", *ref, st.desc)
		}
		if err != nil {
			return fmt.Errorf("dossier verify: %w", err)
		}
		r, err := st.VerifyDossier(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("dossier verify: %w", err)
		}
		reports = append(reports, r)
	}
	broken := 0
	for _, r := range reports {
		if r.Broken != nil {
			broken++
			fmt.Fprintln(e.stdout, "BROKEN "+r.String())
		} else {
			fmt.Fprintln(e.stdout, "ok     "+r.String())
		}
	}
	if broken > 0 {
		return fmt.Errorf("dossier verify: %d of %d dossiers do not match their hash chain", broken, len(reports))
	}
	if *all {
		fmt.Fprintf(e.stdout, "%d dossiers verified, every chain intact\n", len(reports))
	}
	return nil
}
