package dialogs

import "testing"

func TestParseNumberWord(t *testing.T) {
	tests := []struct {
		in   string
		want int // -1: not a number
	}{
		{"nul", 0}, {"een", 1}, {"één", 1}, {"zes", 6}, {"twaalf", 12}, {"twintig", 20},
		{"vijfentwintig", 25}, {"tweeëntwintig", 22}, {"negenennegentig", 99},
		{"honderd", 100}, {"tweehonderd", 200}, {"honderdvijftig", 150}, {"tweehonderdvijfentwintig", 225},
		{"duizend", 1000}, {"drieduizend", 3000}, {"twaalfhonderd", 1200},
		{"one", 1}, {"twelve", 12}, {"twenty-five", 25}, {"twenty five", 25}, {"one hundred and fifty", 150},
		{"two hundred", 200}, {"three thousand", 3000},
		{"un", 1}, {"trois", 3}, {"vingt", 20}, {"vingt et un", 21}, {"cinquante", 50}, {"soixante-dix", 70},
		{"quatre-vingt", 80}, {"quatre-vingt-dix", 90}, {"septante", 70}, {"nonante", 90}, {"deux cents", 200},
		{"dix-sept", 17}, {"cent", 100},
		{"", -1}, {"twee appels", -1}, {"12", -1}, {"vijfenvijf", -1}, {"five five", -1}, {"entwintig", -1},
	}
	for _, tt := range tests {
		got, ok := ParseNumberWord(tt.in)
		if tt.want < 0 {
			if ok {
				t.Errorf("ParseNumberWord(%q) = %d, want no number", tt.in, got)
			}
			continue
		}
		if !ok || got != tt.want {
			t.Errorf("ParseNumberWord(%q) = %d, %v; want %d", tt.in, got, ok, tt.want)
		}
	}
}
