package dialogs

// Cues of the intents that are about the conversation or the case rather
// than a new request: closers and thanks, questions about who we are, and
// questions about something already on file (a dispute, a plan, a payment,
// a promise). Written like the tables in lexicon.go.

var frameTables = []cueGroup{
	// Thanks and closers. Strong when they can only close ("bedankt",
	// "thanks", "merci"); weak when they also answer a question ("ok",
	// "prima", "goed"), so a yes/no prompt still reads them as yes.
	{IntentThanks, lxNL, true, []string{
		"dank*", "bedankt", "bedank", "dankjewel", "dankuwel", "dank u|je wel", "merci", "top", "super", "fijne dag|avond|weekend",
		"prettige dag", "doei", "tot ziens", "groetjes", "thanks", "tesekkur*", "dzieki", "dziekuje", "thnx", "tnx", "bedankt hoor",
		"heel fijn", "topper", "is goed", "oke dan", "ok dan", "komt goed", "tot later", "daag", "doeg", "fijne dag nog", "dank voor",
	}},
	{IntentThanks, lxEN, true, []string{"thanks", "thank you|u", "thx", "ty", "cheers", "bye", "goodbye", "have a nice|good day", "much appreciated", "great thanks",
		"thank u", "thanku", "tnx", "thnx", "appreciate it", "see you", "sounds good", "got it", "all good", "awesome"}},
	{IntentThanks, lxFR, true, []string{"merci*", "bonne journee|soiree", "au revoir", "parfait", "nickel", "a bientot", "mercii", "tres bien", "c est note",
		"bonne fin de journee", "a plus", "ciao", "entendu", "super"}},
	{IntentThanks, lxFR, false, []string{"ca marche"}},
	{IntentThanks, lxAny, false, []string{"ok", "oke", "okay", "okido", "oki", "prima", "fijn", "goed zo", "mooi", "mooi zo", "perfect", "great", "fine", "d accord", "dac", "cool", "allright", "alright", "helder", "duidelijk", "begrepen", "noted", "understood", "compris", "goed"}},

	// About us: who we are, whether this is real, whose claim, what it is about.
	{IntentAboutUs, lxNL, true, []string{
		"oplicht*", "nep", "fraude", "phishing", "betrouwbaar", "echt of nep", "is dit echt", "zijn jullie echt",
		"wie zijn jullie|u", "wie is dit|dat", "wat voor bedrijf", "welk bedrijf|bureau", "van wie komt|is", "namens wie",
		"ken|ken_u dit|jullie bedrijf|bureau niet", "nooit van jullie gehoord", "waar gaat dit|dat|het over", "waarover gaat",
		"brief kwijt", "brief niet meer", "wie is de schuldeiser", "welke schuldeiser", "hoe komen jullie aan mijn nummer|gegevens",
		"hoe komt u aan mijn nummer|gegevens", "waar hebben jullie mijn nummer", "incassobureau wie",
		"wie bent u|jij", "met wie spreek|praat ik", "wie stuurt", "wat is dit voor bericht|vordering|bedrijf|bureau", "bestaan jullie echt",
		"hoe weet ik dat|of", "hoe kan ik controleren|checken|nagaan", "spam", "waarom krijg ik dit|deze", "waar komt dit|dat vandaan",
		"jullie website|adres|telefoonnummer|kvk", "wat voor incassobureau", "van welke winkel|firma|schuldeiser", "wat moet ik hiermee",
		"~brief|bericht begrijp|snap niet|niks|niets", "~begrijp|snap brief|bericht niet",
		"wie is het dan", "wie is dat dan", "opdrachtgever", "wie is uw|jullie klant", "wie is de eiser", "wie eist",
	}},
	{IntentAboutUs, lxEN, true, []string{
		"scam*", "fraud*", "phishing", "legit*", "is this real", "are you real", "who are you", "who is this", "what company",
		"who is the creditor", "which creditor", "on behalf of whom", "who do you work for", "lost the letter", "what is this about",
		"what s this about", "never heard of you", "how did you get my number",
		"who sent", "who am i talking|speaking to", "how do i know", "genuine", "spam", "why am i getting|receiving", "what is this",
		"where does this come from", "your website|address|phone", "what debt is this", "who are these people",
		"who is it", "who s it", "who s the creditor", "whos the creditor", "who is your client", "on whose behalf", "who is that", "who are they", "~don_t understand letter|message|this", "~letter don_t understand",
	}},
	{IntentAboutUs, lxFR, true, []string{
		"arnaque", "escroquer*", "fraude", "c est qui", "qui etes vous", "qui est ce", "vous etes qui", "quelle societe|entreprise",
		"qui est le creancier", "quel creancier", "au nom de qui", "perdu la|ma lettre|facture", "perdu le|mon courrier", "c est pour quoi", "de quoi s agit",
		"c est quoi ce|cette message|lettre|dossier|dette|facture|courrier", "jamais entendu parler", "comment avez vous mon numero",
		"qui m ecrit", "a qui je parle", "comment savoir", "c est serieux", "spam", "pourquoi je recois", "d ou vient",
		"votre site|adresse", "qui vous etes", "c est qui alors", "qui est ce alors",
		"~lettre|courrier comprends|compris pas|rien", "je ne comprends pas|rien",
	}},

	// Case status: a question about something already on file.
	{IntentCaseStatus, lxNL, true, []string{
		"hoe staat het met", "hoe ver is", "al iemand naar gekeken", "al naar gekeken", "heeft er al iemand",
		"al goedgekeurd|beoordeeld|behandeld|bekeken", "al een besluit|beslissing|uitspraak", "nog steeds in behandeling",
		"volgende termijn|betaling|afschrijving", "wanneer is|moet mijn|de volgende", "hoeveel termijnen heb|nog",
		"termijnen nog te gaan", "loopt mijn regeling|afbetaling|betalingsregeling nog",
		"betaling ontvangen|binnen|aangekomen|verwerkt", "mijn betaling al", "geld al binnen|ontvangen", "is mijn betaling",
		"staat dat genoteerd", "al genoteerd", "al verwerkt",
		"wat is de status", "status van mijn", "al iets gehoord|bekend", "nog niets|niks gehoord", "al uitsluitsel|reactie",
		"wanneer hoor ik", "is mijn bezwaar|klacht|betwisting|regeling|betaling", "mijn bezwaar|klacht|betwisting al",
		"wanneer moet ik weer|opnieuw betalen", "wanneer wordt er afgeschreven", "hebben jullie mijn betaling|geld|storting|overschrijving",
		"mijn betaling|overschrijving|storting binnen|aangekomen|ontvangen",
		"is die|het|dat|deze|ze goed|wel|al aangekomen|binnen|ontvangen|verwerkt", "goed aangekomen", "wanneer horen|hoor we|ik iets|meer|wat",
		"hoe staat het daarmee|ermee|erbij", "nieuws over", "al nieuws", "iets gehoord over", "had|heb beloofd", "had|heb toegezegd",
		"~mijn betaling|betalingen|termijn|afbetaling|storting|overschrijving|overboeking binnen|binnengekomen|aangekomen|ontvangen|verwerkt|gezien",
		"is die|het|dat|deze|ze aangekomen|binnen|binnengekomen|ontvangen|goedgekeurd|geaccepteerd", "is dat|het|die al goedgekeurd|geaccepteerd|rond", "volgende keer betalen", "~wanneer volgende keer", "volgende afbetaling|storting|afschrijving",
		"~wanneer weer|opnieuw betalen|betaal|betalen", "~hoeveel termijnen|betalingen|keer nog", "~staat|geldt|loopt mijn|de|onze afspraak|belofte|toezegging|regeling nog",
		"afspraak|belofte|toezegging nog geldig|goed|staan|ok|oke|okay|actief", "is dat|dit nog goed|geldig|ok|oke", "nog steeds goed|geldig", "~had|heb gezegd dat betalen|betaal|zou",
		"klopt het dat", "is het waar dat", "moet ik|we nog iets doen|betalen|regelen", "moeten wij|we nog iets", "hoef ik|we niks|niets meer", "nog iets doen",
		"wat is er met mijn", "hoe zit het met mijn", "~hoe staat bezwaar|klacht|betwisting|regeling|dossier ervoor|erbij",
	}},
	{IntentCaseStatus, lxEN, true, []string{
		"update on", "any news", "status of my", "how is my dispute|complaint|plan|payment", "next installment|instalment|payment",
		"when is my next", "did you receive|get my payment", "has my payment", "payment arrived|received|come_through",
		"got my payment", "is my plan", "plan approved", "still on track", "installments left", "have you looked",
		"what s the status", "any update", "heard back", "have you received|got", "did my payment", "is my dispute|complaint|payment",
		"when do i pay next", "payments left", "what is left on my plan",
		"did you get|receive it|that|the_money|my_money", "has it arrived|come through", "did it arrive|come through", "when will i hear",
		"~told|said i would|will pay", "i promised", "my promise", "still stand|stands|valid", "is that still", "still ok|okay|good|fine", "is it true that",
		"do i still need|have to do", "anything else i need|have to do", "do i need to do anything", "how many installments|instalments|payments left", "when do i pay again",
	}},
	{IntentCaseStatus, lxFR, true, []string{
		"ou en est", "ou en sont", "des nouvelles", "prochaine echeance|mensualite", "bien recu mon paiement|virement",
		"recu mon paiement|virement", "mon paiement est arrive", "mon plan est", "plan accepte|valide", "echeances restantes",
		"statut", "avez vous recu", "a ete recu", "ma contestation est|a", "quand dois je payer la prochaine", "combien d echeances",
		"mon virement est arrive", "avance", "des nouvelles de", "j avais promis", "ma reclamation|contestation|plainte", "l avez vous recu",
		"toujours valable", "ma promesse", "~j ai|avais dit que paierais|payerais", "est ce vrai que", "est il vrai que", "dois je encore faire", "je dois encore faire",
		"reste t il quelque chose", "quand dois je repayer|payer a nouveau", "est il arrive", "est bien arrive", "quand aurai je des nouvelles", "prochain paiement|versement",
	}},

	// Greetings of debtors writing Dutch from another mother tongue.
	{IntentGreeting, lxAny, true, []string{"salaam", "salam", "selam", "salaam aleikum", "merhaba", "dzien dobry", "hola", "goeiemiddag", "goeienavond"}},
	// "wat moet ik (nu) nog betalen": how much, not pay now.
	{IntentBalance, lxNL, true, []string{"wat|wa moet ik nog betalen|betale|betaln", "wat|wa moet ik nog"}},
	{cueAmount, lxNL, false, []string{"wat|wa moet ik nog betalen|betale|betaln"}},
	// "alles ineens lukt niet": not all at once is in parts.
	{IntentPlan, lxNL, true, []string{"ineens|in_een_keer|in_1_keer lukt|kan niet", "niet ineens|in_een_keer|in_1_keer", "in stukjes", "beetje bij beetje"}},
	// "kan ik die rekening afbetalen?": asking to pay off is asking for
	// parts ("ik wil het meteen afbetalen" stays paying now).
	{IntentPlan, lxNL, true, []string{"~kan|mag|kunnen|mogen ik|we afbetalen", "~kan|mag|kunnen|mogen ik|we in_delen|in_stukken|gespreid betalen"}},
	{IntentPlan, lxEN, true, []string{"not all at once|in_one_go", "can_t pay it all at once"}},
	{IntentPlan, lxFR, true, []string{"pas tout en une fois", "pas en une fois"}},
	// Hardship said as a circumstance ("ik zit zonder werk", "alleen een
	// uitkering").
	{IntentHardship, lxNL, true, []string{"zonder werk|inkomen|baan", "alleen een|maar een uitkering", "krijg alleen|maar", "ziek thuis", "ziektewet", "arbeidsongeschikt"}},
	{IntentHardship, lxEN, true, []string{"out of work", "only get benefits", "on sick leave", "off sick"}},
	{IntentHardship, lxFR, true, []string{"au chomage", "en maladie", "sans travail", "que le chomage|cpas"}},
	// A refusal to pay ("ik betaal helemaal niks", "I'm not paying", "je
	// ne paierai rien"): never a promise.
	{cueRefuse, lxNL, false, []string{"betaal|betalen niks|niets|nooit|nie|geen_cent|geen_frank|geen_euro", "betaal|betalen helemaal niks|niets|niet|nie", "ga|zal niks|niets|niet|nie betalen", "ik betaal niet", "weiger te betalen"}},
	{cueRefuse, lxEN, false, []string{"not paying|pay anything", "won_t|will_not pay", "refuse to pay", "never pay", "pay nothing"}},
	{cueRefuse, lxFR, false, []string{"paierai|paie|payerai rien|jamais", "ne paierai|payerai pas", "refuse de payer"}},
}
