package aistats

import (
	"encoding/json"
	"testing"
)

// FuzzWireTime: wireTime decodes exactly what parseTime does.
func FuzzWireTime(f *testing.F) {
	for _, s := range []string{`"2026-03-10T14:02:11.482+00:00"`, `"2026-03-10T14:02:11Z"`, `null`, `""`, `"2026-03-10 14:02:11+00"`,
		`"2026-03-10T14:02:11\u002e5Z"`, `12`, `"x"`, `"2026-03-10T14:02:11.482+02:00"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return
		}
		want, wantErr := parseTime(json.RawMessage(s))
		var w wireTime
		if err := w.UnmarshalJSON([]byte(s)); err != nil {
			t.Fatal(err)
		}
		got, ok, gotErr := w.value()
		if (wantErr != nil) != (gotErr != nil) || (want != nil) != ok || (ok && (!got.Equal(*want) || got.Location() != want.Location())) {
			t.Fatalf("%s: wireTime %v %v %v, parseTime %v %v", s, got, ok, gotErr, want, wantErr)
		}
	})
}
