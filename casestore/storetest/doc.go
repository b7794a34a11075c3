// Package storetest is the conformance suite every casestore.Store must pass:
// the suite is the executable contract of the Store interface.
//
// An implementation runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) casestore.Store { return openFreshStore(t) })
//	}
//
// open must return a fresh, migrated, empty store each time it is called and
// register its own cleanup (t.Cleanup). Run calls it once per top-level
// subtest, sequentially, so an implementation may reuse one database and
// empty it between calls. The suite sets no clock: instants written by the
// store are checked loosely (non-zero, stable); instants the suite passes in
// are whole microseconds and compared with time.Equal.
//
// Decisions the Store interface leaves open, fixed here (a store that
// differs fails the suite):
//
//   - Dossier numbers (Case.Ref) are unique case-insensitively: PutCase of
//     "ib-1" after "IB-1" updates the same case. Creditor codes and debtor
//     refs compare exactly.
//   - PutCase refers to an unknown CreditorID/DebtorID: ErrInvalid (as the
//     interface says). Every other write that names an unknown case
//     (payment, dispute, plan, promise, dossier entry) returns ErrNotFound,
//     and so does an invoice that does not belong to that case.
//   - Reads of a case's lists (Dossier, Disputes, Plans, Promises) return
//     ErrNotFound for an unknown case, and an empty list for a known case
//     that has none.
//   - Empty statuses default: invoice "open", dispute "open", plan
//     "pending", promise "open"; an empty Debtor.Language is stored as "nl".
//     A status that is not one of the known values is ErrInvalid.
//   - CreatedAt is set by the store on creation and never changes on a
//     later put; a zero At/ResolvedAt argument means the store's clock.
//   - Amounts must be positive and have at most two decimals (payments,
//     promises, plan totals and installments), else ErrInvalid. A plan
//     needs at least one installment, and its installments must sum to
//     Total exactly; with a down payment the first installment equals it.
//   - Newest first means by ID descending (IDs increase with every insert);
//     CasesByPhone orders by CreatedAt then ID, both descending.
//   - Dossier Search is a case-insensitive (at least for ASCII letters)
//     substring match on the stored body text in which '%' and '_' are
//     literal characters. A body reads back as equal JSON (a store may
//     normalise whitespace, as PostgreSQL jsonb does), and identical bytes
//     on every later read.
//   - InTx returns fn's error unchanged (errors.Is works) after rolling
//     back; when fn panics it rolls back and re-panics with the same value.
//     Inside fn only the Tx argument may be used, never the Store.
//   - Concurrent callers never see a "database is busy" error: waiting or
//     retrying is the store's job.
package storetest
