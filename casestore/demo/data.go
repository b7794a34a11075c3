package demo

import "github.com/incassobot/incassobot/casestore"

// The creditors. Payment links use example.com: nothing is ever paid.
var creditors = []casestore.Creditor{
	{Code: "ENERGIEDIRECT", Name: "Energie Direct Nederland B.V.", PaymentURL: "https://pay.example.com/energiedirect"},
	{Code: "TELEFONIKA", Name: "Telefonika Mobiel B.V.", PaymentURL: "https://pay.example.com/telefonika"},
	{Code: "SHOPWIJS", Name: "ShopWijs.nl", PaymentURL: "https://pay.example.com/shopwijs"},
	// A sports club exempt from VAT cannot deduct it: 21% VAT on costs.
	{Code: "FITPLAZA", Name: "FitPlaza Sportclubs", VATOnCosts: true, PaymentURL: "https://pay.example.com/fitplaza"},
	{Code: "VANDIJK", Name: "Van Dijk Groothandel B.V.", ContractualCosts: money("0.10"), PaymentURL: "https://pay.example.com/vandijk"},
	{Code: "AZSINTELOOI", Name: "AZ Sint-Elooi Gent", PaymentURL: "https://pay.example.com/azsintelooi"},
	// Claims the B2B €40 on every late invoice (CJEU C-585/20).
	{Code: "DRANKCENTRALE", Name: "Vlaamse Drankencentrale NV", MinimumPerInvoice: true, PaymentURL: "https://pay.example.com/drankcentrale"},
}

// Plan policies that differ from casestore.DefaultPlanPolicy.
var (
	gymPolicy       = casestore.PlanPolicy{MaxTerms: 6, MinInstallment: money("20"), DownPaymentPct: money("0"), MaxPromiseDays: 14}
	hospitalPolicy  = casestore.PlanPolicy{MaxTerms: 18, MinInstallment: money("15"), DownPaymentPct: money("0"), MaxPromiseDays: 30}
	wholesalePolicy = casestore.PlanPolicy{MaxTerms: 4, MinInstallment: money("250"), DownPaymentPct: money("0.25"), InterestDuringPlan: true, MaxPromiseDays: 14}
)

// hospitalClause is the late-payment clause of the hospital's admission
// contract, announced in its first reminder: damages within the caps of
// art. XIX.4 WER and interest at the late-payment rate. The shop's Belgian
// terms have none: statutory interest from the reminder, no damages.
var hospitalClause = &casestore.DamagesClause{
	Terms:   "Opnameverklaring art. 9: bij niet-betaling na herinnering een schadebeding binnen de grenzen van art. XIX.4 WER en interest aan de rentevoet van de wet van 2 augustus 2002.",
	Damages: true, LatePaymentInterest: true, AnnouncedInReminder: true,
}

// cases is the demo set: every regime, stage and status. Days are counted
// back from today (positive = in the past). Dossier numbers are stable so
// the README tour can name them.
var cases = []spec{
	// ── NL consumers ─────────────────────────────────────────────
	{ref: "IB-2026-000101", creditor: "ENERGIEDIRECT", regime: casestore.NLB2C, stage: casestore.Minnelijk, status: casestore.StatusOpen, letter: 30,
		debtor:   person("ED-448812", "Sanne de Vries", "+31612345001", "3512JK", 1988, 4, 23, casestore.Dutch),
		invoices: []inv{{"E-2025-11873", "Energie november", 125, 95, "187.43", ""}, {"E-2025-12944", "Energie december", 95, 65, "203.17", ""}},
		payments: []pay{{"", "50.00", 20, "IDEAL-5521"}}},
	{ref: "IB-2026-000102", creditor: "ENERGIEDIRECT", regime: casestore.NLB2C, stage: casestore.PreIncasso, status: casestore.StatusOpen, letter: none,
		debtor:   person("ED-451907", "Mohamed El Amrani", "+31623456102", "3011AA", 1979, 11, 2, casestore.Dutch),
		invoices: []inv{{"E-2026-00412", "Jaarafrekening 2025", 34, 20, "96.20", ""}}},
	{ref: "IB-2026-000103", creditor: "TELEFONIKA", regime: casestore.NLB2C, stage: casestore.Minnelijk, status: casestore.StatusOnHold, letter: 40,
		debtor:   person("TM-2209931", "Kees Jansen", "+31634567103", "9711LM", 1965, 7, 9, casestore.Dutch),
		invoices: []inv{{"T-88123", "Abonnement januari", 90, 76, "45.00", ""}, {"T-88124", "Toestelkrediet", 90, 76, "312.50", casestore.InvoiceDisputed}},
		dispute:  &dispute{invoice: "T-88124", reason: casestore.ReasonWrongAmount, text: "Het toestel is in december teruggestuurd, het krediet had moeten stoppen.", days: 6}},
	{ref: "IB-2026-000104", creditor: "TELEFONIKA", regime: casestore.NLB2C, stage: casestore.Minnelijk, status: casestore.StatusInPlan, letter: 70,
		debtor:   person("TM-2231450", "Fatma Yilmaz", "+31645678104", "2511CV", 1991, 2, 17, casestore.Dutch),
		invoices: []inv{{"T-90211", "Abonnement en bundels november", 120, 106, "129.99", ""}, {"T-91877", "Abonnement december", 90, 76, "89.95", ""}},
		plan:     &plan{terms: 6, days: 25, status: casestore.PlanActive, paidTerms: 1}},
	{ref: "IB-2026-000105", creditor: "SHOPWIJS", regime: casestore.NLB2C, stage: casestore.Minnelijk, status: casestore.StatusOpen, letter: 5,
		debtor:   person("SW-100234", "Daan Visser", "+31656789105", "1012AB", 1999, 9, 30, casestore.Dutch),
		invoices: []inv{{"SW-2026-100234", "Bestelling 100234: koptelefoon", 48, 34, "64.95", ""}}},
	{ref: "IB-2026-000106", creditor: "SHOPWIJS", regime: casestore.NLB2C, stage: casestore.Gerechtelijk, status: casestore.StatusOpen, letter: 200,
		debtor: person("SW-087711", "Emma Bakker", "+31667890106", "5611AB", 1983, 1, 5, casestore.Dutch),
		invoices: []inv{{"SW-2025-087711", "Bestelling 87711: wasmachine", 260, 246, "1850.00", ""},
			{"SW-2025-088102", "Bestelling 88102: droger", 250, 236, "420.00", ""}, {"SW-2025-089440", "Bestelling 89440: installatie", 240, 226, "310.50", ""}},
		payments: []pay{{"SW-2025-087711", "250.00", 150, "OVERBOEKING-7711"}}},
	{ref: "IB-2026-000107", creditor: "FITPLAZA", regime: casestore.NLB2C, stage: casestore.Minnelijk, status: casestore.StatusPaid, letter: 60, policy: &gymPolicy,
		debtor: person("FP-33017", "Lucas Smit", "+31678901107", "6811AA", 1996, 6, 12, casestore.Dutch),
		invoices: []inv{{"FP-2025-10-33017", "Contributie oktober", 150, 136, "34.95", casestore.InvoicePaid},
			{"FP-2025-11-33017", "Contributie november", 120, 106, "34.95", casestore.InvoicePaid}, {"FP-2025-12-33017", "Contributie december", 90, 76, "34.95", casestore.InvoicePaid}},
		paidInFull: &pay{"", "", 10, "IDEAL-33017"}},
	{ref: "IB-2026-000108", creditor: "FITPLAZA", regime: casestore.NLB2C, stage: casestore.PreIncasso, status: casestore.StatusOpen, letter: none, policy: &gymPolicy,
		debtor:   person("FP-35120", "Olivia Brown", "+31689012108", "8011AB", 1993, 3, 28, casestore.English),
		invoices: []inv{{"FP-2026-01-35120", "Contributie januari", 45, 31, "39.95", ""}},
		promise:  &promise{amount: "39.95", inDays: 7, days: 2}},

	// ── NL businesses ────────────────────────────────────────────
	{ref: "IB-2026-000109", creditor: "VANDIJK", regime: casestore.NLB2B, stage: casestore.Minnelijk, status: casestore.StatusOpen, letter: 25, policy: &wholesalePolicy,
		debtor:   company("VD-K-1044", "Bakkerij De Korenschoof B.V.", "+31612340109", "3811AB"),
		invoices: []inv{{"VD-25-40811", "Meel en bakgrondstoffen week 46", 100, 70, "2480.00", ""}, {"VD-25-41902", "Meel en bakgrondstoffen week 49", 80, 50, "1315.60", ""}}},
	{ref: "IB-2026-000110", creditor: "VANDIJK", regime: casestore.NLB2B, stage: casestore.Executie, status: casestore.StatusOpen, letter: 330, policy: &wholesalePolicy,
		debtor:   company("VD-K-0877", "Café De Zwaan V.O.F.", "+31620010110", "4811AA"),
		invoices: []inv{{"VD-25-11876", "Dranken en horecabenodigdheden Q1", 420, 390, "7950.00", ""}}},
	{ref: "IB-2026-000111", creditor: "VANDIJK", regime: casestore.NLB2B, stage: casestore.Gerechtelijk, status: casestore.StatusOpen, letter: 160, policy: &wholesalePolicy,
		debtor:   company("VD-K-1210", "Restaurant Het Anker", "+31620020111", "1781AA"),
		invoices: []inv{{"VD-25-30017", "Vis en zuivel augustus", 200, 170, "3120.40", ""}, {"VD-25-33388", "Vis en zuivel september", 170, 140, "2760.00", ""}},
		plan:     &plan{terms: 4, days: 3, status: casestore.PlanPending}},
	{ref: "IB-2026-000112", creditor: "VANDIJK", regime: casestore.NLB2B, stage: casestore.Minnelijk, status: casestore.StatusClosed, letter: 80, policy: &wholesalePolicy,
		debtor:   company("VD-K-0932", "Hotel Zeezicht B.V.", "+31620030112", "2042AA"),
		invoices: []inv{{"VD-25-35501", "Linnengoed (retour)", 110, 80, "865.00", casestore.InvoiceWaived}},
		dispute:  &dispute{invoice: "VD-25-35501", reason: casestore.ReasonFaulty, text: "Linnengoed was beschadigd en is retour gestuurd.", days: 40, upheld: 12}},

	// ── BE consumers ─────────────────────────────────────────────
	{ref: "IB-2026-000113", creditor: "AZSINTELOOI", regime: casestore.BEB2C, clause: hospitalClause, stage: casestore.Minnelijk, status: casestore.StatusOpen, letter: 35, policy: &hospitalPolicy,
		debtor:   person("AZ-7781203", "Lotte Peeters", "+32470123113", "9000", 1986, 8, 14, casestore.Dutch),
		invoices: []inv{{"AZ-2025-556120", "Opname dagziekenhuis 12/11", 110, 80, "742.18", ""}, {"AZ-2025-561877", "Raadpleging orthopedie", 95, 65, "58.00", ""}}},
	{ref: "IB-2026-000114", creditor: "AZSINTELOOI", regime: casestore.BEB2C, clause: hospitalClause, stage: casestore.PreIncasso, status: casestore.StatusOpen, letter: none, policy: &hospitalPolicy,
		debtor:   person("AZ-7790455", "Jonas Claes", "+32485234114", "2000", 1974, 12, 1, casestore.Dutch),
		invoices: []inv{{"AZ-2026-012044", "Spoedgevallen 02/01", 40, 10, "126.40", ""}}},
	{ref: "IB-2026-000115", creditor: "SHOPWIJS", regime: casestore.BEB2C, stage: casestore.Minnelijk, status: casestore.StatusOnHold, letter: 45,
		debtor:   person("SW-BE-20551", "Amélie Dubois", "+32496345115", "1000", 1990, 5, 19, casestore.French),
		invoices: []inv{{"SW-2025-095501", "Commande 95501: aspirateur", 80, 66, "89.90", casestore.InvoiceDisputed}},
		dispute:  &dispute{invoice: "SW-2025-095501", reason: casestore.ReasonNotReceived, text: "Je n'ai jamais reçu ce colis.", days: 9}},
	{ref: "IB-2026-000116", creditor: "AZSINTELOOI", regime: casestore.BEB2C, clause: hospitalClause, stage: casestore.Gerechtelijk, status: casestore.StatusInPlan, letter: 180, policy: &hospitalPolicy,
		debtor:   person("AZ-7702318", "Wout Jacobs", "+32477456116", "3000", 1958, 10, 27, casestore.Dutch),
		invoices: []inv{{"AZ-2025-301877", "Opname heelkunde", 240, 210, "1245.00", ""}, {"AZ-2025-318820", "Kinesitherapie", 220, 190, "310.75", ""}},
		plan:     &plan{terms: 10, days: 50, status: casestore.PlanActive, paidTerms: 1}},

	// ── BE businesses ────────────────────────────────────────────
	{ref: "IB-2026-000117", creditor: "DRANKCENTRALE", regime: casestore.BEB2B, stage: casestore.Minnelijk, status: casestore.StatusOpen, letter: 28,
		debtor:   company("DC-BR-0412", "Brasserie Het Pleintje BV", "+32478567117", "8000"),
		invoices: []inv{{"DC-25-7781", "Bier en frisdrank november", 75, 45, "1980.40", ""}, {"DC-25-8120", "Wijn december", 60, 30, "645.00", ""}},
		payments: []pay{{"", "500.00", 12, "OGM-117-0412"}}},
	{ref: "IB-2026-000118", creditor: "DRANKCENTRALE", regime: casestore.BEB2B, stage: casestore.Executie, status: casestore.StatusOpen, letter: 300,
		debtor:   company("DC-HA-0088", "Frituur De Gouden Friet", "+32479678118", "3500"),
		invoices: []inv{{"DC-25-1190", "Frisdrank en sauzen Q1", 400, 370, "3400.00", ""}}},
	{ref: "IB-2026-000119", creditor: "DRANKCENTRALE", regime: casestore.BEB2B, stage: casestore.PreIncasso, status: casestore.StatusPaid, letter: none,
		debtor:     company("DC-GE-0301", "Taverne Sint-Pieter BV", "+32471789119", "9000"),
		invoices:   []inv{{"DC-26-0044", "Bier januari", 40, 20, "512.30", casestore.InvoicePaid}},
		paidInFull: &pay{"", "", 4, "OGM-119-0301"}},
	{ref: "IB-2026-000120", creditor: "DRANKCENTRALE", regime: casestore.BEB2B, stage: casestore.Gerechtelijk, status: casestore.StatusOnHold, letter: 150,
		debtor:   company("DC-ME-0150", "Feestzaal Ter Linde", "+32472890120", "2800"),
		invoices: []inv{{"DC-25-5521", "Koelinstallatie huur september", 190, 160, "1450.00", casestore.InvoiceDisputed}, {"DC-25-5522", "Dranken september", 190, 160, "2210.80", ""}},
		dispute:  &dispute{invoice: "DC-25-5521", reason: casestore.ReasonFaulty, text: "De koelinstallatie viel tijdens het feest uit.", days: 20}},
}
