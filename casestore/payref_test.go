package casestore_test

import (
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

func TestBetalingskenmerk(t *testing.T) {
	// The Dutch banks' own example: (5)000 0567 8901 2345.
	if id, ok := casestore.ParseBetalingskenmerk("5000 0567 8901 2345"); !ok || id != 56789012345 {
		t.Fatalf("the banks' example: %d %v", id, ok)
	}
	if got := casestore.Betalingskenmerk(56789012345); got != "5000 0567 8901 2345" {
		t.Errorf("Betalingskenmerk: %s", got)
	}
	for _, bad := range []string{"4000 0567 8901 2345", "5000056789012346", "500005678901234", "5000 0567 8901 234x", ""} {
		if _, ok := casestore.ParseBetalingskenmerk(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	for id := int64(1); id < 3000; id += 7 {
		if got, ok := casestore.ParseBetalingskenmerk(casestore.Betalingskenmerk(id)); !ok || got != id {
			t.Fatalf("round trip of %d: %d %v", id, got, ok)
		}
	}
}

func TestStructuredCommunication(t *testing.T) {
	// 0000000101 mod 97 = 4.
	if got := casestore.StructuredCommunication(101); got != "+++000/0000/10104+++" {
		t.Errorf("StructuredCommunication(101) = %s", got)
	}
	// A number divisible by 97 has check digits 97.
	if got := casestore.StructuredCommunication(97 * 3); got != "+++000/0000/29197+++" {
		t.Errorf("StructuredCommunication(291) = %s", got)
	}
	for _, ok := range []string{"+++000/0000/10104+++", "***000/0000/10104***", "000000010104", "+++000 / 0000 / 10104+++"} {
		if id, valid := casestore.ParseStructuredCommunication(ok); !valid || id != 101 {
			t.Errorf("%q: %d %v", ok, id, valid)
		}
	}
	for _, bad := range []string{"+++000/0000/10105+++", "+++000/0000/1010+++", "+++000/0000/00000+++", "abc"} {
		if _, valid := casestore.ParseStructuredCommunication(bad); valid {
			t.Errorf("%q accepted", bad)
		}
	}
	c := &casestore.Case{ID: 101, Regime: casestore.BEB2C}
	if casestore.PaymentReference(c) != "+++000/0000/10104+++" {
		t.Error("a Belgian case's reference is its structured communication")
	}
	c.Regime = casestore.NLB2B
	if _, ok := casestore.ParseBetalingskenmerk(casestore.PaymentReference(c)); !ok {
		t.Error("a Dutch case's reference is a betalingskenmerk")
	}
}
