package casestore

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Costs is the collection costs (buitengerechtelijke incassokosten /
// schadebeding) on a principal, with how they were computed.
type Costs struct {
	Regime    Regime          `json:"regime"`
	Principal decimal.Decimal `json:"principal"` // the amount the costs are computed over
	Costs     decimal.Decimal `json:"costs"`     // excl. VAT, rounded to the cent
	VAT       decimal.Decimal `json:"vat"`       // 21% of Costs when due, else zero
	Total     decimal.Decimal `json:"total"`     // Costs + VAT
	Basis     string          `json:"basis"`     // one line: how Costs was reached
	Sources   []string        `json:"sources"`   // the rules applied
}

var (
	wikMinimum = decimal.NewFromInt(40)
	// b2bMinimum: the fixed €40 a business owes on a late invoice (Richtlijn
	// 2011/7/EU art. 6; art. 6:96 lid 4 BW; Belgian law of 2 August 2002
	// art. 6), per invoice when Creditor.MinimumPerInvoice (CJEU C-585/20).
	b2bMinimum = decimal.NewFromInt(40)
	wikMaximum = decimal.NewFromInt(6775)
	beB2BFlat  = decimal.NewFromInt(40)
	beB2CMax   = decimal.NewFromInt(2000)
)

// wikBand is one step of the WIK staffel: Percent of the part of the
// principal up to UpTo (cumulative; zero = no upper bound).
type wikBand struct{ UpTo, Percent decimal.Decimal }

// wikBands: Besluit vergoeding voor buitengerechtelijke incassokosten
// (Stb. 2012, 141), art. 2 lid 1.
var wikBands = []wikBand{
	{decimal.NewFromInt(2500), decimal.NewFromInt(15)},
	{decimal.NewFromInt(5000), decimal.NewFromInt(10)},
	{decimal.NewFromInt(10000), decimal.NewFromInt(5)},
	{decimal.NewFromInt(200000), decimal.NewFromInt(1)},
	{decimal.Zero, decimal.RequireFromString("0.5")},
}

const (
	srcWIK      = "Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141), art. 2; art. 6:96 lid 4-6 BW"
	srcWIKVAT   = "21% VAT on the costs: the creditor cannot deduct VAT and declares so (Wet OB 1968 art. 9; Besluit BIK, explanatory notes)"
	srcContract = "contractual collection costs between businesses, art. 6:96 lid 4 BW (no WIK protection for B2B); at least €40 (art. 6:96 lid 4 BW, Richtlijn 2011/7/EU art. 6)"
	srcBEB2C    = "Wetboek van economisch recht, boek XIX (Schulden van de consument), art. XIX.4: damages (schadebeding / clause pénale) only as the contract stipulates and the first reminder announced, at most the caps of art. XIX.4 on the outstanding amount"
	srcBEB2B    = "Wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand bij handelstransacties, art. 6: fixed €40"
)

// CollectionCosts computes the statutory collection costs on principal under
// r. vat adds 21% VAT on the costs and only applies in the Netherlands
// (Belgian damages are compensation, not a supply subject to VAT). The
// figures are the legal maxima; a creditor may charge less. ErrInvalid for a
// principal that is not positive or an unknown regime.
func CollectionCosts(r Regime, principal decimal.Decimal, vat bool) (Costs, error) {
	if !principal.IsPositive() {
		return Costs{}, fmt.Errorf("collection costs on %s: principal must be positive: %w", principal, ErrInvalid)
	}
	var c Costs
	switch r {
	case NLB2C, NLB2B:
		c = wikCosts(principal)
	case BEB2C:
		c = beConsumerCosts(principal)
	case BEB2B:
		c = Costs{Costs: beB2BFlat, Basis: "flat " + formatEUR(beB2BFlat), Sources: []string{srcBEB2B}}
	default:
		return Costs{}, fmt.Errorf("collection costs: unknown regime %q: %w", r, ErrInvalid)
	}
	c.Regime, c.Principal = r, principal
	return withVAT(c, vat && (r == NLB2C || r == NLB2B)), nil
}

// CaseCosts computes the collection costs of case c on principal: for NL
// B2B with agreed costs (Creditor.ContractualCosts > 0) that fraction of
// the principal, at least €40; for a Belgian consumer the damages of the
// contract's clause (c.Clause: its share of the principal, or the maximum
// when it names none), never above the caps of art. XIX.4 WER; otherwise
// CollectionCosts for c.Regime, with VAT when the creditor declares it
// cannot deduct it (Creditor.VATOnCosts). Whether a Belgian clause allows
// damages at all is Balance's business (it must have been announced).
// Contractual costs on other regimes are ignored: consumers are protected by
// the WIK staffel / Book XIX, and Belgian B2B damages above €40 need proof.
func CaseCosts(c *Case, principal decimal.Decimal) (Costs, error) {
	pct := c.Creditor.ContractualCosts
	if pct.IsNegative() {
		return Costs{}, fmt.Errorf("creditor %s: contractual costs %s must not be negative: %w", c.Creditor.Code, pct, ErrInvalid)
	}
	if c.Regime == BEB2C && c.Clause != nil && c.Clause.DamagesPct.IsPositive() && principal.IsPositive() {
		return beClauseDamages(c.Clause, principal), nil
	}
	if c.Regime != NLB2B || pct.IsZero() {
		return CollectionCosts(c.Regime, principal, c.Creditor.VATOnCosts)
	}
	if !principal.IsPositive() {
		return Costs{}, fmt.Errorf("collection costs on %s: principal must be positive: %w", principal, ErrInvalid)
	}
	exact := principal.Mul(pct)
	basis := fmt.Sprintf("%s%% of %s = %s (contract)", pct.Mul(hundred).String(), formatEUR(principal), formatEUR(exact))
	amount := RoundCents(exact)
	if amount.LessThan(wikMinimum) {
		amount = wikMinimum
		basis += "; minimum " + formatEUR(wikMinimum) + " applies"
	}
	out := Costs{Regime: c.Regime, Principal: principal, Costs: amount, Basis: basis, Sources: []string{srcContract}}
	return withVAT(out, c.Creditor.VATOnCosts), nil
}

// beClauseDamages is the damages a Belgian consumer clause stipulates as a
// share of the principal, capped by art. XIX.4 WER.
func beClauseDamages(cl *DamagesClause, principal decimal.Decimal) Costs {
	out := beConsumerCosts(principal)
	agreed := RoundCents(principal.Mul(cl.DamagesPct))
	basis := fmt.Sprintf("clause: %s%% of %s = %s", cl.DamagesPct.Mul(hundred).String(), formatEUR(principal), formatEUR(agreed))
	if agreed.LessThan(out.Costs) {
		out.Costs, out.Basis = agreed, basis
	} else {
		out.Basis = basis + "; capped by art. XIX.4: " + out.Basis
	}
	out.Regime, out.Principal = BEB2C, principal
	return withVAT(out, false)
}

func withVAT(c Costs, vat bool) Costs {
	c.VAT = decimal.Zero
	if vat {
		c.VAT = RoundCents(percentOf(vatRateNL, c.Costs))
		c.Basis += fmt.Sprintf("; + %s%% VAT = %s", vatRateNL, formatEUR(c.VAT))
		c.Sources = append(c.Sources, srcWIKVAT)
	}
	c.Total = c.Costs.Add(c.VAT)
	return c
}

// wikCosts applies the staffel band by band, rounds once at the end, then
// the €40 minimum and €6,775 maximum of art. 2 lid 1.
func wikCosts(principal decimal.Decimal) Costs {
	var parts []string
	sum, below := decimal.Zero, decimal.Zero
	for _, b := range wikBands {
		part := principal.Sub(below)
		if !b.UpTo.IsZero() {
			part = decimal.Min(part, b.UpTo.Sub(below))
		}
		if !part.IsPositive() {
			break
		}
		amt := percentOf(b.Percent, part)
		parts = append(parts, fmt.Sprintf("%s%% of %s = %s", b.Percent, formatEUR(part), formatEUR(amt)))
		sum = sum.Add(amt)
		below = b.UpTo
	}
	amount := RoundCents(sum)
	basis := strings.Join(parts, " + ")
	if len(parts) > 1 {
		basis += " = " + formatEUR(amount)
	}
	switch {
	case amount.LessThan(wikMinimum):
		amount = wikMinimum
		basis += "; minimum " + formatEUR(wikMinimum) + " applies"
	case amount.GreaterThan(wikMaximum):
		amount = wikMaximum
		basis += "; maximum " + formatEUR(wikMaximum) + " applies"
	}
	return Costs{Costs: amount, Basis: basis, Sources: []string{srcWIK}}
}

// beConsumerCosts applies the caps of art. XIX.4 WER: at most €20 on a debt up to
// €150; €30 + 10% of the part between €150.01 and €500; €65 + 5% of the
// part above €500; never more than €2,000. "The part between €150.01 and
// €500" is read as the amount above €150.00 (the band's first cent is
// €150.01): on €400 that is €250.00, so €30 + €25.00 = €55.00. (Reading it
// as €400 − €150.01 = €249.99 gives €54.999, which rounds to the same
// €55.00.)
func beConsumerCosts(p decimal.Decimal) Costs {
	var amount decimal.Decimal
	var basis string
	switch {
	case p.LessThanOrEqual(decimal.NewFromInt(150)):
		amount, basis = decimal.NewFromInt(20), "debt up to €150.00: €20.00"
	case p.LessThanOrEqual(decimal.NewFromInt(500)):
		part := p.Sub(decimal.NewFromInt(150))
		amount = decimal.NewFromInt(30).Add(percentOf(decimal.NewFromInt(10), part))
		basis = fmt.Sprintf("€30.00 + 10%% of %s (above €150.00) = %s", formatEUR(part), formatEUR(amount))
	default:
		part := p.Sub(decimal.NewFromInt(500))
		amount = decimal.NewFromInt(65).Add(percentOf(decimal.NewFromInt(5), part))
		basis = fmt.Sprintf("€65.00 + 5%% of %s (above €500.00) = %s", formatEUR(part), formatEUR(amount))
	}
	amount = RoundCents(amount)
	if amount.GreaterThan(beB2CMax) {
		amount = beB2CMax
		basis += "; maximum " + formatEUR(beB2CMax) + " applies"
	}
	return Costs{Costs: amount, Basis: basis, Sources: []string{srcBEB2C}}
}
