package debtordocs

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/internal/casepdf"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
)

// Agency is who sends the documents, at their head (AGENCY_NAME,
// AGENCY_ADDRESS, AGENCY_KVK, AGENCY_WKI).
type Agency = casepdf.Agency

// Bank is where the debtor pays by transfer.
type Bank struct {
	IBAN   string // AGENCY_IBAN
	Holder string // AGENCY_ACCOUNT_HOLDER: the name on the account
}

// Specification writes case c's specification for its debtor as on now:
// the same balance, invoices and payments as the lawyer's export (package
// casepdf), with the legal basis of the interest and costs of this case,
// and the payment details. Nothing internal to the agency is in it.
func Specification(c *casestore.Case, agency casepdf.Agency, bank Bank, now time.Time) ([]byte, error) {
	title := "Specificatie van uw dossier " + c.Ref
	d := casepdf.New(title, agency, c.Ref, now)
	d.Letterhead(agency, title)
	d.Facts([][2]string{
		{"Dossiernummer", c.Ref},
		{"Opdrachtgever", c.Creditor.Name},
		{"Ten name van", c.Debtor.Name},
		{"Datum", dossierview.DateTime(now) + " (Europe/Amsterdam)"},
	})
	var b *casestore.Breakdown
	problem := ""
	if got, err := casestore.Balance(c, casestore.DayOf(now)); err != nil {
		problem = dossierview.BalanceProblem
	} else {
		b = &got
	}
	d.Balance("1.", b, problem, Basis(c, b))
	d.Invoices("2.", c)
	d.Payments("3.", c, dossierview.InvoicesOf(c))

	d.Heading("4. Betalen")
	pay := [][2]string{}
	if bank.IBAN != "" {
		pay = append(pay, [2]string{"IBAN", bank.IBAN})
	}
	if bank.Holder != "" {
		pay = append(pay, [2]string{"Ten name van", bank.Holder})
	}
	pay = append(pay, [2]string{referenceLabel(c), casestore.PaymentReference(c)})
	d.Facts(pay)
	d.Ln(1)
	d.Para("", 9.5, "Vermeld bij uw betaling altijd het "+strings.ToLower(referenceLabel(c))+"; dan wordt uw betaling direct aan dit dossier toegekend.")
	if b != nil && b.Total.Open.IsNegative() {
		d.Para("", 9.5, "U heeft te veel betaald. U kunt ons vragen het verschil terug te storten; geef dan uw IBAN door.")
	}
	d.Para("", 9.5, "Klopt er iets niet of wilt u een betalingsregeling? Neem contact met ons op; u kunt ook bezwaar maken tegen (een deel van) de vordering.")
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func referenceLabel(c *casestore.Case) string {
	if c.Regime == casestore.BEB2C || c.Regime == casestore.BEB2B {
		return "Gestructureerde mededeling"
	}
	return "Betalingskenmerk"
}

// Basis is the legal basis of case c's figures in b, in Dutch: the kind
// of interest and its rates, when the costs became due, then the rules of
// the regime.
func Basis(c *casestore.Case, b *casestore.Breakdown) []string {
	var out []string
	if b != nil {
		x := b.Explanation
		if x.InterestStart != nil {
			s := "Rente: " + x.InterestLaw + ", vanaf " + dossierview.Day(*x.InterestStart)
			var rates []string
			for _, r := range x.Rates {
				rates = append(rates, fmt.Sprintf("%s t/m %s %s%% per jaar", dossierview.ShortDay(r.From), dossierview.ShortDay(r.To), strings.Replace(r.Percent.StringFixed(2), ".", ",", 1)))
			}
			if len(rates) > 0 {
				s += " (" + strings.Join(rates, "; ") + ")"
			}
			out = append(out, s+".")
		} else {
			out = append(out, "Rente: er is (nog) geen rente berekend.")
		}
		name := strings.ToUpper(x.CostsName[:1]) + x.CostsName[1:]
		switch {
		case x.CostsDue != nil && !b.Total.Costs.IsZero():
			out = append(out, name+": verschuldigd sinds "+dossierview.Day(*x.CostsDue)+", berekend over "+dossierview.Money(x.CostsBase)+".")
		case b.CostsFrom != nil:
			out = append(out, name+": nog niet verschuldigd; op zijn vroegst vanaf "+dossierview.Day(*b.CostsFrom)+".")
		default:
			out = append(out, name+": niet in rekening gebracht.")
		}
	}
	return append(out, dossierview.LegalBasis(c.Regime)...)
}
