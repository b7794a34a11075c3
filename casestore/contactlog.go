package casestore

import (
	"context"
	"time"
)

// AutomatedContact is one automated message that went to a debtor: the
// contact log the follow-ups' weekly cap counts (migration 00160). It is
// written in the transaction that puts the message in the outbox, so the
// count and the messages cannot disagree.
type AutomatedContact struct {
	ID       int64
	DebtorID int64
	CaseID   int64
	Channel  string
	Address  string // where it went: a phone number (E.164) or an e-mail address
	At       time.Time
}

// ContactLog is the log of automated contacts.
type ContactLog interface {
	// RecordContact adds c (the store's clock when At is zero).
	// ErrNotFound for an unknown case.
	RecordContact(ctx context.Context, c *AutomatedContact) error
	// AutomatedContacts are the contacts after since to any of the
	// debtors or addresses, oldest first: one indexed read for a whole
	// batch of follow-ups.
	AutomatedContacts(ctx context.Context, debtorIDs []int64, addresses []string, since time.Time) ([]AutomatedContact, error)
}

// FollowUpFacts is what an automated follow-up reads of one case.
type FollowUpFacts struct {
	Case       *Case
	Plans      []*Plan
	Promises   []*Promise
	Disputes   []*Dispute
	Preference ContactPreference
	Flags      CaseFlags
	// Conversation is the channel and address the debtor last wrote from
	// about the case (CaseConversation); empty when none.
	ConvChannel, ConvAddress string
}

// ChannelAddress is an address on a channel.
type ChannelAddress struct{ Channel, Address string }

// BulkFollowUpReader is what a Tx may offer to read the facts of a whole
// batch of follow-ups in a few round trips instead of a dozen per case
// (PostgreSQL does; a store without it is read case by case).
type BulkFollowUpReader interface {
	// FollowUpFacts of the cases; an unknown id is absent from the map.
	FollowUpFacts(ctx context.Context, caseIDs []int64) (map[int64]*FollowUpFacts, error)
	// AddressFacts: which of the addresses opted out, and the open
	// handoffs on them (share-locked until the transaction ends, as
	// OpenHandoff).
	AddressFacts(ctx context.Context, addrs []ChannelAddress) (optedOut map[ChannelAddress]bool, handoffs map[ChannelAddress]*Handoff, err error)
	// LockContacts is LockContact for every key, in one statement and
	// in a fixed order (two batches lock their common keys alike).
	LockContacts(ctx context.Context, keys []string) error
}
