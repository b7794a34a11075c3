package postgres

import (
	"context"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

const creditorColumns = `id, code, name, vat_on_costs, contractual_costs, minimum_per_invoice, payment_url, created_at`

func scanCreditor(row pgx.Row, c *casestore.Creditor) error {
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.VATOnCosts, &c.ContractualCosts, &c.MinimumPerInvoice, &c.PaymentURL, &c.CreatedAt)
	c.CreatedAt = c.CreatedAt.UTC()
	return err
}

func (t *txn) PutCreditor(ctx context.Context, c *casestore.Creditor) error {
	switch {
	case c.Code == "":
		return invalid("creditor: code is empty")
	case c.Name == "":
		return invalid("creditor %s: name is empty", c.Code)
	case c.ContractualCosts.IsNegative():
		return invalid("creditor %s: contractual costs %s are negative", c.Code, c.ContractualCosts)
	}
	// ON CONFLICT makes two imports of one creditor at once both succeed.
	err := t.tx.QueryRow(ctx, `
		INSERT INTO creditors (code, name, vat_on_costs, contractual_costs, payment_url, created_at, minimum_per_invoice)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, vat_on_costs = EXCLUDED.vat_on_costs,
			contractual_costs = EXCLUDED.contractual_costs, payment_url = EXCLUDED.payment_url,
			minimum_per_invoice = EXCLUDED.minimum_per_invoice
		RETURNING id, created_at`,
		c.Code, c.Name, c.VATOnCosts, c.ContractualCosts, c.PaymentURL, t.now(), c.MinimumPerInvoice,
	).Scan(&c.ID, &c.CreatedAt)
	c.CreatedAt = c.CreatedAt.UTC()
	return dbError(err, casestore.ErrInvalid, "put creditor "+c.Code)
}

func (t *txn) Creditor(ctx context.Context, id int64) (*casestore.Creditor, error) {
	var c casestore.Creditor
	err := scanCreditor(t.tx.QueryRow(ctx, `SELECT `+creditorColumns+` FROM creditors WHERE id = $1`, id), &c)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "creditor")
	}
	return &c, nil
}

func (t *txn) CreditorByCode(ctx context.Context, code string) (*casestore.Creditor, error) {
	var c casestore.Creditor
	err := scanCreditor(t.tx.QueryRow(ctx, `SELECT `+creditorColumns+` FROM creditors WHERE code = $1`, code), &c)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "creditor "+code)
	}
	return &c, nil
}

const debtorColumns = `id, coalesce(creditor_id, 0), ref, name, is_company, phones, email, postcode, birth_date, language, created_at`

func scanDebtor(row pgx.Row, d *casestore.Debtor) error {
	err := row.Scan(&d.ID, &d.CreditorID, &d.Ref, &d.Name, &d.IsCompany, &d.Phones, &d.Email, &d.Postcode,
		&d.BirthDate, &d.Language, &d.CreatedAt)
	d.CreatedAt = d.CreatedAt.UTC()
	return err
}

func (t *txn) PutDebtor(ctx context.Context, d *casestore.Debtor) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if d.Language == "" {
		d.Language = casestore.Dutch
	}
	phones := d.Phones
	if phones == nil {
		phones = []string{} // pgx sends a nil slice as NULL
	}
	err := t.tx.QueryRow(ctx, `
		INSERT INTO debtors (ref, name, is_company, phones, email, postcode, birth_date, language, created_at, creditor_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (creditor_id, ref) DO UPDATE SET name = EXCLUDED.name, is_company = EXCLUDED.is_company,
			phones = EXCLUDED.phones, email = EXCLUDED.email, postcode = EXCLUDED.postcode,
			birth_date = EXCLUDED.birth_date, language = EXCLUDED.language
		RETURNING id, created_at`,
		d.Ref, d.Name, d.IsCompany, phones, d.Email, d.Postcode, optDay(d.BirthDate), d.Language, t.now(), d.CreditorID,
	).Scan(&d.ID, &d.CreatedAt)
	d.CreatedAt = d.CreatedAt.UTC()
	return dbError(err, casestore.ErrInvalid, "put debtor "+d.Ref)
}

func (t *txn) Debtor(ctx context.Context, id int64) (*casestore.Debtor, error) {
	var d casestore.Debtor
	err := scanDebtor(t.tx.QueryRow(ctx, `SELECT `+debtorColumns+` FROM debtors WHERE id = $1`, id), &d)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "debtor")
	}
	return &d, nil
}
