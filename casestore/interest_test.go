package casestore

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestInterestHandComputed(t *testing.T) {
	// NL wettelijke rente (6:119 BW) on €1,000.00, first interest day
	// 1 March 2023, up to and including 31 August 2024 (to = 1 Sep 2024).
	// Rates (rates/nl-statutory.csv): 4% from 2023-01-01, 6% from
	// 2023-07-01, 7% from 2024-01-01 (and still 7% from 2024-07-01).
	//
	// Year 1 [2023-03-01, 2024-03-01), base €1,000.00:
	//   4% × 122 days (Mar 31 + Apr 30 + May 31 + Jun 30)
	//   6% × 184 days (Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31)
	//   7% ×  60 days (Jan 31 + Feb 29, leap year, still /365)
	//   = 1000 × (488 + 1104 + 420) / 36500 = 2,012,000 / 36500
	//   = 55.1232… → €55.12, added to the base on 1 March 2024
	//   (art. 6:119 lid 2: after each year the interest of that year is
	//   added to the amount interest runs on).
	// Year 2 (part) [2024-03-01, 2024-09-01), base €1,055.12:
	//   7% × 184 days (Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31)
	//   = 1055.12 × 1288 / 36500 = 1,358,994.56 / 36500 = 37.2327… → €37.23
	// Total €55.12 + €37.23 = €92.35.
	got, err := Interest(NLStatutory, d("1000.00"), Date(2023, 3, 1), Date(2024, 9, 1))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(d("92.35")) {
		t.Fatalf("interest = %s, want 92.35", got)
	}
}

func TestInterestTable(t *testing.T) {
	tests := []struct {
		name     string
		kind     InterestKind
		p        string
		from, to time.Time
		want     string
	}{
		// 0 days.
		{"empty period", NLStatutory, "1000", Date(2024, 5, 1), Date(2024, 5, 1), "0"},
		// 2% × 365/365 on €500 = €10.00 (2019, rate unchanged all year).
		{"one full year at 2%", NLStatutory, "500", Date(2019, 1, 1), Date(2020, 1, 1), "10.00"},
		// Two full years at 2%: year 1 €10.00, then base €510.00 → €10.20: €20.20.
		{"NL compounds after a year", NLStatutory, "500", Date(2018, 1, 1), Date(2020, 1, 1), "20.20"},
		// BE statutory 2018 and 2019 both 2%: simple interest, 2 × €10.00 = €20.00.
		{"BE does not compound", BEStatutory, "500", Date(2018, 1, 1), Date(2020, 1, 1), "20.00"},
		// Handelsrente 12.25% (from 2024-07-01) for 31 days of July on €10,000:
		// 10000 × 12.25 × 31 / 36500 = 104.0410… → €104.04.
		{"NL commercial July 2024", NLCommercial, "10000", Date(2024, 7, 1), Date(2024, 8, 1), "104.04"},
		// BE late payment 2025 on €1,000, simple interest: 11.5% × 181 days
		// (H1) + 10.5% × 184 days (H2) = 1000 × (2081.5 + 1932) / 36500
		// = 109.958… → €109.96.
		{"BE late payment across a semester", BELatePayment, "1000", Date(2025, 1, 1), Date(2026, 1, 1), "109.96"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Interest(tt.kind, d(tt.p), tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(d(tt.want)) {
				t.Errorf("interest = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestInterestRefusesBadInput(t *testing.T) {
	for name, f := range map[string]func() error{
		"unknown kind": func() error { _, err := Interest("xx", d("1"), Date(2024, 1, 1), Date(2024, 2, 1)); return err },
		"negative":     func() error { _, err := Interest(NLStatutory, d("-1"), Date(2024, 1, 1), Date(2024, 2, 1)); return err },
		"end first":    func() error { _, err := Interest(NLStatutory, d("1"), Date(2024, 2, 1), Date(2024, 1, 1)); return err },
		"before table": func() error { _, err := Interest(NLStatutory, d("1"), Date(2001, 1, 1), Date(2024, 1, 1)); return err },
	} {
		if err := f(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err %v, want ErrInvalid", name, err)
		}
	}
}

func TestInterestKindFor(t *testing.T) {
	want := map[Regime]InterestKind{NLB2C: NLStatutory, NLB2B: NLCommercial, BEB2C: BEStatutory, BEB2B: BELatePayment}
	for r, k := range want {
		if got := InterestKindFor(r); got != k {
			t.Errorf("InterestKindFor(%s) = %s, want %s", r, got, k)
		}
	}
}

func TestRateFilesParse(t *testing.T) {
	for _, k := range InterestKinds {
		rs, err := loadRateFile("rates/" + string(k) + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		// A row without a publication is only acceptable with its reason.
		for _, r := range rs {
			if !r.Confirmed && !strings.Contains(r.Source, "found") {
				t.Errorf("%s %s: unconfirmed row must say what was (not) found: %q", k, r.From.Format(time.DateOnly), r.Source)
			}
		}
		// Every table must cover 2015 through the half-year of 2026-07-01.
		if rs[0].From.After(Date(2015, 1, 1)) {
			t.Errorf("%s starts %s, after 2015-01-01", k, rs[0].From.Format(time.DateOnly))
		}
		last := rs[len(rs)-1].From
		if last.Before(Date(2026, 1, 1)) {
			t.Errorf("%s ends %s, before 2026", k, last.Format(time.DateOnly))
		}
	}
	// Spot checks against the published figures the CSVs cite.
	for _, tt := range []struct {
		kind InterestKind
		day  time.Time
		want string
	}{
		{NLStatutory, Date(2015, 3, 1), "2"},        // 2% from 1 Jan 2015
		{NLStatutory, Date(2024, 8, 1), "7"},        // 7% from 1 Jan 2024
		{NLCommercial, Date(2024, 12, 31), "12.25"}, // 12.25% from 1 Jul 2024
		{NLCommercial, Date(2025, 1, 1), "11.15"},   // ECB 3.15 + 8
		{BELatePayment, Date(2025, 2, 1), "11.5"},   // first semester 2025
		{BEStatutory, Date(2023, 6, 1), "5.25"},     // 2023
		// Issue #14. 6:119a from 1 July 2026: the ECB raised its key rates by
		// 25 bp on 11 June 2026, MRO 2.40% (press release ecb.mp260611), so
		// 2.40 + 8 = 10.40, not 10.15.
		{NLCommercial, Date(2026, 7, 1), "10.40"},
		// 6:119 from 1 July 2025: no amending decree; a dated publication
		// (vanlaarhovenenpartners.nl, 25-09-2025) gives 6% "sinds 1 juli
		// 2025". The method alone (4.65 -> 5) has no force without an AMvB.
		{NLStatutory, Date(2025, 9, 1), "6"},
		{BELatePayment, Date(2026, 7, 1), "10.5"}, // 2.40 + 8 = 10.40, rounded up to the half point
	} {
		r, err := RateOn(tt.kind, tt.day)
		if err != nil || !r.Percent.Equal(d(tt.want)) {
			t.Errorf("RateOn(%s, %s) = %v, %v; want %s%%", tt.kind, tt.day.Format(time.DateOnly), r.Percent, err, tt.want)
		}
	}
}

func TestRatesAreCopiesAndFlagged(t *testing.T) {
	rs := Rates(NLStatutory)
	rs[0].Percent = d("99")
	if r, _ := RateOn(NLStatutory, rs[0].From); r.Percent.Equal(d("99")) {
		t.Fatal("Rates must return a copy: the shared table changed")
	}
	// The NL 6:119 rows of 2026 come from the method alone (no decree found
	// offline); they must stay flagged until someone checks them.
	if r, err := RateOn(NLStatutory, Date(2026, 7, 1)); err != nil || r.Confirmed {
		t.Errorf("nl-statutory on 2026-07-01: %+v, %v; want an unconfirmed rate", r, err)
	}
	if Rates("nope") != nil {
		t.Error("unknown kind should have no rates")
	}
}

func TestRateFileErrors(t *testing.T) {
	for _, rec := range [][]string{
		{"2024-13-01", "2", "src", "yes"},
		{"2024-01-01", "-1", "src", "yes"},
		{"2024-01-01", "2", " ", "yes"},
		{"2024-01-01", "2", "src", "maybe"},
	} {
		if _, err := parseRate(rec); err == nil {
			t.Errorf("parseRate(%v) accepted a bad line", rec)
		}
	}
	if _, err := loadRateFile("rates/missing.csv"); err == nil {
		t.Error("missing file accepted")
	}
}
