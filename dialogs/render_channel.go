package dialogs

import "strings"

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

// forChannel renders a reply's text for the channel it goes out on.
func forChannel(channel, text string) string {
	if channel == ChannelSMS {
		return gsmFold.Replace(text)
	}
	return text
}
