package main

import (
	"context"
	"fmt"
	"os"

	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore/bankfile"
)

func init() {
	register(command{name: "payments", args: "import FILE", summary: "book a bank statement (CAMT.053 or CSV) on the cases", run: cmdPayments})
}

func cmdPayments(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "payments", "import FILE")
	fs.Usage = func() { fmt.Fprint(fs.Output(), paymentsUsage) }
	pos, err := parseFlags(fs, args)
	if err != nil {
		return helpOK(err)
	}
	if len(pos) != 2 || pos[0] != "import" {
		fs.Usage()
		return usageErrorf("payments: want import FILE")
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	lines, problems, err := bankfile.Parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[1], err)
	}
	st, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var progress func(done, total int)
	if bar := newImportBar(e, len(lines)); bar != nil {
		bar.Describe("booking the statement")
		progress = func(done, total int) { bar.Set(done) }
		defer func() { bar.Finish(); fmt.Fprintln(e.stderr) }()
	}
	sum, err := payments.ImportStatement(ctx, st, lines, e.now(), progress)
	problems = append(problems, sum.Problems...)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p)
	}
	fmt.Fprintf(e.stdout, "%d payments booked, %d to the console's queue (no or an ambiguous reference), %d imported before, %d debits skipped, %d bad lines\n",
		sum.Booked, sum.Queued, sum.Seen, sum.Debits, len(problems))
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d bad lines (listed above); the good ones were booked", len(problems))
	}
	return nil
}

const paymentsUsage = `Usage: incassobot payments import FILE

Books the credits of a bank statement on their cases. FILE is CAMT.053
(ISO 20022 BankToCustomerStatement, .001.02 to .001.08, as Dutch and
Belgian banks export it) or CSV in the layout of docs/PAYMENTS.md.

A credit is booked on the case whose payment reference (NL
betalingskenmerk, BE structured communication) it carries, else whose
dossier number its text names; anything else (and a reference naming
several cases) goes to the console's queue, where a collector assigns it,
with a suggested case when the amount and the payer's name fit one.
Debits are skipped. Each line is booked once under the bank's entry
reference, so importing a statement again books nothing twice. Bad lines
are reported as "line N: reason" and the exit status is 1.
`
