package dialogs

import (
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// msgKey names one debtor-facing text. Every key has a text in
// texts_nl.go, texts_en.go and texts_fr.go with the same {placeholders};
// texts_test.go proves it.
type msgKey string

// catalogs holds every debtor-facing text per language.
var catalogs = map[casestore.Language]map[msgKey]string{
	casestore.Dutch:   textsNL,
	casestore.English: textsEN,
	casestore.French:  textsFR,
}

// render fills a text's {placeholders} from name, value pairs. A missing
// text falls back to Dutch, so a gap never leaves the debtor unanswered.
func render(lang casestore.Language, k msgKey, args ...string) string {
	s, ok := catalogs[lang][k]
	if !ok {
		s = textsNL[k]
	}
	if len(args) < 2 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Money formats an amount the way a debtor reads it in lang:
// "€ 1.234,56" (nl), "€1,234.56" (en), "1 234,56 €" (fr), rounded to the
// cent half away from zero (as casestore.RoundCents). The console and the
// creditor pages show amounts in Dutch with it too, so a collector reads
// the very figure the debtor was sent.
func Money(lang casestore.Language, d decimal.Decimal) string {
	s := d.Round(2).StringFixed(2)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, cents, _ := strings.Cut(s, ".")
	switch lang {
	case casestore.English:
		return sign + "€" + group(whole, ",") + "." + cents
	case casestore.French:
		return sign + group(whole, " ") + "," + cents + " €"
	}
	return "€ " + sign + group(whole, ".") + "," + cents
}

// group inserts sep between groups of three digits.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

var monthLabels = map[casestore.Language][12]string{
	casestore.Dutch:   {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	casestore.English: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	casestore.French:  {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// day formats a calendar day: "15 december 2026", "15 December 2026",
// "15 décembre 2026".
func day(lang casestore.Language, d time.Time) string {
	names, ok := monthLabels[lang]
	if !ok {
		names = monthLabels[casestore.Dutch]
	}
	return itoa(d.Day()) + " " + names[d.Month()-1] + " " + itoa(d.Year())
}

var weekdayLabels = map[casestore.Language][7]string{
	casestore.Dutch:   {"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
	casestore.English: {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	casestore.French:  {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
}

// opening names the moment the office opens again: "maandag 30 november
// om 9:00", "Monday 30 November at 9:00", "lundi 30 novembre à 9h00".
func opening(lang casestore.Language, t time.Time) string {
	l := t.In(casestore.Amsterdam)
	days, ok := weekdayLabels[lang]
	if !ok {
		lang, days = casestore.Dutch, weekdayLabels[casestore.Dutch]
	}
	date := itoa(l.Day()) + " " + monthLabels[lang][l.Month()-1]
	hm := strconv.Itoa(l.Hour()) + ":" + l.Format("04")
	switch lang {
	case casestore.English:
		return days[l.Weekday()] + " " + date + " at " + hm
	case casestore.French:
		return days[l.Weekday()] + " " + date + " à " + strconv.Itoa(l.Hour()) + "h" + l.Format("04")
	}
	return days[l.Weekday()] + " " + date + " om " + hm
}

// clock formats an instant as the Amsterdam wall-clock time "14:35".
func clock(t time.Time) string {
	return t.In(casestore.Amsterdam).Format("15:04")
}

func itoa(n int) string { return strconv.Itoa(n) }

// workdaysAfter returns the calendar day n working days (Monday–Friday)
// after d: the day a debtor is told to expect an answer by.
func workdaysAfter(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// Message keys. Grouped by flow; the texts live in texts_nl.go,
// texts_en.go and texts_fr.go.
const (
	// identification
	kAskPhone                 msgKey = "identify.ask_phone"
	kUnknownNumber            msgKey = "identify.unknown_number"
	kVerifyAsk                msgKey = "identify.ask"
	kVerifyAskRef             msgKey = "identify.ask_ref"
	kVerifyAskFactor          msgKey = "identify.ask_factor"
	kVerifyFailed             msgKey = "identify.failed"
	kVerifyFailedUnknownPhone msgKey = "identify.failed_unknown_phone"
	kWebVerifyFailed          msgKey = "identify.web_failed"
	kLocked                   msgKey = "identify.locked"
	kVerified                 msgKey = "identify.verified"
	kVerifyExpired            msgKey = "identify.expired"
	kHelpUnverified           msgKey = "help.unverified"
	kWebVerifyAsk             msgKey = "identify.web_ask"

	// conversation
	kHello         msgKey = "hello"
	kWelcomeBack   msgKey = "welcome_back"
	kNotUnderstood msgKey = "not_understood"
	kOfferPerson   msgKey = "offer_person"
	kAnythingElse  msgKey = "anything_else"
	kError         msgKey = "error"
	kTrouble       msgKey = "trouble"
	kYes           msgKey = "yes"
	kNo            msgKey = "no"

	// menu
	kMenuIntro       msgKey = "menu.intro"
	kMenuFooter      msgKey = "menu.footer"
	kMenuHintSMS     msgKey = "menu.hint_sms"
	kOptBalance      msgKey = "opt.balance"
	kOptInvoices     msgKey = "opt.invoices"
	kOptPayNow       msgKey = "opt.pay_now"
	kOptPlan         msgKey = "opt.plan"
	kOptPlanJudicial msgKey = "opt.plan_judicial"
	kOptPromise      msgKey = "opt.promise"
	kOptAlreadyPaid  msgKey = "opt.already_paid"
	kOptDispute      msgKey = "opt.dispute"
	kOptCallback     msgKey = "opt.callback"
	kOptHuman        msgKey = "opt.human"
	kOptLanguage     msgKey = "opt.language"
	kOptMenu         msgKey = "opt.menu"

	// balance and stage
	kBalanceTotal         msgKey = "balance.total"
	kBalanceCostsFrom     msgKey = "balance.costs_from"
	kBalanceOnHold        msgKey = "balance.on_hold"
	kBalanceInvoice       msgKey = "balance.invoice"
	kBalanceInvoicesTotal msgKey = "balance.invoices_total"
	kBalanceNext          msgKey = "balance.next"
	kStagePre             msgKey = "stage.pre_incasso"
	kStageAmicable        msgKey = "stage.minnelijk"
	kStageJudicial        msgKey = "stage.gerechtelijk"
	kStageExecution       msgKey = "stage.executie"
	kStatusOpen           msgKey = "status.open"
	kStatusDisputed       msgKey = "status.disputed"
	kStatusPaused         msgKey = "status.paused"
	kStatusPaid           msgKey = "status.paid"
	kStatusWaived         msgKey = "status.waived"

	// invoices
	kAskInvoice    msgKey = "invoice.ask"
	kInvoiceOption msgKey = "invoice.option"
	kInvoiceNamed  msgKey = "invoice.named"
	kWholeCase     msgKey = "invoice.whole_case"

	// dispute
	kDisputeAskReason  msgKey = "dispute.ask_reason"
	kDisputeAskText    msgKey = "dispute.ask_text"
	kDisputeDone       msgKey = "dispute.done"
	kDisputeJudicial   msgKey = "dispute.judicial"
	kDisputeExecution  msgKey = "dispute.execution"
	kReasonNotReceived msgKey = "reason.not_received"
	kReasonWrongAmount msgKey = "reason.wrong_amount"
	kReasonFaulty      msgKey = "reason.faulty"
	kReasonAlreadyPaid msgKey = "reason.already_paid"
	kReasonNotMyDebt   msgKey = "reason.not_my_debt"
	kReasonOther       msgKey = "reason.other"

	// evidence
	kAskProof        msgKey = "proof.ask"
	kAskMoreProof    msgKey = "proof.more"
	kMediaReceived   msgKey = "media.received"
	kMediaWrongType  msgKey = "media.wrong_type"
	kMediaTooBig     msgKey = "media.too_big"
	kMediaTooMany    msgKey = "media.too_many"
	kMediaMissing    msgKey = "media.missing"
	kMediaUnexpected msgKey = "media.unexpected"
	kMediaUnverified msgKey = "media.unverified"

	// plan
	kPlanAsk          msgKey = "plan.ask"
	kPlanJudicialNote msgKey = "plan.judicial_note"
	kPlanAccept       msgKey = "plan.accept"
	kPlanCounterIntro msgKey = "plan.counter_intro"
	kPlanCounter      msgKey = "plan.counter"
	kPlanConfirm      msgKey = "plan.confirm"
	kPlanConfirmAgain msgKey = "plan.confirm_again"
	kPlanDeclined     msgKey = "plan.declined"
	kPlanAgreed       msgKey = "plan.agreed"
	kPlanCollector    msgKey = "plan.collector"
	kScheduleLine     msgKey = "plan.schedule_line"
	kPlanWhyTerms     msgKey = "plan.why_terms"
	kPlanWhyMinimum   msgKey = "plan.why_minimum"
	kPlanWhyDown      msgKey = "plan.why_down"
	kPlanWhyPast      msgKey = "plan.why_past"
	kPlanWhyLate      msgKey = "plan.why_late"

	// promise, pay, paid, callback
	kPromiseAskDate   msgKey = "promise.ask_date"
	kPromisePast      msgKey = "promise.past"
	kPromiseTooFar    msgKey = "promise.too_far"
	kPromiseDone      msgKey = "promise.done"
	kPromiseJudicial  msgKey = "promise.judicial"
	kPayNow           msgKey = "pay.now"
	kPayNoLink        msgKey = "pay.no_link"
	kPayLink          msgKey = "pay.link"
	kPaidAskDetails   msgKey = "paid.ask_details"
	kPaidAskDate      msgKey = "paid.ask_date"
	kPaidAskAmount    msgKey = "paid.ask_amount"
	kPaidAskAccount   msgKey = "paid.ask_account"
	kPaidAskReference msgKey = "paid.ask_reference"
	kPaidDone         msgKey = "paid.done"
	kCallbackAsk      msgKey = "callback.ask"
	kCallbackDone     msgKey = "callback.done"

	// person, stop, language
	kHandoff        msgKey = "handoff.asked"
	kHandoffSoon    msgKey = "handoff.soon"
	kHandoffNextDay msgKey = "handoff.next_day"
	kHandoffWaiting msgKey = "handoff.waiting"
	kHandoffBusy    msgKey = "handoff.busy"
	kHardship       msgKey = "handoff.hardship"
	kAbuse          msgKey = "handoff.abuse"
	kStopDone       msgKey = "stop.done"
	kStartDone      msgKey = "start.done"
	kLangAsk        msgKey = "language.ask"
	kLangSwitched   msgKey = "language.switched"
)

// Collectors' decisions, sent from the console (see decisions.go).
const (
	kDecisionPlanApproved    msgKey = "decision.plan_approved"
	kDecisionPlanCountered   msgKey = "decision.plan_countered"
	kDecisionCounterAsk      msgKey = "decision.counter_ask"
	kDecisionPlanRejected    msgKey = "decision.plan_rejected"
	kDecisionScheduleLine    msgKey = "decision.schedule_line"
	kDecisionPayBy           msgKey = "decision.pay_by"
	kDecisionPayDetails      msgKey = "decision.pay_details"
	kDecisionPlanKeep        msgKey = "decision.plan_keep"
	kDecisionWhyTooLong      msgKey = "decision.why_too_long"
	kDecisionWhyTooLow       msgKey = "decision.why_too_low"
	kDecisionWhyDownPayment  msgKey = "decision.why_down_payment"
	kDecisionWhyJudicial     msgKey = "decision.why_judicial"
	kDecisionWhyCreditor     msgKey = "decision.why_creditor"
	kDecisionRejectNext      msgKey = "decision.reject_next"
	kDecisionDisputeUpheld   msgKey = "decision.dispute_upheld"
	kDecisionDisputeRejected msgKey = "decision.dispute_rejected"
	kDecisionExplanation     msgKey = "decision.explanation"
	kTakeOver                msgKey = "handoff.take_over"
	kTakeOverName            msgKey = "handoff.take_over_name"
	kTakeOverStaff           msgKey = "handoff.take_over_staff"
	kHandedBack              msgKey = "handoff.handed_back"
	kReleased                msgKey = "handoff.released"
	kDecisionOpenLeft        msgKey = "decision.open_left"
	kDecisionNothingLeft     msgKey = "decision.nothing_left"
	kDecisionDisputeNext     msgKey = "decision.dispute_next"
)

// Answers about the case as it is (flow_status.go), about us, and the
// closers.
const (
	kThanksReply           msgKey = "frame.thanks"
	kAboutUs               msgKey = "frame.about_us"
	kAboutUsContact        msgKey = "frame.about_us_contact"
	kAboutUsVerify         msgKey = "frame.about_us_verify"
	kAboutUsCase           msgKey = "frame.about_us_case"
	kCaseNothingOpen       msgKey = "frame.nothing_open"
	kCaseClosed            msgKey = "frame.closed"
	kCaseOpenLeft          msgKey = "frame.open_left"
	kDisputeOnFile         msgKey = "frame.dispute_open"
	kDisputeUpheldOnFile   msgKey = "frame.dispute_upheld"
	kDisputeRejectedOnFile msgKey = "frame.dispute_rejected"
	kWhatInvoice           msgKey = "frame.what_invoice"
	kWhatCase              msgKey = "frame.what_case"
	kPlanOnFile            msgKey = "frame.plan_active"
	kPlanChangeAsked       msgKey = "frame.plan_change_asked"
	kRefusal               msgKey = "frame.refusal"
	kPlanWeekly            msgKey = "plan.weekly"
	kPlanPendingOnFile     msgKey = "frame.plan_pending"
	kPromiseOnFile         msgKey = "frame.promise_open"
	kLastPayment           msgKey = "frame.last_payment"
	kNoPaymentYet          msgKey = "frame.no_payment"
	kPaymentOnFile         msgKey = "frame.payment_on_file"
	kMissShort             msgKey = "frame.miss"
)
