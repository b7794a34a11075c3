package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
)

func (t *txn) PutCreditor(ctx context.Context, c *casestore.Creditor) error {
	if c.Code == "" || c.Name == "" {
		return fmt.Errorf("creditor %q: code and name are required: %w", c.Code, casestore.ErrInvalid)
	}
	if c.ContractualCosts.IsNegative() {
		return fmt.Errorf("creditor %s: contractual costs %s below zero: %w", c.Code, c.ContractualCosts, casestore.ErrInvalid)
	}
	var createdAt string
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO creditors (code, name, vat_on_costs, contractual_costs, payment_url, created_at, minimum_per_invoice)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, vat_on_costs = excluded.vat_on_costs,
			contractual_costs = excluded.contractual_costs, payment_url = excluded.payment_url,
			minimum_per_invoice = excluded.minimum_per_invoice
		RETURNING id, created_at`,
		c.Code, c.Name, c.VATOnCosts, encMoney(c.ContractualCosts), c.PaymentURL, encInstant(t.now()), c.MinimumPerInvoice,
	).Scan(&c.ID, &createdAt)
	if err != nil {
		return fmt.Errorf("sqlite: put creditor %s: %w", c.Code, translate(err))
	}
	c.CreatedAt, err = decInstant(createdAt)
	return err
}

const creditorColumns = `id, code, name, vat_on_costs, contractual_costs, minimum_per_invoice, payment_url, created_at`

func scanCreditor(row *sql.Row) (*casestore.Creditor, error) {
	var c casestore.Creditor
	var costs, createdAt string
	if err := row.Scan(&c.ID, &c.Code, &c.Name, &c.VATOnCosts, &costs, &c.MinimumPerInvoice, &c.PaymentURL, &createdAt); err != nil {
		return nil, translate(err)
	}
	var d decoder
	c.ContractualCosts = d.money(costs)
	c.CreatedAt = d.instant(createdAt)
	return &c, d.err
}

func (t *txn) Creditor(ctx context.Context, id int64) (*casestore.Creditor, error) {
	c, err := scanCreditor(t.tx.QueryRowContext(ctx, `SELECT `+creditorColumns+` FROM creditors WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("creditor %d: %w", id, err)
	}
	return c, nil
}

func (t *txn) CreditorByCode(ctx context.Context, code string) (*casestore.Creditor, error) {
	c, err := scanCreditor(t.tx.QueryRowContext(ctx, `SELECT `+creditorColumns+` FROM creditors WHERE code = ?`, code))
	if err != nil {
		return nil, fmt.Errorf("creditor %q: %w", code, err)
	}
	return c, nil
}

func (t *txn) PutDebtor(ctx context.Context, d *casestore.Debtor) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if d.Language == "" {
		d.Language = casestore.Dutch
	}
	var createdAt string
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO debtors (ref, name, is_company, email, postcode, birth_date, language, created_at, creditor_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (creditor_id, ref) DO UPDATE SET name = excluded.name, is_company = excluded.is_company,
			email = excluded.email, postcode = excluded.postcode, birth_date = excluded.birth_date,
			language = excluded.language
		RETURNING id, created_at`,
		d.Ref, d.Name, d.IsCompany, d.Email, d.Postcode, encOptDay(d.BirthDate), string(d.Language), encInstant(t.now()), d.CreditorID,
	).Scan(&d.ID, &createdAt)
	if err != nil {
		return fmt.Errorf("sqlite: put debtor %s: %w", d.Ref, translate(err))
	}
	if d.CreatedAt, err = decInstant(createdAt); err != nil {
		return err
	}
	// The list on file is replaced: a number the debtor gave up must no
	// longer find their cases.
	if _, err := t.exec(ctx, "clear phones", `DELETE FROM debtor_phones WHERE debtor_id = ?`, d.ID); err != nil {
		return err
	}
	for i, p := range d.Phones {
		if _, err := t.exec(ctx, "add phone", `INSERT INTO debtor_phones (debtor_id, seq, e164) VALUES (?, ?, ?)`, d.ID, i, p); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) Debtor(ctx context.Context, id int64) (*casestore.Debtor, error) {
	var d casestore.Debtor
	var birth sql.NullString
	var createdAt, lang string
	err := t.tx.QueryRowContext(ctx, `
		SELECT id, coalesce(creditor_id, 0), ref, name, is_company, email, postcode, birth_date, language, created_at
		FROM debtors WHERE id = ?`, id,
	).Scan(&d.ID, &d.CreditorID, &d.Ref, &d.Name, &d.IsCompany, &d.Email, &d.Postcode, &birth, &lang, &createdAt)
	if err != nil {
		return nil, fmt.Errorf("debtor %d: %w", id, translate(err))
	}
	var dec decoder
	d.Language = casestore.Language(lang)
	d.BirthDate = dec.optDay(birth)
	d.CreatedAt = dec.instant(createdAt)
	if dec.err != nil {
		return nil, dec.err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT e164 FROM debtor_phones WHERE debtor_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: phones of debtor %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		d.Phones = append(d.Phones, p)
	}
	return &d, rows.Err()
}
