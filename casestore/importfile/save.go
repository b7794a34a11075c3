package importfile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Options steer Import.
type Options struct {
	// File names the source in each dossier entry ("cases-2026-03.csv").
	File string
	// DryRun checks every record against the store (new or update, and
	// whether it would be refused) without writing anything.
	DryRun bool
	// Progress, when set, is called after each record with the number done.
	Progress func(done, total int)
	// Batch is how many cases share a transaction (default 1: each its
	// own). A batch commits once for all its cases, which is most of what
	// a case costs; a case the store refuses rolls its batch back, and the
	// batch is written again one case per transaction, so the others are
	// imported and the refused one is a Problem, as with Batch 1. A crash
	// leaves whole batches: still only whole cases. A dry run ignores it.
	Batch int
	// Refused, when set, is called for each case the store refuses instead
	// of Import collecting them, so that a stream's memory stays flat.
	Refused func(Problem)
	// Created, when set, runs in the transaction that creates a new case
	// (not for an update): the follow-ups schedule its reminder sequence
	// there, so a case is never imported without it, nor it twice.
	Created func(ctx context.Context, tx casestore.Tx, c *casestore.Case) error
}

// Summary counts what an import did. BadRows includes the file's Problems
// and records the store refused.
type Summary struct {
	New, Updated, BadRows int
	DryRun                bool
}

func (s Summary) String() string {
	verb := "imported"
	if s.DryRun {
		verb = "would import"
	}
	return fmt.Sprintf("%s %d cases (%d new, %d updated), %d bad rows", verb, s.New+s.Updated, s.New, s.Updated, s.BadRows)
}

// Import writes every record, each in its own transaction (see
// Options.Batch), in file order. A record the store refuses (ErrInvalid,
// ErrConflict) becomes a Problem and the import goes on; any other error
// (context cancelled, database gone) stops it and is returned with the
// records done so far committed — running the same file again finishes
// the job, since every write is an upsert by dossier number, creditor
// code and debtor reference.
func Import(ctx context.Context, st casestore.Store, recs []Record, opt Options) (Summary, []Problem, error) {
	return ImportFrom(ctx, st, &sliceSource{recs: recs}, len(recs), opt)
}

// ImportFrom is Import reading the records from src (a Stream) as it
// goes: it holds one batch of cases at a time. total is how many src
// holds, for Progress and messages; -1 when unknown.
func ImportFrom(ctx context.Context, st casestore.Store, src Source, total int, opt Options) (Summary, []Problem, error) {
	im := &importer{st: st, opt: opt, total: total, sum: Summary{DryRun: opt.DryRun}}
	size := max(opt.Batch, 1)
	if opt.DryRun {
		size = 1
	}
	batch := make([]*Record, 0, size)
	for {
		rec, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return im.sum, im.problems, fmt.Errorf("import stopped after %s: reading the file: %w", im.done(), err)
		}
		if batch = append(batch, rec); len(batch) == size {
			if err := im.write(ctx, batch); err != nil {
				return im.sum, im.problems, err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := im.write(ctx, batch); err != nil {
			return im.sum, im.problems, err
		}
	}
	return im.sum, im.problems, nil
}

type sliceSource struct{ recs []Record }

func (s *sliceSource) Next() (*Record, error) {
	if len(s.recs) == 0 {
		return nil, io.EOF
	}
	r := &s.recs[0]
	s.recs = s.recs[1:]
	return r, nil
}

// importer is one Import under way.
type importer struct {
	st       casestore.Store
	opt      Options
	total    int
	count    int // records written or refused
	sum      Summary
	problems []Problem
}

func (im *importer) done() string {
	if im.total < 0 {
		return fmt.Sprintf("%d cases", im.count)
	}
	return fmt.Sprintf("%d of %d cases", im.count, im.total)
}

// write writes a batch in one transaction, or one by one when it holds a
// case the store refuses (or is a batch of one).
func (im *importer) write(ctx context.Context, batch []*Record) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("import stopped after %s: %w", im.done(), err)
	}
	if len(batch) > 1 {
		created := make([]bool, len(batch))
		err := im.st.InTx(ctx, func(tx casestore.Tx) error {
			for i, rec := range batch {
				c, err := saveIn(ctx, tx, rec, im.opt)
				if err != nil {
					return err
				}
				created[i] = c
			}
			return nil
		})
		switch {
		case err == nil:
			for i := range batch {
				im.counted(created[i])
			}
			return nil
		case !refused(err):
			return fmt.Errorf("import stopped at line %d (%s done): %w", batch[0].Line(), im.done(), err)
		}
		// One of them is refused: each on its own, to tell which.
	}
	for _, rec := range batch {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("import stopped after %s: %w", im.done(), err)
		}
		created, err := save(ctx, im.st, rec, im.opt)
		switch {
		case refused(err):
			im.sum.BadRows++
			p := Problem{Line: rec.Line(), Reason: err.Error()}
			if im.opt.Refused != nil {
				im.opt.Refused(p)
			} else {
				im.problems = append(im.problems, p)
			}
			im.count++
			im.progress()
		case err != nil:
			return fmt.Errorf("import stopped at line %d (%s done): %w", rec.Line(), im.done(), err)
		default:
			im.counted(created)
		}
	}
	return nil
}

func refused(err error) bool {
	return errors.Is(err, casestore.ErrInvalid) || errors.Is(err, casestore.ErrConflict)
}

func (im *importer) counted(created bool) {
	if created {
		im.sum.New++
	} else {
		im.sum.Updated++
	}
	im.count++
	im.progress()
}

func (im *importer) progress() {
	if im.opt.Progress != nil {
		im.opt.Progress(im.count, im.total)
	}
}

// errDryRun rolls back a dry run's transaction after the checks passed.
var errDryRun = errors.New("dry run")

// save writes one case — creditor, debtor, case with invoices and a
// dossier entry — in one transaction, so a crash leaves it whole or absent.
func save(ctx context.Context, st casestore.Store, rec *Record, opt Options) (created bool, err error) {
	err = st.InTx(ctx, func(tx casestore.Tx) error {
		var err error
		created, err = saveIn(ctx, tx, rec, opt)
		if err == nil && opt.DryRun {
			return errDryRun
		}
		return err
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return created, err
}

// saveIn is save's work inside tx. A dry run checks and writes nothing.
func saveIn(ctx context.Context, tx casestore.Tx, rec *Record, opt Options) (created bool, err error) {
	c := rec.Case // a copy: a rolled-back attempt must not leave IDs behind
	c.Invoices = append([]casestore.Invoice(nil), rec.Case.Invoices...)
	existing, err := tx.CaseByRef(ctx, c.Ref)
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		existing = nil
	case err != nil:
		return false, err
	}
	if err := merge(&c, existing, rec); err != nil {
		return false, err
	}
	for _, d := range rec.Documents {
		if len(d.Data) == 0 {
			return false, fmt.Errorf("invoice %s: document %s was not read (LoadDocuments): %w", d.Invoice, d.Path, casestore.ErrInvalid)
		}
	}
	if opt.DryRun {
		return existing == nil, c.Validate()
	}
	if err := tx.PutCreditor(ctx, &c.Creditor); err != nil {
		return false, fmt.Errorf("creditor %s: %w", c.Creditor.Code, err)
	}
	// The debtor is the creditor's own: a debtor of another creditor
	// with the same reference is another person and stays untouched.
	c.Debtor.CreditorID = c.Creditor.ID
	if err := tx.PutDebtor(ctx, &c.Debtor); err != nil {
		return false, fmt.Errorf("debtor %s: %w", c.Debtor.Ref, err)
	}
	c.CreditorID, c.DebtorID = c.Creditor.ID, c.Debtor.ID
	if created, err = tx.PutCase(ctx, &c); err != nil {
		return false, fmt.Errorf("dossier %s: %w", c.Ref, err)
	}
	docs, err := saveDocuments(ctx, tx, &c, existing, rec)
	if err != nil {
		return false, err
	}
	if err := tx.AppendDossier(ctx, importEntry(&c, rec, created, opt.File, docs)); err != nil {
		return false, err
	}
	if created && opt.Created != nil {
		if err := opt.Created(ctx, tx, &c); err != nil {
			return false, err
		}
	}
	return created, saveFlags(ctx, tx, c.ID, rec)
}

// merge fills what the file left open: defaults for a new case; for an
// existing one the stage, status, letter day, damages clause, plan policy and invoice
// statuses the collection process has set since. A file may not move a
// dossier to another creditor or debtor: that is almost always a wrong
// dossier number, and would show one debtor another's debt.
func merge(c, existing *casestore.Case, rec *Record) error {
	if existing == nil {
		c.Policy = casestore.DefaultPlanPolicy
		for i := range c.Invoices {
			if c.Invoices[i].Status == "" {
				c.Invoices[i].Status = casestore.InvoiceOpen
			}
		}
		return nil
	}
	if !strings.EqualFold(existing.Creditor.Code, c.Creditor.Code) {
		return fmt.Errorf("dossier %s belongs to creditor %s, the file says %s: %w", c.Ref, existing.Creditor.Code, c.Creditor.Code, casestore.ErrConflict)
	}
	if existing.Debtor.Ref != c.Debtor.Ref {
		return fmt.Errorf("dossier %s belongs to another debtor than %s: %w", c.Ref, c.Debtor.Ref, casestore.ErrConflict)
	}
	c.Ref = existing.Ref
	c.Policy = existing.Policy
	if !rec.StageGiven {
		c.Stage = existing.Stage
	}
	if !rec.StatusGiven {
		c.Status = existing.Status
	}
	if c.LetterSentOn == nil {
		c.LetterSentOn = existing.LetterSentOn
	}
	if c.Clause == nil {
		c.Clause = existing.Clause
	}
	for i := range c.Invoices {
		if c.Invoices[i].Status != "" {
			continue
		}
		c.Invoices[i].Status = casestore.InvoiceOpen
		for _, old := range existing.Invoices {
			if old.Number == c.Invoices[i].Number {
				c.Invoices[i].Status = old.Status
			}
		}
	}
	return nil
}

func importEntry(c *casestore.Case, rec *Record, created bool, file string, docs []string) *casestore.DossierEntry {
	kind := casestore.EntryCaseUpdated
	if created {
		kind = casestore.EntryCaseImported
	}
	numbers := make([]string, len(c.Invoices))
	for i, inv := range c.Invoices {
		numbers[i] = inv.Number
	}
	b := map[string]any{"file": file, "lines": rec.Lines, "invoices": numbers}
	if len(docs) > 0 {
		b["documents"] = docs // the invoices whose copy this import stored
	}
	body, _ := json.Marshal(b)
	return &casestore.DossierEntry{CaseID: c.ID, Kind: kind, Actor: casestore.ActorImport, Body: body}
}

// saveFlags applies the flag columns the file gave over what the case has,
// filing a change in the dossier.
func saveFlags(ctx context.Context, tx casestore.Tx, caseID int64, rec *Record) error {
	if !rec.BewindvoeringGiven && !rec.SettlementGiven {
		return nil
	}
	f, err := tx.CaseFlags(ctx, caseID)
	if err != nil {
		return err
	}
	if rec.BewindvoeringGiven {
		f.Bewindvoering = rec.Flags.Bewindvoering
	}
	if rec.SettlementGiven {
		f.DebtSettlement = rec.Flags.DebtSettlement
	}
	_, err = casestore.ChangeCaseFlags(ctx, tx, caseID, f, casestore.ActorImport)
	return err
}

// saveDocuments stores the record's invoice copies as files of the case
// and names each on its invoice; a copy identical to the one the invoice
// already has is not stored again. It returns the invoice numbers whose
// copy it stored.
func saveDocuments(ctx context.Context, tx casestore.Tx, c, existing *casestore.Case, rec *Record) ([]string, error) {
	var stored []string
	for _, d := range rec.Documents {
		inv := invoiceNumbered(c, d.Invoice)
		if inv == nil {
			return nil, fmt.Errorf("invoice %s: not in dossier %s: %w", d.Invoice, c.Ref, casestore.ErrInvalid)
		}
		if existing != nil {
			if old := invoiceNumbered(existing, d.Invoice); old != nil && old.DocumentID != 0 {
				m, err := tx.Media(ctx, old.DocumentID)
				if err != nil {
					return nil, err
				}
				if m.SHA256 == casestore.MediaDigest(d.Data) {
					continue
				}
			}
		}
		m := casestore.Media{CaseID: c.ID, Channel: "import", ContentType: d.ContentType, Data: d.Data}
		if err := tx.AddMedia(ctx, &m); err != nil {
			return nil, fmt.Errorf("invoice %s: document: %w", d.Invoice, err)
		}
		if err := tx.SetInvoiceDocument(ctx, inv.ID, m.ID); err != nil {
			return nil, fmt.Errorf("invoice %s: document: %w", d.Invoice, err)
		}
		inv.DocumentID = m.ID
		stored = append(stored, inv.Number)
	}
	return stored, nil
}

func invoiceNumbered(c *casestore.Case, number string) *casestore.Invoice {
	for i := range c.Invoices {
		if strings.EqualFold(c.Invoices[i].Number, number) {
			return &c.Invoices[i]
		}
	}
	return nil
}

// Analyzer is a store that refreshes its query planner's statistics
// (casestore/postgres and casestore/sqlite are). skipped names the tables
// it was not allowed to analyze.
type Analyzer interface {
	Analyze(ctx context.Context, tables ...string) (skipped []string, err error)
}

// ImportedTables are the tables an import fills: the ones whose statistics
// are stale after a large one.
var ImportedTables = []string{"creditors", "debtors", "debtor_phones", "cases", "invoices", "dossier", "dossier_heads",
	"media", "case_flags", "river_job"}

// Analyze refreshes the statistics of ImportedTables when st can (an
// Analyzer); a planner that still believes the tables empty after a bulk
// load picks plans that slow every later query down (issue #16).
func Analyze(ctx context.Context, st any) (skipped []string, err error) {
	a, ok := st.(Analyzer)
	if !ok {
		return nil, nil
	}
	return a.Analyze(ctx, ImportedTables...)
}
