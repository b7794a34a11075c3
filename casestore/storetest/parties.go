package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var partyTests = []test{
	{"Ping", testPing},
	{"Creditor/UpsertByCode", testCreditorUpsert},
	{"Creditor/Invalid", testCreditorInvalid},
	{"Creditor/NotFound", testCreditorNotFound},
	{"Debtor/UpsertByRef", testDebtorUpsert},
	{"Debtor/ScopedToCreditor", testDebtorScopedToCreditor},
	{"Debtor/BirthDateAndPhones", testDebtorFields},
	{"Debtor/Invalid", testDebtorInvalid},
}

func testPing(t *testing.T, s casestore.Store) {
	must(t, s.Ping(context.Background()), "Ping on a fresh store")
}

func testCreditorUpsert(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := &casestore.Creditor{Code: "ENERGIEDIRECT", Name: "Energiedirect B.V.", PaymentURL: "https://pay.example.test/ed"}
	must(t, s.PutCreditor(ctx, c), "first PutCreditor")
	if c.ID == 0 {
		t.Fatal("PutCreditor did not set the ID")
	}
	first, err := s.Creditor(ctx, c.ID)
	must(t, err, "Creditor")
	if first.CreatedAt.IsZero() {
		t.Error("CreatedAt not set on creation")
	}

	// The import runs again with new terms: same code, so same creditor.
	again := &casestore.Creditor{Code: "ENERGIEDIRECT", Name: "Energiedirect Nederland B.V.",
		VATOnCosts: true, ContractualCosts: money("0.15"), PaymentURL: "https://pay.example.test/edn",
		MinimumPerInvoice: true}
	must(t, s.PutCreditor(ctx, again), "second PutCreditor")
	wantEq(t, "ID after the second put", again.ID, c.ID)

	got, err := s.CreditorByCode(ctx, "ENERGIEDIRECT")
	must(t, err, "CreditorByCode")
	wantEq(t, "ID", got.ID, c.ID)
	wantEq(t, "Code", got.Code, "ENERGIEDIRECT")
	wantEq(t, "Name", got.Name, "Energiedirect Nederland B.V.")
	wantEq(t, "VATOnCosts", got.VATOnCosts, true)
	wantMoney(t, "ContractualCosts", got.ContractualCosts, money("0.15"))
	wantEq(t, "MinimumPerInvoice", got.MinimumPerInvoice, true)
	wantEq(t, "PaymentURL", got.PaymentURL, "https://pay.example.test/edn")
	wantInstant(t, "CreatedAt after an update", got.CreatedAt, first.CreatedAt)

	// A different code is a different creditor.
	other := NewCreditor(t, s, "WATERNET")
	if other.ID == c.ID {
		t.Errorf("a second creditor got the same ID %d", c.ID)
	}
}

func testCreditorInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	for _, c := range []casestore.Creditor{
		{Code: "", Name: "Geen code B.V."},
		{Code: "NONAME", Name: ""},
	} {
		wantErr(t, s.PutCreditor(ctx, &c), casestore.ErrInvalid, "PutCreditor code="+c.Code+" name="+c.Name)
	}
	_, err := s.CreditorByCode(ctx, "NONAME")
	wantErr(t, err, casestore.ErrNotFound, "a refused creditor must not be stored")
}

func testCreditorNotFound(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	NewCreditor(t, s, "KNOWN")
	_, err := s.Creditor(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Creditor(unknown id)")
	_, err = s.CreditorByCode(ctx, "UNKNOWN")
	wantErr(t, err, casestore.ErrNotFound, "CreditorByCode(unknown)")
	_, err = s.Debtor(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Debtor(unknown id)")
}

func testDebtorUpsert(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-DEB")
	d := NewDebtor(t, s, cr.ID, "DEB-1", "+31612345678", "+31201234567")
	first, err := s.Debtor(ctx, d.ID)
	must(t, err, "Debtor")
	if first.CreatedAt.IsZero() {
		t.Error("CreatedAt not set on creation")
	}

	// A new import moves the debtor to another number and language; the
	// old number must no longer be on file (the list is replaced).
	again := &casestore.Debtor{CreditorID: cr.ID, Ref: "DEB-1", Name: "Jan de Vries", Phones: []string{"+32470123456"},
		Postcode: "1000", Language: casestore.French}
	must(t, s.PutDebtor(ctx, again), "second PutDebtor")
	wantEq(t, "ID after the second put", again.ID, d.ID)

	got, err := s.Debtor(ctx, d.ID)
	must(t, err, "Debtor after update")
	wantEq(t, "Name", got.Name, "Jan de Vries")
	wantStrings(t, "Phones", got.Phones, []string{"+32470123456"})
	wantEq(t, "Postcode", got.Postcode, "1000")
	wantEq(t, "Language", got.Language, casestore.French)
	wantOptDay(t, "BirthDate cleared by the update", got.BirthDate, nil)
	wantInstant(t, "CreatedAt after an update", got.CreatedAt, first.CreatedAt)
	wantEq(t, "CreditorID", got.CreditorID, cr.ID)
}

// testDebtorScopedToCreditor: a debtor reference is a creditor's own
// customer number. Creditor A putting a debtor under B's reference makes
// A's own debtor and leaves B's as it was (issue 13: A's file used to
// replace B's debtor's name, phone, postcode and birth date, and A's
// phone then verified over SMS and read B's case); a case cannot be filed
// on another creditor's debtor.
func testDebtorScopedToCreditor(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	a := NewCreditor(t, s, "CR-SCOPE-A")
	b := NewCreditor(t, s, "CR-SCOPE-B")
	bs := NewDebtor(t, s, b.ID, "K-1001", "+31611110000")
	bCase := NewCaseOf(t, s, "IB-SCOPE-B", b.ID, bs.ID)

	as := &casestore.Debtor{CreditorID: a.ID, Ref: "K-1001", Name: "Mallory", Phones: []string{"+31699990000"},
		Postcode: "9999ZZ", BirthDate: ptr(casestore.Date(1999, time.January, 1))}
	must(t, s.PutDebtor(ctx, as), "A's debtor under B's reference")
	if as.ID == bs.ID {
		t.Fatalf("A's debtor K-1001 got B's debtor's id %d", bs.ID)
	}
	got, err := s.Debtor(ctx, bs.ID)
	must(t, err, "B's debtor")
	wantEq(t, "B's debtor's name", got.Name, bs.Name)
	wantStrings(t, "B's debtor's phones", got.Phones, []string{"+31611110000"})
	wantEq(t, "B's debtor's postcode", got.Postcode, bs.Postcode)
	wantOptDay(t, "B's debtor's birth date", got.BirthDate, bs.BirthDate)
	wantEq(t, "B's debtor's creditor", got.CreditorID, b.ID)

	// A's phone finds nothing of B's.
	cases, err := s.CasesByPhone(ctx, "+31699990000")
	must(t, err, "CasesByPhone(A's phone)")
	wantStrings(t, "cases found by A's phone", refsOf(cases), nil)
	cases, err = s.CasesByPhone(ctx, "+31611110000")
	must(t, err, "CasesByPhone(B's phone)")
	wantStrings(t, "cases found by B's phone", refsOf(cases), []string{bCase.Ref})

	// A case of A cannot be filed on B's debtor, nor B's case moved to A's.
	_, err = s.PutCase(ctx, CaseFor("IB-SCOPE-A", a.ID, bs.ID))
	wantErr(t, err, casestore.ErrInvalid, "PutCase of creditor A on B's debtor")
	_, err = s.PutCase(ctx, CaseFor("IB-SCOPE-B", b.ID, as.ID))
	wantErr(t, err, casestore.ErrInvalid, "PutCase of B's case on A's debtor")
	wantErr(t, s.PutDebtor(ctx, &casestore.Debtor{Ref: "K-1002", Name: "Zonder schuldeiser"}),
		casestore.ErrInvalid, "PutDebtor without a creditor")
	wantErr(t, s.PutDebtor(ctx, &casestore.Debtor{CreditorID: 987654, Ref: "K-1003", Name: "Onbekende schuldeiser"}),
		casestore.ErrInvalid, "PutDebtor of an unknown creditor")
}

func testDebtorFields(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-FIELDS").ID
	cases := []struct {
		name string
		in   casestore.Debtor
		lang casestore.Language
	}{
		{"consumer with birth date, two phones", casestore.Debtor{Ref: "P-1", Name: "Anna Jansen",
			Phones: []string{"+31612345678", "+31687654321"}, Email: "anna@example.test", Postcode: "1234AB",
			BirthDate: ptr(casestore.Date(1970, time.December, 31)), Language: casestore.English}, casestore.English},
		{"company without birth date or phone", casestore.Debtor{Ref: "P-2", Name: "Bakkerij Jansen B.V.",
			IsCompany: true, Postcode: "9000"}, casestore.Dutch},
		{"leap-day birth date", casestore.Debtor{Ref: "P-3", Name: "Piet Leap",
			BirthDate: ptr(casestore.Date(2000, time.February, 29)), Language: casestore.Dutch}, casestore.Dutch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.CreditorID = cr
			must(t, s.PutDebtor(ctx, &in), "PutDebtor")
			got, err := s.Debtor(ctx, in.ID)
			must(t, err, "Debtor")
			wantEq(t, "Ref", got.Ref, tc.in.Ref)
			wantEq(t, "Name", got.Name, tc.in.Name)
			wantEq(t, "IsCompany", got.IsCompany, tc.in.IsCompany)
			wantStrings(t, "Phones", got.Phones, tc.in.Phones)
			wantEq(t, "Email", got.Email, tc.in.Email)
			wantEq(t, "Postcode", got.Postcode, tc.in.Postcode)
			wantOptDay(t, "BirthDate", got.BirthDate, tc.in.BirthDate)
			wantEq(t, "Language (empty is stored as nl)", got.Language, tc.lang)
		})
	}
}

func testDebtorInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-INV").ID
	for _, d := range []casestore.Debtor{
		{CreditorID: cr, Ref: "", Name: "Zonder ref"},
		{CreditorID: cr, Ref: "NONAME", Name: ""},
		{CreditorID: cr, Ref: "BADPHONE", Name: "Geen E.164", Phones: []string{"06-12345678"}},
		{CreditorID: cr, Ref: "BADLANG", Name: "Onbekende taal", Language: "de"},
	} {
		wantErr(t, s.PutDebtor(ctx, &d), casestore.ErrInvalid, "PutDebtor ref="+d.Ref+" name="+d.Name)
	}
}
