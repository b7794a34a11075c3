package dialogs

import (
	"encoding/json"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

func jsonRoundTrip(st State) (State, error) {
	raw, err := json.Marshal(st)
	if err != nil {
		return State{}, err
	}
	var out State
	return out, json.Unmarshal(raw, &out)
}

// BenchmarkStepTurn is one full verified turn: "hoeveel moet ik nog
// betalen?" understood, the balance computed, formatted and put in the
// dossier, and the state stored as JSON the way the runtime does.
func BenchmarkStepTurn(b *testing.B) {
	c := fixtureCase(casestore.Minnelijk)
	st := stateAt(NodeMenu, true, convNow)
	v := View{Case: c}
	ev := Event{Kind: EventText, Text: "hoeveel moet ik nog betalen?", Channel: "whatsapp", Phone: phoneOnFile}
	b.ReportAllocs()
	for b.Loop() {
		r := Step(st, ev, v, convNow)
		if len(r.Entries) != 1 {
			b.Fatal("no balance shown")
		}
		if _, err := json.Marshal(r.State); err != nil {
			b.Fatal(err)
		}
	}
}
