package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/importfile"
	"github.com/shopspring/decimal"
)

func init() {
	register(command{name: "balance", args: "--case REF [--as-of YYYY-MM-DD|+DAYS] [--json]", summary: "a case's balance per invoice and in total", run: cmdBalance})
}

func cmdBalance(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "balance", "--case REF [--as-of YYYY-MM-DD|+DAYS] [--json]")
	ref := fs.String("case", "", "dossier number, e.g. IB-2026-000101")
	asOfFlag := fs.String("as-of", "", "the day to compute the balance on: YYYY-MM-DD, or +N for N days from today (default: today in Amsterdam)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return helpOK(err)
	}
	var problems []string
	if len(pos) > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q", pos[0]))
	}
	if strings.TrimSpace(*ref) == "" {
		problems = append(problems, "--case is required")
	}
	asOf := casestore.DayOf(e.now())
	if days, ok := strings.CutPrefix(*asOfFlag, "+"); ok {
		// Relative to today: the demo cases are dated relative to the day
		// they were seeded, so a fixed date in an example goes stale.
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 36600 {
			problems = append(problems, fmt.Sprintf("--as-of %q: want +N, a number of days from today", *asOfFlag))
		}
		asOf = asOf.AddDate(0, 0, n)
	} else if *asOfFlag != "" {
		if asOf, err = importfile.ParseDay(*asOfFlag); err != nil {
			problems = append(problems, "--as-of: "+err.Error())
		}
	}
	if len(problems) > 0 {
		return usageErrorf("balance: %s", strings.Join(problems, "; "))
	}
	_, st, err := e.openConfigured(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.CaseByRef(ctx, strings.TrimSpace(*ref))
	if errors.Is(err, casestore.ErrNotFound) {
		return fmt.Errorf("balance: no case with dossier number %q in %s%s", *ref, st.desc, emptyStoreHint(ctx, st))
	}
	if err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	b, err := casestore.Balance(c, asOf)
	if err != nil {
		return fmt.Errorf("balance of %s: %w", c.Ref, err)
	}
	if *asJSON {
		return printJSON(e, balanceJSON{CaseRef: b.CaseRef, Regime: b.Regime, Balance: api.NewBalance(b), Explanation: b.Explanation})
	}
	printBreakdown(e, c, b)
	return nil
}

// balanceJSON is `balance --json`: the balance exactly as the creditors'
// API shows it (two-decimal money, days as YYYY-MM-DD), with the case it
// belongs to.
type balanceJSON struct {
	CaseRef string           `json:"case_ref"`
	Regime  casestore.Regime `json:"regime"`
	*api.Balance
	// Explanation is what the figures rest on (issue #14): the interest and
	// its rates per period, the day costs became due and why, the clause.
	Explanation casestore.Explanation `json:"explanation"`
}

// printJSON writes one indented JSON document: the --json output of the
// one-shot commands.
func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printBreakdown(e *env, c *casestore.Case, b casestore.Breakdown) {
	fmt.Fprintf(e.stdout, "Dossier %s  %s  %s, %s  op (as of) %s\n", b.CaseRef, c.Creditor.Name, b.Regime, c.Stage, day(b.AsOf))
	fmt.Fprintln(e.stdout)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "factuur (invoice)\tvervaldag (due)\tstatus\thoofdsom (principal)\trente (interest)\t%s (costs)\tbtw (VAT)\tbetaald (paid)\topen\t\n", b.Explanation.CostsName)
	for _, inv := range b.Invoices {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", inv.Number, day(inv.DueDate), inv.Status, amountCells(inv.Amounts))
	}
	fmt.Fprintf(tw, "totaal (total)\t\t\t%s\n", amountCells(b.Total))
	tw.Flush()
	if b.CostsFrom != nil {
		fmt.Fprintf(e.stdout, "\nIncassokosten zijn pas verschuldigd vanaf %s (collection costs may be charged from that day).\n", day(*b.CostsFrom))
	}
	printExplanation(e, b.Explanation)
}

// printExplanation says what the figures rest on, for a lawyer checking
// them: the interest and its rates per period, why the costs are due (or
// not) and how they were computed.
func printExplanation(e *env, x casestore.Explanation) {
	fmt.Fprintf(e.stdout, "\nRente (interest): %s; %s\n", x.InterestLaw, x.InterestRule)
	for _, r := range x.Rates {
		confirmed := ""
		if !r.Confirmed {
			confirmed = " (unconfirmed rate)"
		}
		fmt.Fprintf(e.stdout, "  %s – %s  %s%%%s  %s\n", day(r.From), day(r.To), r.Percent.StringFixed(2), confirmed, r.Source)
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", strings.ToUpper(x.CostsName[:1])+x.CostsName[1:], x.CostsReason)
	if x.CostsBasis != "" {
		fmt.Fprintf(e.stdout, "  %s over %s; %s\n", x.CostsBasis, euro(x.CostsBase), strings.Join(x.CostsSources, "; "))
	}
	if len(x.OutsideLetter) > 0 {
		fmt.Fprintf(e.stdout, "  not yet due when the letter was sent, so no costs on: %s\n", strings.Join(x.OutsideLetter, ", "))
	}
	if x.Clause != nil {
		fmt.Fprintf(e.stdout, "  contract clause: %q\n", x.Clause.Terms)
	}
}

func amountCells(a casestore.Amounts) string {
	cells := []decimal.Decimal{a.Principal, a.Interest, a.Costs, a.CostsVAT, a.Paid, a.Open}
	s := make([]string, len(cells))
	for i, d := range cells {
		s[i] = d.StringFixed(2)
	}
	return strings.Join(s, "\t") + "\t"
}

// euro writes an amount as people read it on a letter: €2,500.00.
func euro(d decimal.Decimal) string {
	s := d.StringFixed(2)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + "€" + b.String() + "." + frac
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
