package casestore

import (
	"context"
	"encoding/json"
	"time"
)

// EntryKind says what a dossier entry records. The set is open: dialogs and
// the console add kinds of their own, each a dotted lower-case noun.verb.
type EntryKind string

const (
	EntryMessageIn       EntryKind = "message.in"  // the debtor wrote
	EntryMessageOut      EntryKind = "message.out" // the bot or a collector answered
	EntryBalanceShown    EntryKind = "balance.shown"
	EntryDisputeOpened   EntryKind = "dispute.opened"
	EntryPlanProposed    EntryKind = "plan.proposed"
	EntryPromiseMade     EntryKind = "promise.made"
	EntryPaymentReceived EntryKind = "payment.received"
	EntryCaseImported    EntryKind = "case.imported"
	EntryCaseUpdated     EntryKind = "case.updated"
	EntryStatusChanged   EntryKind = "status.changed"
	EntryNote            EntryKind = "note" // a collector's private note
)

// Actor names who caused an entry: "debtor", "bot", "system", "import",
// or "collector:<id>" / "creditor:<id>".
type Actor string

const (
	ActorDebtor Actor = "debtor"
	ActorBot    Actor = "bot"
	ActorSystem Actor = "system"
	ActorImport Actor = "import"
)

// DossierEntry is one line of a case's append-only log. Nothing ever updates
// or deletes an entry; a correction is a new entry.
type DossierEntry struct {
	ID      int64 // increases with every append, store-wide
	CaseID  int64
	Kind    EntryKind
	Actor   Actor
	Channel string          // "sms", "whatsapp", "telegram", "web", "console", "" …
	Body    json.RawMessage // structured body; a JSON object, "{}" when empty
	At      time.Time
	// Seq (from 1 within the case) and Hash place the entry in its case's
	// hash chain (chain.go); AppendDossier sets them.
	Seq  int64
	Hash string
}

// DossierQuery selects entries of one case, newest first.
type DossierQuery struct {
	BeforeID int64       // only entries with ID < BeforeID (paging); 0 = from the newest
	Kinds    []EntryKind // only these kinds; empty = all
	Search   string      // case-insensitive substring of the body; empty = all
	Limit    int         // at most this many; 0 = 50
}

// DossierChain lets a court check a dossier: see chain.go.
type DossierChain interface {
	// DossierHead returns where the chain of case caseID stands (the zero
	// head when it has no entries); ErrNotFound for an unknown case.
	DossierHead(ctx context.Context, caseID int64) (ChainHead, error)
	// VerifyDossier recomputes the chain of case caseID from its stored
	// entries and names the first entry that does not match (Broken);
	// ErrNotFound for an unknown case. A broken chain is a report, not an
	// error.
	VerifyDossier(ctx context.Context, caseID int64) (ChainReport, error)
	// VerifyDossiers is VerifyDossier for every case with a dossier, by
	// dossier number.
	VerifyDossiers(ctx context.Context) ([]ChainReport, error)
}
