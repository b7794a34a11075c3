package portal

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// casesPerPage is one page of the case list: a screenful.
const casesPerPage = 25

type casesData struct {
	base
	Status, Search string
	Disputed       bool
	Statuses       []casestore.Status
	Rows           []caseRow
	Total          int
	Page, Pages    int
	Prev, Next     string // links to the neighbouring pages; "" at either end
	AllCreditors   bool   // a collector reading every creditor's cases
}

// caseRow is one line of the list.
type caseRow struct {
	S            casestore.CaseSummary
	Open         *decimal.Decimal // nil when the balance cannot be computed
	BalanceError string
}

// cases lists the reader's cases, filtered and a page at a time.
func (p *Portal) cases(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	data := casesData{base: p.base(r), Status: v.Get("status"), Search: strings.TrimSpace(v.Get("search")),
		Disputed: v.Get("disputed") != "", Statuses: casestore.Statuses, Page: 1}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		data.Page = n
	}
	_, data.AllCreditors = scope(r).Creditor()
	q := casestore.CaseQuery{Status: casestore.Status(data.Status), Search: data.Search, Disputed: data.Disputed,
		Limit: casesPerPage, Offset: (data.Page - 1) * casesPerPage}
	page, err := p.d.Store.CasesIn(r.Context(), scope(r), q)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	now := p.d.Now()
	for _, s := range page.Cases {
		row := caseRow{S: s}
		if b, problem := p.balance(s.Case, now); b != nil {
			row.Open = &b.Total.Open
		} else {
			row.BalanceError = problem
		}
		data.Rows = append(data.Rows, row)
	}
	data.Total = page.Total
	data.Pages = max(1, (page.Total+casesPerPage-1)/casesPerPage)
	link := func(n int) string {
		u := url.Values{}
		for _, k := range []string{"status", "search", "disputed"} {
			if s := v.Get(k); s != "" {
				u.Set(k, s)
			}
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/portal/"
		}
		return "/portal/?" + u.Encode()
	}
	if data.Page > 1 {
		data.Prev = link(min(data.Page-1, data.Pages))
	}
	if data.Page < data.Pages {
		data.Next = link(data.Page + 1)
	}
	p.render(w, http.StatusOK, "cases", data)
}
