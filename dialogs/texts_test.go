package dialogs

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// declaredKeys reads every msgKey constant declared in texts.go and the
// other texts*.go files (texts_legal.go).
func declaredKeys(t *testing.T) []msgKey {
	t.Helper()
	var keys []msgKey
	files, _ := filepath.Glob("texts*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(gotoken.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, keysIn(f)...)
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d message keys in texts.go", len(keys))
	}
	return keys
}

func keysIn(f *ast.File) []msgKey {
	var keys []msgKey
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "msgKey" {
			return true
		}
		for _, v := range vs.Values {
			if lit, ok := v.(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				keys = append(keys, msgKey(s))
			}
		}
		return true
	})
	return keys
}

// Every key has a text in every language, with the same placeholders, and
// no language has a text for a key that does not exist.
func TestTextsCompleteInEveryLanguage(t *testing.T) {
	keys := declaredKeys(t)
	for lang, cat := range catalogs {
		for _, k := range keys {
			s, ok := cat[k]
			if !ok || s == "" {
				t.Errorf("%s: no text for %q", lang, k)
				continue
			}
			want := placeholders(textsNL[k])
			if got := placeholders(s); !slices.Equal(got, want) {
				t.Errorf("%s %q: placeholders %v, Dutch has %v", lang, k, got, want)
			}
		}
		if len(cat) != len(keys) {
			t.Errorf("%s has %d texts for %d keys", lang, len(cat), len(keys))
		}
	}
}

func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	slices.Sort(p)
	return slices.Compact(p)
}

func TestMoneyAndDayFormats(t *testing.T) {
	d := decimal.RequireFromString("1234.56")
	for _, tc := range []struct {
		lang      casestore.Language
		amount    decimal.Decimal
		wantMoney string
		wantDay   string
	}{
		{casestore.Dutch, d, "€ 1.234,56", "15 december 2026"},
		{casestore.English, d, "€1,234.56", "15 December 2026"},
		{casestore.French, d, "1 234,56 €", "15 décembre 2026"},
		{casestore.Dutch, decimal.RequireFromString("1234567.5"), "€ 1.234.567,50", "15 december 2026"},
		{casestore.Dutch, decimal.RequireFromString("0.005"), "€ 0,01", "15 december 2026"},
		{casestore.Dutch, decimal.RequireFromString("0"), "€ 0,00", "15 december 2026"},
		{casestore.Dutch, decimal.RequireFromString("999.999"), "€ 1.000,00", "15 december 2026"},
		{casestore.Dutch, decimal.RequireFromString("6775"), "€ 6.775,00", "15 december 2026"},
		{casestore.Dutch, decimal.RequireFromString("123456.785"), "€ 123.456,79", "15 december 2026"}, // half away from zero
		{casestore.Dutch, decimal.RequireFromString("-5.5"), "€ -5,50", "15 december 2026"},
		{casestore.English, decimal.RequireFromString("-40"), "-€40.00", "15 December 2026"},
	} {
		if got := Money(tc.lang, tc.amount); got != tc.wantMoney {
			t.Errorf("Money(%s, %s) = %q, want %q", tc.lang, tc.amount, got, tc.wantMoney)
		}
		if got := day(tc.lang, casestore.Date(2026, time.December, 15)); got != tc.wantDay {
			t.Errorf("day(%s) = %q, want %q", tc.lang, got, tc.wantDay)
		}
	}
}

func TestWorkdaysAfterSkipsWeekends(t *testing.T) {
	fri := casestore.Date(2026, time.June, 12)
	if got := workdaysAfter(fri, 1); !got.Equal(casestore.Date(2026, time.June, 15)) {
		t.Errorf("one working day after Friday 12 June is %s", got.Format(time.DateOnly))
	}
	if got := workdaysAfter(casestore.Date(2026, time.June, 10), 10); !got.Equal(casestore.Date(2026, time.June, 24)) {
		t.Errorf("ten working days after Wednesday 10 June is %s", got.Format(time.DateOnly))
	}
}
