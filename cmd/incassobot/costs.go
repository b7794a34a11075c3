package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/importfile"
)

func init() {
	register(command{name: "costs", args: "--regime R --principal X [--vat] [--json]", summary: "collection costs for a principal under a regime", run: cmdCosts})
}

func cmdCosts(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "costs", "--regime R --principal X [--vat] [--json]")
	regime := fs.String("regime", "", "nl-b2c, nl-b2b, be-b2c or be-b2b")
	principal := fs.String("principal", "", "principal (hoofdsom) in euros: 2500, 2500.00 or 2.500,00")
	vat := fs.Bool("vat", false, "the creditor cannot deduct VAT: add 21% VAT on the costs")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return helpOK(err)
	}
	var problems []string
	if len(pos) > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q", pos[0]))
	}
	r := casestore.Regime(strings.ToLower(strings.TrimSpace(*regime)))
	if !r.Valid() {
		problems = append(problems, fmt.Sprintf("--regime %q: want one of %s", *regime, regimeList()))
	}
	p, err := importfile.ParseAmount(*principal)
	if err != nil {
		problems = append(problems, "--principal: "+err.Error())
	} else if !p.IsPositive() {
		problems = append(problems, fmt.Sprintf("--principal %s: must be more than zero", *principal))
	}
	if len(problems) > 0 {
		return usageErrorf("costs: %s", strings.Join(problems, "; "))
	}
	c, err := casestore.CollectionCosts(r, p, *vat)
	if errors.Is(err, casestore.ErrInvalid) {
		return usageError{fmt.Errorf("costs: %w", err)}
	}
	if err != nil {
		return fmt.Errorf("costs: %w", err)
	}
	if *asJSON {
		return printJSON(e, costsJSON{Regime: c.Regime, Principal: casestore.Money(c.Principal), Costs: casestore.Money(c.Costs),
			VAT: casestore.Money(c.VAT), Total: casestore.Money(c.Total), Basis: c.Basis, Sources: c.Sources})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Regime\t%s\n", c.Regime)
	fmt.Fprintf(tw, "Hoofdsom (principal)\t%s\n", euro(c.Principal))
	fmt.Fprintf(tw, "Incassokosten (costs)\t%s\n", euro(c.Costs))
	fmt.Fprintf(tw, "Btw (VAT)\t%s\n", euro(c.VAT))
	fmt.Fprintf(tw, "Totaal kosten (costs + VAT)\t%s\n", euro(c.Total))
	tw.Flush()
	fmt.Fprintf(e.stdout, "Basis: %s\n", c.Basis)
	for _, s := range c.Sources {
		fmt.Fprintf(e.stdout, "Source: %s\n", s)
	}
	return nil
}

// costsJSON is `costs --json`, money as "375.00".
type costsJSON struct {
	Regime    casestore.Regime `json:"regime"`
	Principal casestore.Money  `json:"principal"`
	Costs     casestore.Money  `json:"costs"` // excl. VAT
	VAT       casestore.Money  `json:"vat"`
	Total     casestore.Money  `json:"total"` // costs + VAT
	Basis     string           `json:"basis"`
	Sources   []string         `json:"sources"`
}

func regimeList() string {
	names := make([]string, len(casestore.Regimes))
	for i, r := range casestore.Regimes {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
