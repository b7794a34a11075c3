package casestore

import (
	"context"
	"time"
)

// CaseFilter selects cases for a list; zero fields do not filter.
type CaseFilter struct {
	CreditorID int64
	Status     Status
	Stage      Stage
	// DebtorEmail: only cases of debtors with this e-mail address on file
	// (compared case-insensitively); "" = any.
	DebtorEmail string
	Limit       int // 0 = 100
	Offset      int
}

// Tx is everything a store can read and write. Inside Store.InTx all calls
// share one transaction; on Store itself each call is its own transaction.
type Tx interface {
	// PutCreditor creates the creditor, or updates the one with the same
	// Code, and sets c.ID. Returns ErrInvalid if Code or Name is empty.
	PutCreditor(ctx context.Context, c *Creditor) error
	// Creditor returns ErrNotFound if there is no creditor with that id.
	Creditor(ctx context.Context, id int64) (*Creditor, error)
	// CreditorByCode returns ErrNotFound if no creditor has that code.
	CreditorByCode(ctx context.Context, code string) (*Creditor, error)

	// PutDebtor creates the debtor, or updates the one of the same creditor
	// with the same Ref (another creditor's debtor with that Ref is never
	// touched), and sets d.ID. Returns ErrInvalid if Ref or Name is empty,
	// or CreditorID is missing or unknown.
	PutDebtor(ctx context.Context, d *Debtor) error
	// Debtor returns ErrNotFound if there is no debtor with that id.
	Debtor(ctx context.Context, id int64) (*Debtor, error)

	// PutCase creates the case, or updates the one with the same Ref, with
	// its invoices matched by Number (new ones added, known ones updated,
	// none removed). It sets c.ID, the invoice IDs and CaseIDs, and reports
	// whether the case was created. Returns ErrInvalid if c.Validate fails
	// or CreditorID/DebtorID do not exist, or the debtor is not a debtor of
	// the case's creditor.
	PutCase(ctx context.Context, c *Case) (created bool, err error)
	// Case returns the case with Creditor, Debtor, Invoices (by due date)
	// and Payments (by value date) filled; ErrNotFound if there is none.
	Case(ctx context.Context, id int64) (*Case, error)
	// CaseByRef is Case by dossier number, compared case-insensitively.
	CaseByRef(ctx context.Context, ref string) (*Case, error)
	// CasesByPhone returns the cases (filled as Case) of every debtor with
	// that E.164 number on file, newest first; empty when none.
	CasesByPhone(ctx context.Context, e164 string) ([]*Case, error)
	// Cases lists cases (filled as Case) matching f, by dossier number.
	Cases(ctx context.Context, f CaseFilter) ([]*Case, error)
	// SetCaseStatus returns ErrNotFound for an unknown case, ErrInvalid for an unknown status.
	SetCaseStatus(ctx context.Context, caseID int64, s Status) error
	// SetInvoiceStatus returns ErrNotFound for an unknown invoice, ErrInvalid for an unknown status.
	SetInvoiceStatus(ctx context.Context, invoiceID int64, s InvoiceStatus) error
	// SetInvoiceDocument names file mediaID (see AddMedia) as the
	// creditor's copy of the invoice. ErrNotFound for an unknown invoice,
	// ErrInvalid when the file is not one of the invoice's case.
	SetInvoiceDocument(ctx context.Context, invoiceID, mediaID int64) error

	// AddPayment records a payment and sets p.ID and p.CreatedAt (the
	// store's clock). ErrInvalid if p.Validate fails; ErrNotFound if the
	// case (or invoice) is unknown; ErrConflict if (Source, ExternalID) was
	// recorded before (ExternalID "" never conflicts): a provider's retry or
	// a statement imported again. The conflict writes nothing and leaves the
	// transaction usable.
	AddPayment(ctx context.Context, p *Payment) error
	// PaymentByExternalID returns the payment a source recorded under its
	// id; ErrNotFound if there is none.
	PaymentByExternalID(ctx context.Context, source PaymentSource, externalID string) (*Payment, error)
	// ReversePayment marks payment id taken back as of at (the store's
	// clock if zero), with why, and returns it as it then stands.
	// ErrNotFound for an unknown payment; ErrConflict if it was reversed
	// already (a provider's retry: nothing changes).
	ReversePayment(ctx context.Context, id int64, reason string, at time.Time) (*Payment, error)
	// CaseConversation is the debtor's own channel for case caseID: the
	// channel and address of the newest message filed with the case.
	// ErrNotFound when the debtor never wrote about it.
	CaseConversation(ctx context.Context, caseID int64) (channel, address string, err error)

	// AddTask puts a task on the collectors' list and sets k.ID and
	// k.CreatedAt (the store's clock if zero). ErrInvalid if k.Validate
	// fails; ErrNotFound for an unknown case.
	AddTask(ctx context.Context, k *Task) error
	// OpenTasks lists tasks not done, oldest first; limit 0 means 100,
	// a negative one is ErrInvalid.
	OpenTasks(ctx context.Context, limit int) ([]*Task, error)

	// AddBankLine queues a bank line for the collectors (Status open,
	// ImportedAt the store's clock) and sets b.ID. ErrInvalid if
	// b.Validate fails; ErrConflict if its EntryRef was queued before (the
	// statement imported again): nothing is written and the transaction
	// stays usable.
	AddBankLine(ctx context.Context, b *BankLine) error
	// BankLines lists queued lines in status s (open or assigned), oldest
	// first; limit 0 means 100, a negative one is ErrInvalid.
	BankLines(ctx context.Context, s BankLineStatus, limit int) ([]*BankLine, error)
	// BankLine returns ErrNotFound if there is no line with that id.
	BankLine(ctx context.Context, id int64) (*BankLine, error)
	// AssignBankLine marks an open line booked on case caseID as payment
	// paymentID at at (the store's clock if zero). ErrConflict if it is not
	// open (assigned meanwhile: nothing changes); ErrNotFound for an
	// unknown line, case or payment.
	AssignBankLine(ctx context.Context, id, caseID, paymentID int64, at time.Time) error

	// AddDispute records a dispute (Status defaults to open) and sets d.ID.
	AddDispute(ctx context.Context, d *Dispute) error
	// ResolveDispute sets a dispute's status to upheld or rejected; returns
	// ErrConflict if it was already resolved, ErrNotFound if unknown.
	ResolveDispute(ctx context.Context, id int64, s DisputeStatus, at time.Time) error
	// Disputes of a case, oldest first.
	Disputes(ctx context.Context, caseID int64) ([]*Dispute, error)

	// AddPlan records a plan with its installments and sets p.ID and
	// p.CreatedAt: now, or the CreatedAt given — the moment its Total was
	// fixed, which Case.PlanAgreedOn reports. ErrInvalid if the
	// installments do not sum to Total.
	AddPlan(ctx context.Context, p *Plan) error
	// SetPlanStatus returns ErrNotFound for an unknown plan.
	SetPlanStatus(ctx context.Context, id int64, s PlanStatus) error
	// TransitionPlan moves plan id to status to only when it is in status
	// from: a collector's decision on a pending plan, which must not
	// overwrite a decision made meanwhile. ErrConflict when the plan is no
	// longer in from (nothing changes); ErrNotFound for an unknown plan;
	// ErrInvalid for an unknown status. A second caller deciding at the
	// same moment waits for the first and then gets ErrConflict.
	TransitionPlan(ctx context.Context, id int64, from, to PlanStatus) error
	// Plans of a case, oldest first, with installments.
	Plans(ctx context.Context, caseID int64) ([]*Plan, error)

	// AddPromise records a promise to pay and sets p.ID.
	AddPromise(ctx context.Context, p *Promise) error
	// Promises of a case, oldest first.
	Promises(ctx context.Context, caseID int64) ([]*Promise, error)

	// AppendDossier appends an entry and sets e.ID, e.Seq and e.Hash (the
	// next link of the case's hash chain; entries of one case appended at
	// once still form one chain), and e.At to the store's clock if zero;
	// Body to "{}" if empty. ErrNotFound for an unknown case,
	// ErrInvalid if Kind is empty or Body is not a JSON object.
	AppendDossier(ctx context.Context, e *DossierEntry) error
	// Dossier returns a case's entries newest first, as q selects.
	Dossier(ctx context.Context, caseID int64, q DossierQuery) ([]DossierEntry, error)

	DossierChain
	Messaging
	Evidence
	Accounts
	Handoffs
	Scoped
	Attempts
	Rights
	ContactLog
}

// Rights is how a debtor wants to be contacted and the flags that stop a
// case's automated collection (see rights.go for the shared logic).
type Rights interface {
	// SetContactPreference stores p on debtor debtorID (the store's clock
	// in UpdatedAt). ErrInvalid when p.Validate fails; ErrNotFound for an
	// unknown debtor.
	SetContactPreference(ctx context.Context, debtorID int64, p ContactPreference) error
	// ContactPreference is the debtor's last preference; the zero value
	// when none was ever set.
	ContactPreference(ctx context.Context, debtorID int64) (ContactPreference, error)
	// SetCaseFlags stores f on case caseID. ErrInvalid when f.Validate
	// fails; ErrNotFound for an unknown case.
	SetCaseFlags(ctx context.Context, caseID int64, f CaseFlags) error
	// CaseFlags are the case's flags; the zero value when none were set.
	CaseFlags(ctx context.Context, caseID int64) (CaseFlags, error)
	// LockContact makes other transactions that lock the same key (an
	// address) wait until this one ends: the follow-ups count a debtor's
	// automated messages and add one under it, so two at once cannot both
	// pass the weekly cap. Only meaningful inside InTx.
	LockContact(ctx context.Context, key string) error
}

// Scoped is what creditors read — their case list, one case, its dossier
// and its files — with the reader's Scope inside every query (see
// scope.go), so a case outside it is never loaded. A case outside the
// scope and an unknown one get the same ErrNotFound: the answer must not
// tell a creditor that another creditor's dossier number exists.
type Scoped interface {
	// CasesIn lists the cases s sees that match q, by dossier number, with
	// the number that match in all. ErrInvalid when q.Validate fails. A
	// scope that sees nothing gets an empty page.
	CasesIn(ctx context.Context, s Scope, q CaseQuery) (CasePage, error)
	// CaseIn returns the case with dossier number ref (compared
	// case-insensitively) with its disputes, plans, promises and files,
	// when s sees it; ErrNotFound otherwise.
	CaseIn(ctx context.Context, s Scope, ref string) (*CaseFile, error)
	// DossierIn returns the entries of case ref newest first as q selects,
	// when s sees the case; ErrNotFound otherwise. q.Search matches
	// case-insensitively inside the text values of an entry's body (not
	// its keys). ErrInvalid when ValidateScopedDossier(q) fails.
	DossierIn(ctx context.Context, s Scope, ref string, q DossierQuery) ([]DossierEntry, error)
	// MediaIn returns file id with its Data when it belongs to case ref
	// and s sees that case; ErrNotFound otherwise.
	MediaIn(ctx context.Context, s Scope, ref string, id int64) (*Media, error)
}

// Evidence is the files debtors send (see media.go). A stored file never
// changes: there is no method to alter or remove one.
type Evidence interface {
	// AddMedia stores m.Data and sets m.ID, m.Size, m.SHA256, m.CreatedAt
	// (the store's clock) and m.ContentType (as CleanMediaType gives it).
	// ErrInvalid when m.Validate fails; ErrNotFound if CaseID (0 = none)
	// is unknown.
	AddMedia(ctx context.Context, m *Media) error
	// Media returns the file with its Data; ErrNotFound if there is none.
	Media(ctx context.Context, id int64) (*Media, error)
	// MediaOf lists a case's files oldest first, without Data; empty when
	// it has none, ErrNotFound for an unknown case.
	MediaOf(ctx context.Context, caseID int64) ([]*Media, error)
}

// Messaging is the inbox, the outbox and the opt-outs (see message.go).
// A list's limit of 0 means 50; a negative one is ErrInvalid.
type Messaging interface {
	// RecordInbound files m and sets m.ID, m.ReceivedAt (the store's clock
	// if zero) and m.Body ("{}" if empty). ErrInvalid if Channel or From is
	// empty or Body is not a JSON object; ErrNotFound if CaseID (0 = none)
	// is unknown. ErrConflict if (Channel, ProviderID) was recorded before:
	// a provider retry; ProviderID "" never conflicts. This is the dedupe:
	// the router calls it first in its InTx and, on ErrConflict, returns it
	// (nothing is written) and answers the provider 200. The conflict leaves
	// the transaction usable (no SQL error is raised), and a retry arriving
	// while the first delivery is uncommitted waits for its outcome.
	RecordInbound(ctx context.Context, m *InboundMessage) error
	// LastInbound is when this sender last wrote on this channel (the
	// greatest ReceivedAt: WhatsApp's 24-hour window); ErrNotFound if never.
	LastInbound(ctx context.Context, channel, from string) (time.Time, error)
	// InboundMessages lists what this sender wrote on this channel, newest
	// (highest ID) first; empty when nothing.
	InboundMessages(ctx context.Context, channel, from string, limit int) ([]*InboundMessage, error)

	// EnqueueOutbound puts m in the outbox: Status pending, Attempts 0,
	// NextAttempt the store's clock if zero; sets m.ID and m.CreatedAt.
	// ErrInvalid if Channel, To or Text is empty; ErrNotFound if CaseID
	// (0 = none) is unknown.
	EnqueueOutbound(ctx context.Context, m *OutboundMessage) error
	// ClaimOutbound leases up to limit messages to the calling sender,
	// earliest due first (the oldest ID among equals), and returns them (by ID) marked sending with LeaseUntil =
	// now+lease and Attempts one higher. A message is claimable when it is
	// pending with NextAttempt <= now, or sending with LeaseUntil < now (its
	// sender died), AND no older message to the same (Channel, To) is
	// pending or sending: one recipient's messages go out one at a time, in
	// ID order, a failed one not holding back the next. A message taken
	// over from a sender whose lease ran out comes with Resumed set. Several senders may
	// claim at once and never get the same message. Its cost depends on
	// limit only: not on the outbox's size, table statistics, or how many
	// messages wait behind one recipient's oldest (only each recipient's
	// oldest unfinished message is a candidate), so a debtor with
	// thousands queued delays no one else. Attempts names the
	// claim: pass it to MarkSent/MarkRetry/MarkFailed. ErrInvalid for a zero
	// now, a limit or lease that is not positive.
	ClaimOutbound(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*OutboundMessage, error)
	// MarkSent records that the provider accepted message id under
	// providerID ("" when the channel has none) at at (the store's clock
	// if zero). The three Mark methods change the message only while it is
	// still in the claim the caller holds: status sending with Attempts ==
	// attempt (a sender past its lease whose message nobody claimed again
	// may still mark it). ErrNotFound for an unknown id; ErrConflict when
	// the claim is gone (the message was marked, or another sender claimed
	// it after the lease ran out), or when providerID is already on another
	// message of the channel.
	MarkSent(ctx context.Context, id int64, attempt int, providerID string, at time.Time) error
	// MarkRetry puts a claimed message back to pending until next (the
	// store's clock if zero), keeping lastError. Errors as MarkSent.
	MarkRetry(ctx context.Context, id int64, attempt int, lastError string, next time.Time) error
	// MarkFailed gives a claimed message up, keeping lastError. Errors as MarkSent.
	MarkFailed(ctx context.Context, id int64, attempt int, lastError string) error
	// SetDeliveryStatus applies a provider's status callback (s is sent,
	// delivered or failed; map "undelivered" to failed) to the message sent
	// under providerID, and returns the message as it then stands. Only a
	// sent message moves (DeliveryMoves); delivered and failed are final,
	// so a repeated or late callback changes nothing and returns the message
	// unchanged with moved false — the caller files a dossier entry only
	// when moved. detail becomes LastError when the message fails.
	// ErrInvalid for an empty channel or provider id or another status;
	// ErrNotFound when no message of the channel has that provider id (yet:
	// a callback may outrun MarkSent's commit).
	SetDeliveryStatus(ctx context.Context, channel, providerID string, s OutboundStatus, detail string) (m *OutboundMessage, moved bool, err error)
	// Outbound returns ErrNotFound if there is no message with that id.
	Outbound(ctx context.Context, id int64) (*OutboundMessage, error)
	// OutboundFor lists the messages to this address on this channel,
	// newest (highest ID) first; empty when none.
	OutboundFor(ctx context.Context, channel, to string, limit int) ([]*OutboundMessage, error)
	// MarkSentBatch is MarkSent for many claimed messages in one commit:
	// the outbox records a burst of provider acceptances at once instead of
	// a commit each. errs has one entry per mark, in order: nil when it was
	// recorded, else MarkSent's error for it (ErrNotFound, ErrConflict);
	// the other marks are recorded all the same. err is for the batch as a
	// whole (the store failed): then nothing was recorded.
	MarkSentBatch(ctx context.Context, marks []SentMark) (errs []error, err error)
	// OutboxDepth counts the messages not yet handed to a provider
	// (pending or sending), for /metrics.
	OutboxDepth(ctx context.Context) (int, error)
	// OutboxBacklog reports, for /metrics, how far behind the outbox is at
	// now; cheap whatever the outbox holds (two index reads).
	OutboxBacklog(ctx context.Context, now time.Time) (OutboxBacklog, error)

	// SetOptOut records whether the sender at address asked for no
	// automated messages on channel, as of at (the store's clock if zero);
	// the latest call counts. ErrInvalid if channel or address is empty.
	SetOptOut(ctx context.Context, channel, address string, optedOut bool, at time.Time) error
	// OptedOut reports the last SetOptOut for the address; false if never.
	OptedOut(ctx context.Context, channel, address string) (bool, error)
}

// Store is the system of record.
type Store interface {
	Tx
	// InTx runs fn in one transaction: committed if fn returns nil, rolled
	// back (nothing written) if it returns an error or panics.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// Accounts is the people who use the console and the creditor pages, with
// their API tokens and browser sessions (see account.go). No secret is
// stored: passwords only as the caller's bcrypt or argon2id hash, tokens
// and session ids only as HashSecret of them. Users are never deleted, only
// disabled: the handoff log and the dossier name them for good.
type Accounts interface {
	// AddUser stores u with its Email as NormalizeEmail gives it, and sets
	// u.Email, u.ID and u.CreatedAt (the store's clock). ErrInvalid when
	// u.Validate fails on the normalised address (among others: a password
	// hash that is not bcrypt or argon2id, a creditor user without its
	// creditor); ErrNotFound when a creditor user's CreditorID is unknown;
	// ErrConflict when another user has the address in any letter case.
	AddUser(ctx context.Context, u *User) error
	// User returns the user, disabled or not; ErrNotFound if there is none.
	User(ctx context.Context, id int64) (*User, error)
	// UserByEmail finds the address as NormalizeEmail gives it. A disabled
	// user is returned too (Disabled set): refusing the login is the
	// caller's job. ErrNotFound when no user has the address.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// Users lists every user, disabled ones included, by ID.
	Users(ctx context.Context) ([]*User, error)
	// SetUserDisabled disables or enables a user. Disabling also ends the
	// user's sessions; its API tokens are refused while it is disabled and
	// work again when it is enabled (unless revoked). ErrNotFound for an
	// unknown user.
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	// SetPasswordHash replaces a user's password hash. It ends no session:
	// the caller decides (DeleteUserSessions). ErrInvalid when hash is not
	// a bcrypt or argon2id hash; ErrNotFound for an unknown user.
	SetPasswordHash(ctx context.Context, id int64, hash string) error

	// AddAPIToken stores k and sets k.ID and k.CreatedAt (the store's
	// clock); LastUsedAt and RevokedAt start nil. ErrInvalid when
	// k.Validate fails; ErrNotFound for an unknown user; ErrConflict when
	// the user is disabled or a token with that hash exists.
	AddAPIToken(ctx context.Context, k *APIToken) error
	// APITokenByHash returns the token whose hash this is, with its user.
	// ErrNotFound when there is none, when it is revoked, when it has
	// expired (ExpiresAt <= the store's clock) and when its user is
	// disabled alike, so the API answers them all the same way.
	APITokenByHash(ctx context.Context, hash string) (*APIToken, *User, error)
	// APITokens lists a user's tokens, revoked ones included, by ID;
	// ErrNotFound for an unknown user.
	APITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// TouchAPIToken records that the token was used at at (the store's
	// clock if zero). It is a write: call it at most about once a minute
	// per token, not on every request. ErrNotFound for an unknown token.
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	// RevokeAPIToken stops a token for good, as of the store's clock;
	// revoking a revoked token changes nothing. ErrNotFound for an unknown
	// token.
	RevokeAPIToken(ctx context.Context, id int64) error

	// AddSession stores a browser's login: HashSecret(s.ID), never s.ID.
	// It sets s.Hash, and s.CreatedAt to the store's clock if zero.
	// ErrInvalid when s.Validate(CreatedAt) fails (a short id, no CSRF
	// token, an expiry not after the start); ErrNotFound for an unknown
	// user; ErrConflict when the user is disabled or the id is in use.
	AddSession(ctx context.Context, s *Session) error
	// SessionByHash returns the session with that hash (ID "") and its
	// user, as of now (the store's clock if zero). ErrNotFound when there
	// is none, when it has expired (ExpiresAt <= now) and when its user is
	// disabled alike.
	SessionByHash(ctx context.Context, hash string, now time.Time) (*Session, *User, error)
	// DeleteSession ends a session (logout); ErrNotFound if there is none.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions ends every session of a user (after a password
	// change: "log out everywhere") and returns how many there were;
	// ErrNotFound for an unknown user.
	DeleteUserSessions(ctx context.Context, userID int64) (int, error)
	// DeleteExpiredSessions removes the sessions expired at now (the
	// store's clock if zero) and returns how many; housekeeping only, as
	// SessionByHash refuses them anyway.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// Handoffs is the collectors' queue and who owns each conversation (see
// handoff.go). A conversation (Channel, Address) has at most one open —
// queued or claimed — handoff, enforced by the database; while it has one
// the bot says nothing there. Every change appends to the handoff's log,
// which nothing can alter. The rules for claims, releases and the like are
// Handoff.Apply's, so both stores decide alike; each method below returns
// the errors Apply gives, plus ErrNotFound for an unknown handoff or user.
//
// A zero now or at means the store's clock. State changes return the
// handoff as it then stands.
type Handoffs interface {
	// RequestHandoff passes the conversation (h.Channel, h.Address) to the
	// collectors. Without an open handoff, h is stored queued (RequestedAt
	// the store's clock if zero; Status, CollectorID, ClaimedAt,
	// LeaseUntil, TimesExpired and ResolvedAt ignored), logged
	// "requested", and created is true. With one, no second is made: the
	// open one takes h's priority and reason if h.Priority is higher
	// (logged "reprioritised"), keeps its case and its holder, and created
	// is false. Either way *h becomes the open handoff as it then stands.
	// ErrInvalid when h.Validate fails; ErrNotFound when CaseID (0 = none)
	// is unknown.
	RequestHandoff(ctx context.Context, h *Handoff) (created bool, err error)
	// OpenHandoff returns the conversation's queued or claimed handoff:
	// the router asks on every inbound message, so it is one index lookup.
	// ErrNotFound when there is none: the bot owns the conversation.
	// Inside InTx the handoff cannot change until the transaction ends
	// (a claim waits for it), so what the caller read still holds when it
	// commits.
	OpenHandoff(ctx context.Context, channel, address string) (*Handoff, error)
	// Handoff returns ErrNotFound if there is no handoff with that id.
	Handoff(ctx context.Context, id int64) (*Handoff, error)
	// ClaimHandoff gives the handoff to collectorID until now+lease
	// (ActionClaimed). Exclusive: of any number of collectors claiming at
	// once, one gets it and the others get ErrConflict. A claim whose lease
	// ran out (LeaseUntil < now) is taken over, logged "expired" first.
	ClaimHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (*Handoff, error)
	// TouchHandoff extends the holder's lease to now+lease
	// (ActionTouched): call it in the InTx that enqueues the collector's
	// reply, so a reply from someone who no longer holds the chat
	// (ErrConflict) is never sent.
	TouchHandoff(ctx context.Context, id, collectorID int64, now time.Time, lease time.Duration) (*Handoff, error)
	// ReleaseHandoff puts a claimed handoff back in the queue
	// (ActionReleased): by its holder or a supervisor.
	ReleaseHandoff(ctx context.Context, id, collectorID int64, now time.Time) (*Handoff, error)
	// ResolveHandoff hands the conversation back to the bot
	// (ActionResolved): by the holder, or a supervisor. The debtor's next
	// message goes to the bot; asking for a person again opens a new one.
	ResolveHandoff(ctx context.Context, id, collectorID int64, now time.Time) (*Handoff, error)
	// ExpireHandoffs puts every claimed handoff whose LeaseUntil < now back
	// in the queue (ActionExpired, TimesExpired one higher) and returns
	// them, as queued now, with whose claim lapsed. A handoff another
	// transaction is changing right now is left to the next run.
	ExpireHandoffs(ctx context.Context, now time.Time) ([]ExpiredClaim, error)
	// Queue lists open handoffs as f selects, highest priority first, then
	// longest waiting (RequestedAt, then ID). ErrInvalid for a negative
	// f.Limit.
	Queue(ctx context.Context, f QueueFilter) ([]*Handoff, error)
	// HandoffLog returns a handoff's log oldest first (by ID); ErrNotFound
	// for an unknown handoff.
	HandoffLog(ctx context.Context, handoffID int64) ([]HandoffEvent, error)
}
