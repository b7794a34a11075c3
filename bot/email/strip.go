package email

import (
	"regexp"
	"strings"
)

// StripReply is what the debtor wrote in an e-mail: the text above the
// quoted message they replied to and above their signature, without
// trailing blank lines. Mail programs mark the quote in many ways; these
// are the ones Dutch, Belgian, English and French mail shows.
func StripReply(body string) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	lines := strings.Split(body, "\n")
	end := len(lines)
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if quoteStart(t, lines[i+1:]) || l == "-- " || l == "--" || sentFrom.MatchString(t) {
			end = i
			break
		}
	}
	out := strings.TrimSpace(strings.Join(lines[:end], "\n"))
	return blankRuns.ReplaceAllString(out, "\n\n")
}

var (
	// "Op 2 dec. 2026 om 10:12 schreef Incassobureau <…>:", "On Tue, … wrote:",
	// "Le mar. 2 déc. 2026 à 10:12, … a écrit :", "Am … schrieb …:".
	wroteLine  = regexp.MustCompile(`(?i)^(op|on|le|am)\b.*\b(schreef|wrote|a écrit|schrieb)\b.*:$|(?i)^(op|on|le|am)\b.*\b(wrote|a écrit)\s*:?$`)
	wroteStart = regexp.MustCompile(`(?i)^(op|on|le|am)\s.*\d`)
	// "-----Original Message-----", "----- Oorspronkelijk bericht -----",
	// "-------- Message d'origine --------", "--- Doorgestuurd bericht ---".
	originalLine = regexp.MustCompile(`(?i)^-{2,}\s*(original message|oorspronkelijk bericht|origineel bericht|message d'origine|message original|forwarded message|doorgestuurd bericht)\s*-{2,}$`)
	// Outlook's quoted header block: "Van: …" / "From: …" / "De : …".
	headerLine = regexp.MustCompile(`(?i)^(van|from|de)\s?:\s`)
	nextHeader = regexp.MustCompile(`(?i)^(verzonden|sent|date|datum|envoyé|aan|to|à|onderwerp|subject|objet)\s?:\s`)
	sentFrom   = regexp.MustCompile(`(?i)^(verzonden (vanaf|met|vanuit) (mijn )?|sent from my |envoyé (de|depuis) mon |get outlook for )`)
	blankRuns  = regexp.MustCompile(`\n{3,}`)
)

// quoteStart reports whether line t (trimmed) begins the quoted part.
func quoteStart(t string, rest []string) bool {
	switch {
	case strings.HasPrefix(t, ">"):
		return true
	case wroteLine.MatchString(t), originalLine.MatchString(t):
		return true
	case wroteStart.MatchString(t) && len(rest) > 0 && wroteLine.MatchString(t+" "+strings.TrimSpace(rest[0])):
		return true // the "On … wrote:" line wrapped in two
	case headerLine.MatchString(t):
		// Only a header block: the next non-empty line is another header.
		for _, l := range rest {
			if n := strings.TrimSpace(l); n != "" {
				return nextHeader.MatchString(n)
			}
		}
	}
	return false
}
