package dialogs

// Insults and threats. Kept apart from the intent lexicons because these
// words are never shown, logged or echoed; they only set
// Understanding.Abusive so the state machine can answer calmly and route
// the case to a person. Matched exactly or by stem, never fuzzily: a typo
// of an ordinary word must not make a debtor abusive. Words that also have
// a plain meaning ("kanker" is an illness; "oplichters" an accusation of
// fraud, which is a dispute) are not listed on their own.
var abuseLexicon = exactOnly(compileLexicon([]cueGroup{
	{"abuse", lxAny, true, []string{
		// Dutch
		"kankerlijer*", "kankerhoer*", "kankerzooi", "kankerbedrijf", "kankerbende", "kankerkop", "kankeren",
		"tyfus*", "tering*", "klootzak*", "lul", "lulletje", "eikel*", "hoer", "hoeren", "hoerenzoon", "hoerenjong", "kut*", "mongool", "mongolen",
		"debiel*", "idioot", "idioten", "sukkel*", "schoft*", "flikker*", "rot op", "oprotten", "opdonderen",
		"val dood", "krijg de tering|kanker|tyfus|pest", "ik maak je|jullie|u af", "weet waar je|jullie|u woont|wonen",
		"ik kom je|jullie halen", "in elkaar slaan|trappen", "ik sla je|jullie", "vermoord*",
		"bom leggen", "in de fik",
		// English
		"fuck*", "motherfucker*", "asshole*", "bitch*", "bastard*", "idiot", "idiots", "moron*", "cunt*", "dickhead*",
		"scumbag*", "go to hell", "hope you die", "kill you|them", "know where you live", "burn down", "piece of shit",
		// French
		"connard*", "connasse*", "salope*", "putain", "encule*", "fils de pute", "ta gueule", "nique*", "batard*",
		"va te faire", "te tuer", "vous tuer", "sais ou tu habites", "sais ou vous habitez", "abruti*",
	}},
}, nil))

// isAbusive reports whether the message insults or threatens.
func isAbusive(toks []token) bool {
	return len(abuseLexicon.matchCues(toks)) > 0
}
