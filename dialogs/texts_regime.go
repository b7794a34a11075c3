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
	return []string{"costs_label", labels[lang], "bailiff", bailiffs[belgian(r)][lang]}
}

// withRegimeWords appends the regime words to a text's own arguments.
func withRegimeWords(lang casestore.Language, c *casestore.Case, args []string) []string {
	return slices.Concat(args, regimeWords(lang, c))
}
