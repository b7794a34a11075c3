package dialogs

import (
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Date phrases, matched with the same cue machinery as intents (fuzzy for
// long words, so "overmorgn" and "vrijdg" still count).
const (
	dToday        Intent = "today"
	dTomorrow     Intent = "tomorrow"
	dAfterTomorow Intent = "day-after-tomorrow"
	dYesterday    Intent = "yesterday"
	dBeforeYest   Intent = "day-before-yesterday"
	dHierFR       Intent = "hier" // French "yesterday", Dutch "here"
	dNextWeek     Intent = "next-week"
	dThisWeek     Intent = "this-week"
	dLastWeek     Intent = "last-week"
	dEndOfMonth   Intent = "end-of-month"
	dNextMonth    Intent = "next-month"
	dEndNextMonth Intent = "end-of-next-month"
	dLastMonth    Intent = "last-month"
	dWeekend      Intent = "weekend"
	dAfterWeekend Intent = "after-weekend"
)

var dateLexicon = compileLexicon([]cueGroup{
	{dToday, lxAny, true, []string{"vandaag", "today", "aujourd hui", "vanavond", "vanmiddag", "tonight", "ce soir", "vandaag nog"}},
	{dTomorrow, lxAny, true, []string{"morgen", "morgenochtend", "morgenmiddag", "morgenavond", "tomorrow", "tmrw", "demain"}},
	{dAfterTomorow, lxAny, true, []string{"overmorgen", "day after tomorrow", "apres demain"}},
	{dYesterday, lxAny, true, []string{"gisteren", "gisterenavond", "gisteravond", "yesterday"}},
	{dHierFR, lxAny, true, []string{"hier"}},
	{dBeforeYest, lxAny, true, []string{"eergisteren", "day before yesterday", "avant hier"}},
	{dNextWeek, lxAny, true, []string{"volgende|komende|aanstaande week", "next week", "semaine prochaine"}},
	{dThisWeek, lxAny, true, []string{"deze week", "this week", "cette semaine"}},
	{dLastWeek, lxAny, true, []string{"vorige|afgelopen week", "last week", "semaine derniere|passee"}},
	{dEndOfMonth, lxAny, true, []string{
		"eind|einde|eindje|end|fin van|de|of|du maand|month|mois", "eind|einde deze maand", "end of this month", "fin de ce mois",
		"eind|einde maand", "end of month", "fin de mois", "fin du mois", "eind vd maand", "einde vd maand", "eind v d maand",
	}},
	{dNextMonth, lxAny, true, []string{
		"volgende|komende maand", "next month", "mois prochain", "begin volgende maand", "start|beginning of next month",
		"debut du mois prochain",
	}},
	{dEndNextMonth, lxAny, true, []string{"eind|einde volgende maand", "end of next month", "fin du mois prochain"}},
	{dLastMonth, lxAny, true, []string{"vorige|afgelopen maand", "last month", "mois dernier"}},
	{dWeekend, lxAny, true, []string{"weekend", "week end"}},
	{dAfterWeekend, lxAny, true, []string{"na het weekend", "after the weekend", "apres le week end"}},
}, []string{"morgens", "gister"})

// phraseDates resolves the fixed phrases ("morgen", "volgende week",
// "eind van de maand") among the tokens not used yet.
func phraseDates(toks []token, used []bool, today time.Time, lang casestore.Language) []dateMention {
	var out []dateMention
	taken := make([]bool, len(toks))
	for _, m := range longestFirst(dateLexicon.matchCues(toks)) {
		if anyUsed(used, m.start, m.end) || anyUsed(taken, m.start, m.end) {
			continue
		}
		d, ok := resolvePhrase(m.cue.intent, today, lang)
		if !ok {
			continue
		}
		for k := m.start; k < m.end; k++ {
			taken[k], used[k] = true, true
		}
		out = append(out, dateMention{day: d.day, past: d.past})
	}
	return out
}

func resolvePhrase(k Intent, today time.Time, lang casestore.Language) (dateMention, bool) {
	past := func(t time.Time) (dateMention, bool) { return dateMention{day: t, past: true}, true }
	future := func(t time.Time) (dateMention, bool) { return dateMention{day: t}, true }
	y, m := today.Year(), today.Month()
	switch k {
	case dToday:
		return future(today)
	case dTomorrow:
		return future(today.AddDate(0, 0, 1))
	case dAfterTomorow:
		return future(today.AddDate(0, 0, 2))
	case dYesterday:
		return past(today.AddDate(0, 0, -1))
	case dHierFR:
		if lang == lxFR {
			return past(today.AddDate(0, 0, -1))
		}
	case dBeforeYest:
		return past(today.AddDate(0, 0, -2))
	case dNextWeek:
		return future(mondayOf(today).AddDate(0, 0, 7))
	case dThisWeek:
		return future(later(mondayOf(today).AddDate(0, 0, 4), today))
	case dLastWeek:
		return past(mondayOf(today).AddDate(0, 0, -7))
	case dEndOfMonth:
		return future(casestore.Date(y, m, daysIn(m, y)))
	case dNextMonth:
		return future(casestore.Date(y, m+1, 1))
	case dEndNextMonth:
		return future(casestore.Date(y, m+2, 0))
	case dLastMonth:
		return past(casestore.Date(y, m-1, 1))
	case dWeekend:
		return future(later(mondayOf(today).AddDate(0, 0, 5), today))
	case dAfterWeekend:
		return future(mondayOf(today).AddDate(0, 0, 7))
	}
	return dateMention{}, false
}

// longestFirst orders matches by their number of words, most first, so
// "day after tomorrow" wins over "tomorrow" and "eind volgende maand" over
// "eind maand".
func longestFirst(ms []cueMatch) []cueMatch {
	longer := func(a, b cueMatch) bool {
		if len(a.cue.slots) != len(b.cue.slots) {
			return len(a.cue.slots) > len(b.cue.slots)
		}
		return a.end-a.start > b.end-b.start
	}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && longer(ms[j], ms[j-1]); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	return ms
}

func anyUsed(used []bool, from, to int) bool {
	for k := from; k < to; k++ {
		if used[k] {
			return true
		}
	}
	return false
}
