package dialogs

import "github.com/incassobot/incassobot/casestore"

// Language of a message, from its function words and from the language of
// the lexicon cues it matched. Words shared by two languages ("de", "je",
// "en", "is", "me") count for both and so decide nothing on their own.

// functionWords are frequent words with the languages they belong to.
var functionWords = func() map[string][]casestore.Language {
	m := map[string][]casestore.Language{}
	add := func(l casestore.Language, ws ...string) {
		for _, w := range ws {
			m[w] = append(m[w], l)
		}
	}
	add(lxNL, "ik", "het", "de", "een", "niet", "is", "en", "van", "mijn", "wat", "hoe", "kan", "wil", "heb",
		"dat", "dit", "met", "voor", "op", "te", "nog", "al", "maar", "ook", "zijn", "jullie", "u", "me", "mij",
		"graag", "geen", "moet", "waarom", "deze", "die", "ben", "wij", "er", "ja", "nee", "neen", "bedankt",
		"aub", "gij", "ge", "uw", "je", "jij", "ons", "mag", "zou", "wel", "hier", "nu", "niks", "niets", "dank",
		"betalen", "factuur", "alstublieft", "alsjeblieft", "wanneer", "welke", "hebt", "heeft", "kunt", "zal",
		"ga", "gaat", "krijg", "om", "bij", "naar", "uit", "over", "als", "of", "zo", "toch", "hoor", "allee")
	add(lxEN, "i", "the", "my", "is", "you", "it", "to", "can", "do", "have", "and", "a", "of", "me", "this",
		"what", "how", "please", "not", "no", "yes", "don", "am", "will", "want", "with", "for", "on", "that",
		"still", "already", "why", "when", "your", "we", "are", "was", "be", "in", "an", "would", "could",
		"pay", "paid", "invoice", "thanks", "thank", "there", "here", "just", "get", "got", "did", "t", "ll",
		"m", "s", "much", "many", "need", "send", "call", "back", "talk", "speak", "help", "hello", "hi")
	add(lxFR, "je", "le", "la", "les", "est", "un", "une", "de", "du", "des", "et", "ne", "pas", "mon", "ma",
		"mes", "vous", "nous", "que", "qui", "pour", "avec", "ce", "cette", "suis", "ai", "j", "c", "oui",
		"non", "merci", "bonjour", "svp", "il", "l", "d", "qu", "au", "en", "me", "moi", "veux", "peux", "dois",
		"payer", "facture", "combien", "deja", "quand", "pourquoi", "comment", "mais", "sur", "tout", "rien",
		"plus", "tres", "bien", "parler", "quelqu", "n", "s", "m", "votre", "vos", "ou", "est")
	return m
}()

// detectLanguage returns the language the words are most likely written
// in, or "" when there is no clear winner.
func detectLanguage(toks []token, matches []cueMatch) casestore.Language {
	score := map[casestore.Language]int{}
	for _, t := range toks {
		langs := functionWords[t.text]
		for _, l := range langs {
			score[l] += 3 - min(len(langs), 2) // 2 for a distinctive word, 1 for a shared one
		}
	}
	for _, m := range matches {
		if m.cue.lang != lxAny {
			score[m.cue.lang] += 2
		}
	}
	best, bestScore, second := casestore.Language(""), 0, 0
	for _, l := range []casestore.Language{lxNL, lxEN, lxFR} {
		switch s := score[l]; {
		case s > bestScore:
			best, bestScore, second = l, s, bestScore
		case s > second:
			second = s
		}
	}
	if bestScore == 0 || bestScore == second {
		return ""
	}
	return best
}

// languageNames are the names of the languages in the three languages.
var languageNames = map[string]casestore.Language{
	"nederlands": lxNL, "dutch": lxNL, "neerlandais": lxNL, "vlaams": lxNL, "flemish": lxNL, "flamand": lxNL,
	"hollands": lxNL, "engels": lxEN, "english": lxEN, "anglais": lxEN, "frans": lxFR, "french": lxFR, "francais": lxFR,
}

// languageCodes count only when they are the whole message ("EN", "fr").
var languageCodes = map[string]casestore.Language{"nl": lxNL, "en": lxEN, "fr": lxFR, "be": ""}

// switchRequestWords show the debtor asks for a language rather than
// mentions one: "in het Engels", "english please", "en français svp".
var switchRequestWords = map[string]bool{
	"in": true, "en": true, "please": true, "graag": true, "svp": true, "spreken": true, "speak": true,
	"praten": true, "talk": true, "parler": true, "parlez": true, "switch": true, "change": true,
	"liever": true, "prefer": true, "taal": true, "language": true, "langue": true, "plait": true,
	"alstublieft": true, "aub": true, "kan": true, "can": true, "op": true, "verder": true, "continue": true,
	"continuer": true, "spreekt": true, "speaks": true, "parle": true, "schrijven": true, "write": true,
	"ecrire": true, "pls": true, "plz": true,
}

// requestedLanguage returns the language a debtor asks the bot to use.
// "I don't speak Dutch" asks for the language the message is written in.
func requestedLanguage(toks []token, written casestore.Language) casestore.Language {
	if len(toks) == 1 {
		if l, ok := languageCodes[toks[0].text]; ok && l != "" {
			return l
		}
	}
	for i, t := range toks {
		l, ok := languageNames[t.text]
		if !ok {
			l, ok = fuzzyLanguageName(t.text)
		}
		if !ok {
			continue
		}
		if negatedBefore(toks, i) || i > 0 && toks[i-1].text == "geen" {
			if written != "" && written != l {
				return written
			}
			continue
		}
		if len(toks) <= 3 {
			return l
		}
		for j := max(0, i-3); j < min(len(toks), i+4); j++ {
			if switchRequestWords[toks[j].text] {
				return l
			}
		}
	}
	return ""
}

var fuzzyLanguages = fuzzyNames(languageNames)

// fuzzyLanguageName accepts one typo in a language name ("englsh").
func fuzzyLanguageName(w string) (casestore.Language, bool) {
	if len(w) < 5 {
		return "", false
	}
	for _, n := range fuzzyLanguages {
		if editDistance(w, n.name, 1) <= 1 {
			return languageNames[n.name], true
		}
	}
	return "", false
}
