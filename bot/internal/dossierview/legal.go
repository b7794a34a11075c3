package dossierview

import "github.com/incassobot/incassobot/casestore"

// LegalBasis is what the balance of a case under r rests on, in the words
// a court reads: the interest, the collection costs, and the order in
// which payments were applied. It names the same rules casestore computes
// with (interest.go, costs.go, balance.go).
func LegalBasis(r casestore.Regime) []string {
	switch r {
	case casestore.NLB2C:
		return []string{
			"Rente: de wettelijke rente over de hoofdsom vanaf de vervaldatum (art. 6:119 BW), per jaar samengesteld.",
			"Incassokosten: de buitengerechtelijke incassokosten volgens de staffel van het Besluit vergoeding voor buitengerechtelijke incassokosten (art. 6:96 lid 2 en 5 BW), pas verschuldigd na een aanmaning met een betalingstermijn van veertien dagen (art. 6:96 lid 6 BW).",
			"Betalingen zijn eerst op de kosten, dan op de rente en daarna op de hoofdsom in mindering gebracht (art. 6:44 BW).",
		}
	case casestore.NLB2B:
		return []string{
			"Rente: de wettelijke handelsrente over de hoofdsom vanaf de vervaldatum (art. 6:119a BW), per jaar samengesteld.",
			"Incassokosten: de overeengekomen of volgens de staffel van het Besluit vergoeding voor buitengerechtelijke incassokosten berekende kosten, ten minste € 40 (art. 6:96 lid 4 BW).",
			"Betalingen zijn eerst op de kosten, dan op de rente en daarna op de hoofdsom in mindering gebracht (art. 6:44 BW).",
		}
	case casestore.BEB2C:
		return []string{
			"Interest: de wettelijke interestvoet over de hoofdsom (wet van 5 mei 1865), enkelvoudig berekend.",
			"Schadebeding: binnen de grenzen van boek XIX van het Wetboek van economisch recht (art. XIX.4 §2), pas na de kosteloze eerste herinnering met een termijn van veertien dagen (art. XIX.2 §1).",
			"Betalingen zijn eerst op de kosten, dan op de interest en daarna op de hoofdsom aangerekend.",
		}
	case casestore.BEB2B:
		return []string{
			"Interest: de interest van de wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand bij handelstransacties (art. 5), enkelvoudig berekend.",
			"Invorderingskosten: de forfaitaire vergoeding van € 40 (art. 6 van dezelfde wet).",
			"Betalingen zijn eerst op de kosten, dan op de interest en daarna op de hoofdsom aangerekend.",
		}
	}
	return []string{"Het saldo is berekend volgens de regels van het regime van dit dossier (" + Label("regime", r) + ")."}
}

// BalanceProblem is what a page says when the rules cannot compute a
// case's balance (a date or amount the import let through that the law's
// arithmetic refuses); the rules' own reason is for the log.
const BalanceProblem = "Het saldo kan met de gegevens van dit dossier niet worden berekend. Laat een medewerker de facturen en betalingen nakijken."
