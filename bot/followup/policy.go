package followup

import (
	"encoding/json"
	"fmt"
)

// Policy is a creditor's follow-up process.
type Policy struct {
	// RemindDaysBefore: the installment reminder goes this many days
	// before each due date; 0 means the default, 3.
	RemindDaysBefore int `json:"remind_days_before,omitempty"`
	// GraceDays after a due date before an unpaid installment counts as
	// missed and the debtor hears of it; default 3.
	GraceDays int `json:"grace_days,omitempty"`
	// MaxMissed: the plan breaks when this many installments are missed;
	// default 2.
	MaxMissed int `json:"max_missed,omitempty"`
	// Sequences are the reminder sequences by regime ("nl-b2c", …) and
	// stage ("pre-incasso", …), "regime/stage"; DefaultSequences fill the
	// rest. An empty list: no sequence.
	Sequences map[string][]SequenceDef `json:"sequences,omitempty"`
}

// SequenceDef is one step of a reminder sequence: a message of a type,
// sent a number of days (working days when Working) after the step before
// (the case's import for the first).
type SequenceDef struct {
	Type    string `json:"type"` // "reminder", "second_reminder", "plan_offer"
	Days    int    `json:"days"`
	Working bool   `json:"working,omitempty"`
}

// MessageTypes are the types a sequence step may send.
var MessageTypes = []string{"reminder", "second_reminder", "plan_offer"}

// DefaultPolicy is the agency's process when a creditor sets none.
var DefaultPolicy = Policy{RemindDaysBefore: 3, GraceDays: 3, MaxMissed: 2}

// DefaultSequences: a reminder 3 working days after the due date (the
// case's import), a second 14 days later, then the offer of a payment
// agreement 14 days after that. Only pre-incasso and minnelijk cases have
// one: a case in court or enforcement is a person's work.
var DefaultSequences = map[string][]SequenceDef{}

func init() {
	seq := []SequenceDef{{Type: "reminder", Days: 3, Working: true}, {Type: "second_reminder", Days: 14}, {Type: "plan_offer", Days: 14}}
	for _, r := range []string{"nl-b2c", "nl-b2b", "be-b2c", "be-b2b"} {
		for _, s := range []string{"pre-incasso", "minnelijk"} {
			DefaultSequences[r+"/"+s] = seq
		}
	}
}

// Policies are the creditors' policies by creditor code; "default" (or
// DefaultPolicy) for the others.
type Policies map[string]Policy

// ParsePolicies reads FOLLOWUP_POLICY: a JSON object of creditor code (or
// "default") to Policy. Empty: DefaultPolicy for everyone.
func ParsePolicies(s string) (Policies, error) {
	if s == "" {
		return nil, nil
	}
	var p Policies
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return nil, fmt.Errorf("FOLLOWUP_POLICY: %w", err)
	}
	for code, pol := range p {
		if pol.RemindDaysBefore < 0 || pol.GraceDays < 0 || pol.MaxMissed < 0 {
			return nil, fmt.Errorf("FOLLOWUP_POLICY %s: negative days or count", code)
		}
		for key, seq := range pol.Sequences {
			for i, st := range seq {
				if !validType(st.Type) || st.Days < 0 {
					return nil, fmt.Errorf("FOLLOWUP_POLICY %s %s step %d: type %q or days %d", code, key, i+1, st.Type, st.Days)
				}
			}
		}
	}
	return p, nil
}

func validType(t string) bool {
	for _, x := range MessageTypes {
		if x == t {
			return true
		}
	}
	return false
}

// For is the policy of the creditor with code, defaults filled in.
func (p Policies) For(code string) Policy {
	pol, ok := p[code]
	if !ok {
		pol, ok = p["default"]
	}
	if !ok {
		pol = DefaultPolicy
	}
	if pol.RemindDaysBefore == 0 {
		pol.RemindDaysBefore = DefaultPolicy.RemindDaysBefore
	}
	if pol.GraceDays == 0 {
		pol.GraceDays = DefaultPolicy.GraceDays
	}
	if pol.MaxMissed == 0 {
		pol.MaxMissed = DefaultPolicy.MaxMissed
	}
	return pol
}

// Sequence is the creditor's sequence for a regime and stage.
func (p Policy) Sequence(regime, stage string) []SequenceDef {
	if s, ok := p.Sequences[regime+"/"+stage]; ok {
		return s
	}
	return DefaultSequences[regime+"/"+stage]
}
