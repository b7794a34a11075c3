package dialogs

import (
	"slices"

	"github.com/incassobot/incassobot/casestore"
)

// Belgian wording for Belgian cases (issue #14 point 7, issue #12): texts
// that name the collection costs or the bailiff use the placeholders
// {costs_label} and {bailiff}, and say fills them from the case's regime.
// A Dutch case, or a conversation before identification, reads the Dutch
// terms (incassokosten, deurwaarder).
var (
	// costsLabels names the costs at the start of a balance line. A Belgian
	// consumer's costs are the contract's damages clause (Book XIX WER); a
	// Belgian business pays invorderingskosten (law of 2 August 2002).
	costsLabels = map[casestore.Regime]map[casestore.Language]string{
		casestore.BEB2C: {casestore.Dutch: "Schadebeding", casestore.English: "Damages clause", casestore.French: "Clause pénale"},
		casestore.BEB2B: {casestore.Dutch: "Invorderingskosten", casestore.English: "Collection costs", casestore.French: "Frais de recouvrement"},
		"":              {casestore.Dutch: "Incassokosten", casestore.English: "Collection costs", casestore.French: "Frais de recouvrement"},
	}
	// bailiffs names the bailiff inside a sentence: in Belgium the
	// gerechtsdeurwaarder / huissier de justice.
	// debtHelp names free debt help in the debtor's country (issue #12): a
	// Dutch case the municipality's schuldhulpverlening, a Belgian case the
	// OCMW/CPAS or a CAW; before identification both, as the country is not
	// known yet.
	debtHelp = map[any]map[casestore.Language]string{
		false: {casestore.Dutch: "de schuldhulpverlening van uw gemeente", casestore.English: "the debt help service of your municipality (schuldhulpverlening)",
			casestore.French: "le service d'aide aux dettes de votre commune (schuldhulpverlening)"},
		true: {casestore.Dutch: "het OCMW of een CAW bij u in de buurt", casestore.English: "the OCMW/CPAS or a CAW near you",
			casestore.French: "le CPAS ou un service de médiation de dettes agréé près de chez vous"},
		"": {casestore.Dutch: "de schuldhulpverlening van uw gemeente (in België: het OCMW of een CAW)", casestore.English: "the debt help service of your municipality (in Belgium: the OCMW/CPAS or a CAW)",
			casestore.French: "le service d'aide aux dettes de votre commune (en Belgique : le CPAS)"},
	}
	bailiffs = map[bool]map[casestore.Language]string{
		true:  {casestore.Dutch: "gerechtsdeurwaarder", casestore.English: "bailiff", casestore.French: "huissier de justice"},
		false: {casestore.Dutch: "deurwaarder", casestore.English: "bailiff", casestore.French: "huissier"},
	}
)

// belgian reports whether r falls under Belgian law.
func belgian(r casestore.Regime) bool { return r == casestore.BEB2C || r == casestore.BEB2B }

// regimeWords are the {costs_label} and {bailiff} arguments for lang on
// case c (nil before identification: the Dutch terms).
func regimeWords(lang casestore.Language, c *casestore.Case) []string {
	var r casestore.Regime
	if c != nil {
		r = c.Regime
	}
	labels, ok := costsLabels[r]
	if !ok {
		labels = costsLabels[""]
	}
	help := debtHelp[""]
	if c != nil {
		help = debtHelp[belgian(r)]
	}
	return []string{"costs_label", labels[lang], "bailiff", bailiffs[belgian(r)][lang], "debt_help", help[lang]}
}

// withRegimeWords appends the regime words to a text's own arguments.
func withRegimeWords(lang casestore.Language, c *casestore.Case, args []string) []string {
	return slices.Concat(args, regimeWords(lang, c))
}
