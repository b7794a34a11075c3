package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// must fails the test at once when err is not nil.
func must(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantErr fails unless err wraps target, the sentinel a caller would test.
func wantErr(t testing.TB, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want one wrapping %q", what, err, target)
	}
}

// money is a decimal from its exact text; the suite never goes through float.
func money(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func wantMoney(t testing.TB, what string, got, want decimal.Decimal) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: got %s, want %s", what, got, want)
	}
}

// wantDay checks a calendar day: the same day, at UTC midnight.
func wantDay(t testing.TB, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("%s: got %v, want the calendar day %s (UTC midnight)", what, got, want.Format(time.DateOnly))
	}
}

func wantOptDay(t testing.TB, what string, got, want *time.Time) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s: got %v, want %v", what, got, want)
	default:
		wantDay(t, what, *got, *want)
	}
}

func wantInstant(t testing.TB, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: got %s, want %s", what, got.UTC().Format(time.RFC3339Nano), want.UTC().Format(time.RFC3339Nano))
	}
}

func wantEq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// wantStrings compares lists, treating nil and empty as the same.
func wantStrings(t testing.TB, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// wantJSON compares JSON bodies by meaning: a store may normalise spacing.
func wantJSON(t testing.TB, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s: stored body %q is not JSON: %v", what, got, err)
		return
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: test body %q is not JSON: %v", what, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: got body %s, want %s", what, got, want)
	}
}

func sameBytes(a, b []byte) bool { return bytes.Equal(a, b) }

// at is an instant with whole microseconds, the precision every store keeps.
func at(y int, m time.Month, d, hh, mm, ss, micro int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, micro*1000, time.UTC)
}

func ptr[T any](v T) *T { return &v }
