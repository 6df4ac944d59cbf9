package aistats

import (
	"encoding/json"
	"reflect"
	"testing"
)

// slowScopes is Scopes.UnmarshalJSON without its fast paths.
func slowScopes(b []byte) (Scopes, error) {
	switch b[0] {
	case '[':
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, err
		}
		return cleanScopes(list), nil
	case '"':
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return nil, err
		}
		return ParseScopes(str), nil
	}
	return nil, nil
}

// FuzzScopesFastPath: the fast paths decode exactly what the general path
// does, or step aside.
func FuzzScopesFastPath(f *testing.F) {
	for _, s := range []string{`"[\"read\",\"write\"]"`, `"read,write"`, `""`, `" "`, `","`, `"[]"`, `"[read]"`, `"read,,write"`,
		`"[\" read \", \"write\"]"`, `["read","write"]`, `[]`, `[ "a" , "b" ]`, `["a\"b"]`, `[1]`, `[null]`, `"[\"a\",]"`,
		`"[\"a\" \"b\"]"`, `"read write"`, `" [\"read\"] "`, `"[\"a\\\"b\"]"`, `"[\t\"a\"]"`, `["é"]`, `"é,a"`, "[\n\"a\"\n]", `"[\"\"]"`, `[""]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) || (s[0] != '"' && s[0] != '[') {
			return
		}
		want, wantErr := slowScopes([]byte(s))
		var got Scopes
		gotErr := got.UnmarshalJSON([]byte(s))
		if (wantErr != nil) != (gotErr != nil) || !reflect.DeepEqual(want, got) {
			t.Fatalf("%s: fast path %q %v, general path %q %v", s, got, gotErr, want, wantErr)
		}
	})
}

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
