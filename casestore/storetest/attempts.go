package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var attemptTests = []test{
	{"AttemptsCountInAFixedWindow", testAttemptsWindow},
	{"AttemptsConcurrentCountsAreDistinct", testAttemptsConcurrent},
}

func testAttemptsWindow(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	const w = 15 * time.Minute
	for i, at := range []time.Time{t0, t0.Add(time.Minute), t0.Add(14 * time.Minute)} {
		n, until, err := s.CountAttempt(ctx, "k1", at, w)
		if err != nil || n != i+1 || !until.Equal(t0.Add(w)) {
			t.Fatalf("count %d: %d until %v, %v; want %d until %v", i+1, n, until, err, i+1, t0.Add(w))
		}
	}
	got, err := s.AttemptCounts(ctx, []string{"k1", "unknown", "k1"}, t0.Add(5*time.Minute))
	if err != nil || len(got) != 3 || got[0].N != 3 || got[1].N != 0 || got[2].N != 3 || !got[0].Until.Equal(t0.Add(w)) {
		t.Fatalf("AttemptCounts = %+v, %v", got, err)
	}
	if err := s.UncountAttempt(ctx, "k1", t0.Add(w)); err != nil {
		t.Fatal(err)
	}
	if err := s.UncountAttempt(ctx, "k1", t0.Add(time.Hour)); err != nil { // another window: nothing
		t.Fatal(err)
	}
	if got, _ := s.AttemptCounts(ctx, []string{"k1"}, t0.Add(5*time.Minute)); got[0].N != 2 {
		t.Fatalf("after one uncount: %d, want 2", got[0].N)
	}
	if got, _ := s.AttemptCounts(ctx, []string{"k1"}, t0.Add(w)); got[0].N != 0 {
		t.Fatalf("at the window's end: %d, want 0", got[0].N)
	}
	n, until, err := s.CountAttempt(ctx, "k1", t0.Add(w), w)
	if err != nil || n != 1 || !until.Equal(t0.Add(2*w)) {
		t.Fatalf("first count of a new window: %d until %v, %v", n, until, err)
	}
	for _, bad := range []struct {
		key string
		now time.Time
		w   time.Duration
	}{{"", t0, w}, {"k", time.Time{}, w}, {"k", t0, 0}} {
		if _, _, err := s.CountAttempt(ctx, bad.key, bad.now, bad.w); !errors.Is(err, casestore.ErrInvalid) {
			t.Errorf("CountAttempt(%q, %v, %v) = %v, want ErrInvalid", bad.key, bad.now, bad.w, err)
		}
	}
}

// Guesses arriving at once must each get their own number: the lockout
// counts them before it judges them.
func testAttemptsConcurrent(t *testing.T, s casestore.Store) {
	const n = 40
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	got := make([]int, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i], _, errs[i] = s.CountAttempt(ctx, "case:1:anonymous", now, 15*time.Minute)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(got)
	for i, c := range got {
		if c != i+1 {
			t.Fatalf("concurrent counts %v: want 1…%d, each once", got, n)
		}
	}
}
