package dialogs

import "github.com/incassobot/incassobot/casestore"

// Language: detected from the debtor's first message that shows one,
// switched whenever the debtor asks, and otherwise the language on file
// once the debtor is identified (explicit choice > detected > on file > nl).

// detectLanguage takes the language of the first message that has one.
func (t *turn) detectLanguage() {
	if t.st.LangSource == "" && validLang(t.u.Language) {
		t.st.Lang, t.st.LangSource = t.u.Language, "detected"
	}
}

// switchLanguage honours "in English please" or asks which language.
func (t *turn) switchLanguage() {
	if !validLang(t.u.SwitchTo) {
		t.askLanguage()
		return
	}
	t.setLanguage(t.u.SwitchTo)
	t.prompt()
}

func (t *turn) setLanguage(l casestore.Language) {
	t.st.Lang, t.st.LangSource = l, "chosen"
	t.say(kLangSwitched)
}

// askLanguage offers the three languages, each in its own words.
func (t *turn) askLanguage() {
	t.st.Node = NodeLanguage
	t.st.Flow = Scratch{}
	t.options = []string{"Nederlands", "English", "Français"}
	t.say(kLangAsk)
}

// languageAnswer reads 1/2/3, a language name or a message in a language.
func (t *turn) languageAnswer() bool {
	var l casestore.Language
	switch {
	case t.u.Choice >= 1 && t.u.Choice <= 3:
		l = []casestore.Language{casestore.Dutch, casestore.English, casestore.French}[t.u.Choice-1]
	case validLang(t.u.SwitchTo):
		l = t.u.SwitchTo
	case hasAny(t.low, "neder", "dutch", "néerland", "vlaams"):
		l = casestore.Dutch
	case hasAny(t.low, "engl", "anglais", "engels"):
		l = casestore.English
	case hasAny(t.low, "fran", "frans", "french"):
		l = casestore.French
	default:
		return false
	}
	t.setLanguage(l)
	if t.c != nil {
		t.showMenu()
	} else {
		t.identify()
	}
	return true
}
