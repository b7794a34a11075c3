package storetest

import (
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

// Opener returns a fresh, migrated, empty store and registers its cleanup.
type Opener = func(t *testing.T) casestore.Store

// test is one top-level conformance test; it gets its own fresh store.
type test struct {
	name string
	fn   func(t *testing.T, s casestore.Store)
}

// tests lists the whole contract, one group of Store methods per file.
func tests() []test {
	var all []test
	all = append(all, partyTests...)
	all = append(all, caseTests...)
	all = append(all, listTests...)
	all = append(all, claimTests...)
	all = append(all, dossierTests...)
	all = append(all, chainTests...)
	all = append(all, txTests...)
	all = append(all, messagingTests...)
	all = append(all, outboxTests...)
	all = append(all, outboxHeadTests...)
	all = append(all, mediaTests...)
	all = append(all, accountTests...)
	all = append(all, handoffTests...)
	all = append(all, scopedTests...)
	all = append(all, planTransitionTests...)
	all = append(all, attemptTests...)
	all = append(all, paymentTests...)
	all = append(all, paymentPathTests...)
	all = append(all, bankLineTests...)
	all = append(all, rightsTests...)
	all = append(all, documentTests...)
	return all
}

// Run runs the conformance suite against the stores open makes. Each
// top-level subtest calls open once (so open is called many times) and
// runs in parallel with the others (t.Parallel): open must give every
// call a store of its own (its own file, memory or database), and the
// tests share nothing else. Most of a PostgreSQL subtest's time is
// waiting for the server (copying and dropping its database), which the
// others fill.
func Run(t *testing.T, open func(t *testing.T) casestore.Store) {
	for _, tc := range tests() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			if s == nil {
				t.Fatal("open returned a nil store")
			}
			tc.fn(t, s)
		})
	}
}
