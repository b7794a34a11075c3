package casestore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Channels a debtor may prefer to be contacted on. "post" is not a bot
// channel: collectors write letters.
var ContactChannels = []string{"whatsapp", "sms", "telegram", "email", "post"}

// writtenChannels are what "only e-mail or post" leaves.
var writtenChannels = []string{"email", "post"}

// ContactPreference is how a debtor wants to be contacted; the zero value
// says nothing (every channel). It is stored on the debtor, so it holds for
// all their cases.
type ContactPreference struct {
	Channel     string    // "" or one of ContactChannels: the only one for automated messages
	WrittenOnly bool      // only e-mail or post (Channel, if set, is one of them)
	NoCalls     bool      // no phone calls by collectors ("bel me niet"); messages may still go
	UpdatedAt   time.Time // set by the store
}

// Validate refuses an unknown channel, or a phone channel with WrittenOnly.
func (p ContactPreference) Validate() error {
	if p.Channel != "" && !slices.Contains(ContactChannels, p.Channel) {
		return fmt.Errorf("contact preference: channel %q is not one of %v: %w", p.Channel, ContactChannels, ErrInvalid)
	}
	if p.WrittenOnly && p.Channel != "" && !slices.Contains(writtenChannels, p.Channel) {
		return fmt.Errorf("contact preference: %s is not e-mail or post: %w", p.Channel, ErrInvalid)
	}
	return nil
}

// Allows says whether an automated message may go on channel. A preferred
// channel excludes the others; "only e-mail or post" excludes the rest.
func (p ContactPreference) Allows(channel string) bool {
	if p.WrittenOnly && !slices.Contains(writtenChannels, channel) {
		return false
	}
	return p.Channel == "" || p.Channel == channel
}

func (p ContactPreference) same(q ContactPreference) bool {
	return p.Channel == q.Channel && p.WrittenOnly == q.WrittenOnly && p.NoCalls == q.NoCalls
}

// DebtSettlement is a statutory or amicable debt arrangement that stops
// individual collection.
type DebtSettlement string

const (
	SettlementNone DebtSettlement = ""
	SettlementWSNP DebtSettlement = "wsnp" // NL Wet schuldsanering natuurlijke personen (court)
	SettlementMSNP DebtSettlement = "msnp" // NL minnelijke schuldsanering
	SettlementCSR  DebtSettlement = "csr"  // BE collectieve schuldenregeling
)

// DebtSettlements lists the valid non-empty values.
var DebtSettlements = []DebtSettlement{SettlementWSNP, SettlementMSNP, SettlementCSR}

// CaseFlags are the circumstances in which the agency may not collect
// automatically: a person answers the debtor instead.
type CaseFlags struct {
	Bewindvoering  bool // under court-appointed administration (bewindvoerder)
	DebtSettlement DebtSettlement
	UpdatedAt      time.Time // set by the store
}

// Validate refuses an unknown settlement.
func (f CaseFlags) Validate() error {
	if f.DebtSettlement != SettlementNone && !slices.Contains(DebtSettlements, f.DebtSettlement) {
		return fmt.Errorf("case flags: debt settlement %q is not one of %v: %w", f.DebtSettlement, DebtSettlements, ErrInvalid)
	}
	return nil
}

// StopsCollection reports whether automated collection must stop and why
// (for the dossier and the console), "" when it need not.
func (f CaseFlags) StopsCollection() (bool, string) {
	switch {
	case f.Bewindvoering:
		return true, "bewindvoering"
	case f.DebtSettlement != SettlementNone:
		return true, "debt settlement " + string(f.DebtSettlement)
	}
	return false, ""
}

func (f CaseFlags) same(g CaseFlags) bool {
	return f.Bewindvoering == g.Bewindvoering && f.DebtSettlement == g.DebtSettlement
}

// Dossier kinds of the changes below.
const (
	EntryContactPreference EntryKind = "contact.preference"
	EntryCaseFlags         EntryKind = "case.flags"
)

// ChangeContactPreference sets the preference of the debtor of case caseID
// and files the change, old and new, in that case's dossier; an unchanged
// preference writes nothing. It reports whether anything changed. Call it
// inside Store.InTx so the two writes stand or fall together.
func ChangeContactPreference(ctx context.Context, tx Tx, caseID int64, p ContactPreference, actor Actor, channel string) (bool, error) {
	if err := p.Validate(); err != nil {
		return false, err
	}
	c, err := tx.Case(ctx, caseID)
	if err != nil {
		return false, err
	}
	old, err := tx.ContactPreference(ctx, c.DebtorID)
	if err != nil || old.same(p) {
		return false, err
	}
	if err := tx.SetContactPreference(ctx, c.DebtorID, p); err != nil {
		return false, err
	}
	body := map[string]any{
		"old": map[string]any{"channel": old.Channel, "written_only": old.WrittenOnly, "no_calls": old.NoCalls},
		"new": map[string]any{"channel": p.Channel, "written_only": p.WrittenOnly, "no_calls": p.NoCalls},
	}
	return true, appendChange(ctx, tx, caseID, EntryContactPreference, actor, channel, body)
}

// ChangeCaseFlags sets the flags of case caseID and files the change in its
// dossier, like ChangeContactPreference.
func ChangeCaseFlags(ctx context.Context, tx Tx, caseID int64, f CaseFlags, actor Actor) (bool, error) {
	if err := f.Validate(); err != nil {
		return false, err
	}
	old, err := tx.CaseFlags(ctx, caseID)
	if err != nil || old.same(f) {
		return false, err
	}
	if err := tx.SetCaseFlags(ctx, caseID, f); err != nil {
		return false, err
	}
	stopped, why := f.StopsCollection()
	body := map[string]any{
		"old":                map[string]any{"bewindvoering": old.Bewindvoering, "debt_settlement": old.DebtSettlement},
		"new":                map[string]any{"bewindvoering": f.Bewindvoering, "debt_settlement": f.DebtSettlement},
		"collection_stopped": stopped,
	}
	if stopped {
		body["reason"] = why
	}
	return true, appendChange(ctx, tx, caseID, EntryCaseFlags, actor, "", body)
}

func appendChange(ctx context.Context, tx Tx, caseID int64, kind EntryKind, actor Actor, channel string, body map[string]any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return tx.AppendDossier(ctx, &DossierEntry{CaseID: caseID, Kind: kind, Actor: actor, Channel: channel, Body: b})
}

// CollectionStopped says whether automated collection of case caseID is
// stopped (bewindvoering, debt settlement) and why: the dialog hands such
// a debtor to a person, and no reminder goes out.
func CollectionStopped(ctx context.Context, tx Tx, caseID int64) (bool, string, error) {
	f, err := tx.CaseFlags(ctx, caseID)
	if err != nil {
		return false, "", err
	}
	stopped, why := f.StopsCollection()
	return stopped, why, nil
}

// MayAutomate says whether an automated message (a reminder, not a reply
// to the debtor) may go to address on channel for case caseID (0: no case
// known), and if not, why: the address opted out, the debtor prefers
// another channel (or only e-mail or post), or collection of the case is
// stopped. The outbox asks it before every automated send.
func MayAutomate(ctx context.Context, tx Tx, caseID int64, channel, address string) (bool, string, error) {
	opted, err := tx.OptedOut(ctx, channel, address)
	if err != nil {
		return false, "", err
	}
	if opted {
		return false, "opted out", nil
	}
	if caseID == 0 {
		return true, "", nil
	}
	c, err := tx.Case(ctx, caseID)
	if err != nil {
		return false, "", err
	}
	pref, err := tx.ContactPreference(ctx, c.DebtorID)
	if err != nil {
		return false, "", err
	}
	if !pref.Allows(channel) {
		return false, "contact preference", nil
	}
	if stopped, why, err := CollectionStopped(ctx, tx, caseID); err != nil || stopped {
		return false, "collection stopped: " + why, err
	}
	return true, "", nil
}
