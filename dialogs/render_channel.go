package dialogs

import (
	"slices"
	"strings"
)

// Channel-aware rendering. SMS is paid per segment, and one character
// outside the GSM-7 alphabet (ï in "geïdentificeerd", ë in "België", ê in
// "êtes") makes the whole message UCS-2: 70 characters a segment instead of
// 160. SMS texts are therefore written in GSM-7: letters outside it lose
// their accent (the words stay readable in every language), typographic
// punctuation becomes plain.

// ChannelSMS is the channel name of text messages.
const ChannelSMS = "sms"

// gsmFold maps what GSM-7 lacks to what it has. GSM-7 keeps é è ù ì ò à ä
// ö ñ ü É Ä Ö Ñ Ü Ç ß, so those are left alone.
var gsmFold = strings.NewReplacer(
	"ë", "e", "ï", "i", "ê", "e", "â", "a", "î", "i", "ô", "o", "û", "u", "ç", "c", "á", "a", "í", "i", "ó", "o", "ú", "u",
	"Ë", "E", "Ï", "I", "Ê", "E", "Â", "A", "Î", "I", "Ô", "O", "Û", "U", "È", "E", "À", "A", "Ù", "U",
	"œ", "oe", "Œ", "OE", "ÿ", "y", "ã", "a", "õ", "o",
	"’", "'", "‘", "'", "“", "\"", "”", "\"", "„", "\"", "–", "-", "—", "-", "…", "...", "\u00a0", " ", "\u202f", " ",
)

// forChannel renders a reply's text for the channel it goes out on. The
// web chat shows a question's choices as buttons (Reply.Options), so its
// text does not tell the debtor to type a number.
func forChannel(channel, text string) string {
	switch channel {
	case ChannelSMS:
		return gsmFold.Replace(text)
	case ChannelWeb:
		return typeTheNumber.Replace(text)
	case ChannelEmail:
		return byEmail.Replace(text)
	}
	return text
}

// ChannelEmail is e-mail: the address the debtor writes from stands where
// other channels have the phone number (View.PhoneCases are the cases of
// that address), so the replies about an unknown number speak of the
// address.
const ChannelEmail = "email"

var byEmail = strings.NewReplacer(
	"Stuur ons een bericht vanaf het nummer dat bij ons bekend is", "Mail ons vanaf het e-mailadres dat bij ons bekend is",
	"Stuur ons een bericht vanaf dat nummer", "Mail ons vanaf dat adres",
	"via het nummer dat bij ons bekend is", "via het e-mailadres dat bij ons bekend is",
	"Dit telefoonnummer", "Dit e-mailadres", "dit telefoonnummer", "dit e-mailadres",
	"from the number we have on record", "from the e-mail address we have on record",
	"through the number we have on record", "through the e-mail address we have on record",
	"write to us from that number", "write to us from that address",
	"this phone number", "this e-mail address",
	"Ce numéro de téléphone ne nous est pas connu", "Cette adresse e-mail ne nous est pas connue",
	"depuis le numéro que nous connaissons", "depuis l'adresse e-mail que nous connaissons",
	"via le numéro que nous connaissons", "via l'adresse e-mail que nous connaissons",
	"Écrivez-nous depuis ce numéro", "Écrivez-nous depuis cette adresse",
	"via ce numéro de téléphone", "via cette adresse e-mail",
)

var typeTheNumber = strings.NewReplacer(" Typ het nummer:", "", " Type the number:", "", " Tapez le numéro :", "")

// list adds a numbered list of the choices in t.options, except in the web
// chat, where the buttons are the list: a menu is never shown twice.
func (t *turn) list(lines []string) {
	if t.ev.Channel == ChannelWeb && len(t.options) == len(lines) {
		return
	}
	t.droppable = append(t.droppable, len(t.parts))
	t.parts = append(t.parts, strings.Join(lines, "\n"))
}

// maxSMSSegments is the most segments one SMS reply may cost.
const maxSMSSegments = 3

// fitSMS shortens an SMS reply over maxSMSSegments: the numbered lists go
// (the numbers still work, and MENU shows them), then other parts marked
// droppable. What the debtor must know (amounts, dates, what was filed)
// is never dropped.
func (t *turn) fitSMS() {
	if t.ev.Channel != ChannelSMS || smsSegments(gsmFold.Replace(strings.Join(t.parts, "\n\n"))) <= maxSMSSegments {
		return
	}
	keep := t.parts[:0:0]
	hint := false
	for i, p := range t.parts {
		if slices.Contains(t.droppable, i) {
			hint = hint || strings.Contains(p, "1. ")
			continue
		}
		keep = append(keep, p)
	}
	if hint && smsSegments(gsmFold.Replace(strings.Join(keep, "\n\n")+"\n\n"+render(t.st.language(), kMenuHintSMS))) <= maxSMSSegments {
		keep = append(keep, render(t.st.language(), kMenuHintSMS))
	}
	t.parts = keep
}

// smsSegments counts the segments of a GSM-7 text: 160 septets in one,
// 153 a part when longer; the extension characters (€ [ ] { } | ^ ~ \)
// cost two.
func smsSegments(text string) int {
	n := 0
	for _, r := range text {
		n++
		if strings.ContainsRune("€[]{}|^~\\", r) {
			n++
		}
	}
	switch {
	case n == 0:
		return 0
	case n <= 160:
		return 1
	}
	return (n + 152) / 153
}

// choiceOf reads a message that is exactly one of the options last shown
// (a web chat button sends its label: its meaning, not a digit) and
// returns its number; 0 when it is none of them.
func choiceOf(options []string, text string) int {
	for i, o := range options {
		if strings.EqualFold(strings.TrimSpace(text), strings.TrimSpace(o)) {
			return i + 1
		}
	}
	return 0
}
