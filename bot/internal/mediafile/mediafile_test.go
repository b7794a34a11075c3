package mediafile

import "testing"

func TestSizeIsDutch(t *testing.T) {
	for n, want := range map[int64]string{
		0:         "0 B",
		812:       "812 B",
		999:       "999 B",
		1000:      "1 kB",
		45_499:    "45 kB",
		45_500:    "46 kB",
		999_499:   "999 kB",
		1_000_000: "1,0 MB",
		1_249_999: "1,2 MB",
		1_250_000: "1,3 MB",
	} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLabel(t *testing.T) {
	for ct, want := range map[string]string{
		"image/jpeg": "JPEG-foto", "image/png": "PNG-afbeelding", "application/pdf": "PDF-document",
		"text/html": "text/html", // never stored; shown as it is, never served
	} {
		if got := Label(ct); got != want {
			t.Errorf("Label(%q) = %q, want %q", ct, got, want)
		}
	}
}
