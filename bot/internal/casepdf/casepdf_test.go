package casepdf_test

import (
	"bytes"
	"github.com/incassobot/incassobot/bot/internal/pdftest"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/internal/casepdf"
)

// A name or a quoted message with letters outside Windows-1252 (Turkish,
// Polish, Czech) prints as written, not as question marks: a lawyer's
// export and a debtor's specification quote people exactly.
func TestLettersBeyondWindows1252PrintAsWritten(t *testing.T) {
	names := []string{"Şükrü Yılmaz", "Ağaoğlu", "Łucja Żak-Wąsowska", "Jiří Dvořák", "Zoë Müller-Lefèvre", "€ 1.234,56"}
	d := casepdf.New("Specificatie", casepdf.Agency{Name: "Incasso Demo B.V."}, "IB-2026-000101", time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	d.Heading("Debiteur")
	for _, n := range names {
		d.Para("", 10, n)
	}
	d.Para("B", 10, names[1])
	d.Para("I", 10, "“"+names[2]+"”")
	d.Para("", 10, "dank u 👍 tot morgen") // a letter the font lacks breaks nothing around it
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		t.Fatal(err)
	}
	text := pdftest.Folded(t, buf.Bytes())
	for _, n := range names {
		if !strings.Contains(text, n) {
			t.Errorf("the PDF's text lacks %q:\n%s", n, text)
		}
	}
	if !strings.Contains(text, "dank u [U+1F44D] tot morgen") {
		t.Errorf("the text around an emoji is lost:\n%s", text)
	}
	if strings.Contains(text, "?") {
		t.Errorf("the PDF shows a question mark for a letter:\n%s", text)
	}
}
