// Package pdftest reads the text of a PDF the way a person's viewer would,
// with poppler's pdftotext, for tests that check what a document says.
package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Text is pdf's text as `pdftotext -layout` reads it, lines kept. Without
// pdftotext the test fails under CI=true and is skipped elsewhere.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing; run scripts/ensure-services.sh (Debian poppler-utils)")
		}
		t.Skip("pdftotext is missing; run scripts/ensure-services.sh (Debian poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// Folded is Text with every run of whitespace one space: for checking
// that a phrase is there wherever the layout broke its line.
func Folded(t testing.TB, pdf []byte) string {
	t.Helper()
	return strings.Join(strings.Fields(Text(t, pdf)), " ")
}
