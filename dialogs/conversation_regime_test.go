package dialogs

import (
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

// demoLikeCase is the fixture case dressed as one of the demo cases: its
// dossier number, regime, debtor, postcode and language on file.
func demoLikeCase(stage casestore.Stage, ref string, regime casestore.Regime, name, postcode string, lang casestore.Language) *casestore.Case {
	c := fixtureCase(stage)
	c.Ref, c.Regime = ref, regime
	c.Debtor.Name, c.Debtor.Postcode, c.Debtor.Language = name, postcode, lang
	return c
}

// A Belgian case reads Belgian terms (issue #14 point 7): a consumer's
// costs are the contract's damages clause (schadebeding / clause pénale)
// and the bailiff is the gerechtsdeurwaarder / huissier de justice; a
// Belgian business pays invorderingskosten. A Dutch case is unchanged.
func TestBelgianWordingForBelgianCases(t *testing.T) {
	lotte := func(stage casestore.Stage) *casestore.Case {
		return demoLikeCase(stage, "IB-2026-000113", casestore.BEB2C, "Lotte Peeters", "9000", casestore.Dutch)
	}
	dutch := func(stage casestore.Stage) *casestore.Case {
		return demoLikeCase(stage, "IB-2026-000101", casestore.NLB2C, "J. de Vries", "3512JK", casestore.Dutch)
	}
	amelie := func(stage casestore.Stage) *casestore.Case {
		return demoLikeCase(stage, "IB-2026-000115", casestore.BEB2C, "Amélie Dubois", "1000", casestore.French)
	}
	brasserie := demoLikeCase(casestore.Gerechtelijk, "IB-2026-000117", casestore.BEB2B, "Brasserie Het Pleintje BV", "8000", casestore.Dutch)
	for _, c := range []conversation{
		{Name: "be-b2c/nl amicable: schadebeding and gerechtsdeurwaarder", Case: lotte(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: "IB-2026-000113 9000", Verified: yes},
			{Say: "hoeveel moet ik nog betalen?", Want: []string{"Schadebeding:", "gerechtsdeurwaarder"},
				WantNot: []string{"Incassokosten", " deurwaarder"}},
		}},
		{Name: "be-b2c/nl judicial: gerechtsdeurwaarder in the stage and the plan note", Case: lotte(casestore.Gerechtelijk), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: "IB-2026-000113 9000", Verified: yes},
			{Say: "saldo", Want: []string{"Schadebeding:", "Er is een gerechtsdeurwaarder bij uw dossier"}, WantNot: []string{"Incassokosten"}},
			{Say: "ik wil een betalingsregeling", Want: []string{"bij de gerechtsdeurwaarder of de rechter"}},
		}},
		{Name: "be-b2c/fr: clause pénale and huissier de justice", Case: amelie(casestore.Executie), Turns: []turnSpec{
			{Say: "bonjour", Node: NodeVerifyRef},
			{Say: "IB-2026-000115 1000", Verified: yes},
			{Say: "combien je dois payer ?", Want: []string{"Clause pénale :", "l'huissier de justice peut l'exécuter"},
				WantNot: []string{"Frais de recouvrement"}},
		}},
		{Name: "be-b2b/nl: invorderingskosten and gerechtsdeurwaarder", Case: brasserie, Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: "IB-2026-000117 8000", Verified: yes},
			{Say: "saldo", Want: []string{"Invorderingskosten:", "gerechtsdeurwaarder"}, WantNot: []string{"Incassokosten", "Schadebeding"}},
		}},
		{Name: "nl-b2c/nl: incassokosten and deurwaarder, unchanged", Case: dutch(casestore.Gerechtelijk), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: "IB-2026-000101 3512JK", Verified: yes},
			{Say: "saldo", Want: []string{"Incassokosten:", "Er is een deurwaarder bij uw dossier"},
				WantNot: []string{"gerechtsdeurwaarder", "Schadebeding", "{costs_label}", "{bailiff}"}},
		}},
		{Name: "nl-b2c/en: collection costs and bailiff", Case: withLang(dutch(casestore.Minnelijk), casestore.English), Turns: []turnSpec{
			{Say: "hello", Node: NodeVerifyRef},
			{Say: "IB-2026-000101 3512JK", Verified: yes},
			{Say: "how much do I owe?", Want: []string{"Collection costs:", "to a bailiff and the court"}, WantNot: []string{"Damages clause"}},
		}},
	} {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
}

// The debtor's own language overrides the case's language on file (issue
// #12): the language on file is only the default for a debtor who has not
// shown one. Checked across identification, where the case becomes known.
func TestDebtorLanguageOverridesCaseLanguage(t *testing.T) {
	dutchOnFile := func() *casestore.Case {
		return demoLikeCase(casestore.Minnelijk, "IB-2026-000101", casestore.NLB2C, "J. de Vries", "3512JK", casestore.Dutch)
	}
	frenchOnFile := demoLikeCase(casestore.Minnelijk, "IB-2026-000115", casestore.BEB2C, "Amélie Dubois", "1000", casestore.French)
	for _, c := range []conversation{
		{Name: "english writer, dutch on file: english after identification", Case: dutchOnFile(), Turns: []turnSpec{
			{Say: "hello, how much do I owe?", Want: []string{"file number"}, WantNot: []string{"dossiernummer"}},
			{Say: "IB-2026-000101 3512JK", Verified: yes, Want: []string{"You have been identified"}, WantNot: []string{"geïdentificeerd"}},
			{Say: "how much do I owe?", Want: []string{"Still to pay", "Collection costs:"}, WantNot: []string{"Nog te betalen"}},
		}},
		{Name: "french writer, dutch on file: french after identification", Case: dutchOnFile(), Turns: []turnSpec{
			{Say: "bonjour, combien je dois payer ?", Want: []string{"numéro de dossier"}, WantNot: []string{"dossiernummer"}},
			{Say: "IB-2026-000101 3512JK", Verified: yes, Want: []string{"Vous êtes identifié"}, WantNot: []string{"geïdentificeerd"}},
			{Say: "combien je dois payer ?", Want: []string{"Reste à payer", "Frais de recouvrement :"}, WantNot: []string{"Nog te betalen"}},
		}},
		{Name: "dutch writer, dutch on file: dutch throughout", Case: dutchOnFile(), Turns: []turnSpec{
			{Say: "hallo, hoeveel moet ik betalen?"},
			{Say: "IB-2026-000101 3512JK", Verified: yes, Want: []string{"U bent geïdentificeerd"}},
			{Say: "saldo", Want: []string{"Nog te betalen", "Incassokosten:"}},
		}},
		{Name: "no language shown: the language on file", Case: withLang(dutchOnFile(), casestore.English), Turns: []turnSpec{
			{Say: "IB-2026-000101 3512JK", Verified: yes, Want: []string{"You have been identified"}},
		}},
		{Name: "french writer, french on file (000115): french", Case: frenchOnFile, Turns: []turnSpec{
			{Say: "bonjour, combien je dois ?"},
			{Say: "IB-2026-000115 1000", Verified: yes, Want: []string{"Vous êtes identifié"}, WantNot: []string{"geïdentificeerd"}},
			{Say: "combien je dois payer ?", Want: []string{"Reste à payer", "Clause pénale :"}, WantNot: []string{"Nog te betalen"}},
		}},
	} {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
}
