package aistats

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScopesUnmarshalJSON(t *testing.T) {
	t.Parallel()
	readWrite := Scopes{"read", "write"}
	tests := []struct {
		name    string
		in      string
		want    Scopes // nil: no scopes
		wantErr bool
	}{
		{name: "array", in: `["read","write"]`, want: readWrite},
		{name: "JSON array inside a string", in: `"[\"read\",\"write\"]"`, want: readWrite},
		{name: "comma separated", in: `"read,write"`, want: readWrite},
		{name: "space separated", in: `"read write"`, want: readWrite},
		{name: "comma and space", in: `"read, write"`, want: readWrite},
		{name: "tabs, newlines and repeated separators", in: `"read\t,\n write,,"`, want: readWrite},
		{name: "single scope", in: `"keys:read"`, want: Scopes{"keys:read"}},
		{name: "empty string", in: `""`},
		{name: "null", in: `null`},
		{name: "empty array inside a string", in: `"[]"`},
		{name: "empty array", in: `[]`},
		{name: "array entries are trimmed, blanks dropped", in: `[" read ","","write"]`, want: readWrite},
		{name: "whitespace around an array", in: " \n [\"read\",\"write\"] \t", want: readWrite},
		{name: "whitespace around a string", in: ` "  read,write  " `, want: readWrite},
		{name: "number", in: `42`, wantErr: true},
		{name: "boolean", in: `true`, wantErr: true},
		{name: "object", in: `{"read":true}`, wantErr: true},
		{name: "array of numbers", in: `[1,2]`, wantErr: true},
		// Stored verbatim by the server: read leniently, never an error.
		{name: "string that is a broken JSON array", in: `"[read, write]"`, want: readWrite},
		{name: "truncated null", in: `nul`, wantErr: true},
		{name: "empty input", in: ``, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Scopes{"previous"}
			err := s.UnmarshalJSON([]byte(tt.in))
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, s)
		})
	}
}

// TestScopesInsideAKey decodes through encoding/json, which handles null
// and whitespace itself before the method is reached.
func TestScopesInsideAKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Scopes
		wantErr bool
	}{
		{in: `{"scopes":"read write"}`, want: Scopes{"read", "write"}},
		{in: `{"scopes":null}`},
		{in: `{}`},
		{in: `{"scopes":7}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var k Key
			err := json.Unmarshal([]byte(tt.in), &k)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, k.Scopes)
		})
	}
}

func TestScopesMarshalJSONIsAlwaysAnArray(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   Scopes
		want string
	}{
		{nil, `[]`},
		{Scopes{}, `[]`},
		{Scopes{"read"}, `["read"]`},
		{Scopes{"read", "write"}, `["read","write"]`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.in)
		require.NoError(t, err)
		assert.Equal(t, tt.want, string(got), "Marshal(%#v)", tt.in)
	}
	// Inside a Key too, where a nil field would otherwise be null.
	got, err := json.Marshal(Key{ID: "k"})
	require.NoError(t, err)
	assert.Contains(t, string(got), `"scopes":[]`)
}

func TestParseScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Scopes
	}{
		{in: ``},
		{in: `   `},
		{in: `[]`},
		{in: `read`, want: Scopes{"read"}},
		{in: ` read , write `, want: Scopes{"read", "write"}},
		{in: `["read", "write"]`, want: Scopes{"read", "write"}},
		// Not JSON, stored verbatim by the server: split leniently.
		{in: `[read, write`, want: Scopes{"read", "write"}},
		{in: `["read", 1]`, want: Scopes{"read", "1"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ParseScopes(tt.in), "ParseScopes(%q)", tt.in)
	}
}

func TestKeyJSONRoundTrip(t *testing.T) {
	t.Parallel()
	lastUsed := time.Date(2026, 3, 11, 8, 30, 0, 123456789, time.UTC)
	tests := []Key{
		{
			ID: testKeyID, Name: "CI pipeline key", Prefix: "Q7xk2P", Status: KeyStatusActive,
			Scopes: Scopes{"read", "write"}, TeamID: "team", WorkspaceID: "team", CreatedBy: "user", SoftBlocked: true,
			CreatedAt: time.Date(2026, 3, 10, 14, 2, 11, 482e6, time.UTC), LastUsedAt: &lastUsed,
		},
		{ID: "minimal", Status: "paused", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, want := range tests {
		t.Run(want.ID, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(want)
			require.NoError(t, err)
			var got Key
			require.NoError(t, json.Unmarshal(b, &got), "%s", b)
			assert.Equal(t, &want, inUTC(&got), "%s", b)
		})
	}
}

func FuzzScopesUnmarshal(f *testing.F) {
	for _, s := range []string{
		`"[\"read\",\"write\"]"`, `"read,write"`, `"read write"`, `" read ,\twrite\n"`, `"[]"`, `""`, `null`,
		`["keys:read","keys:write"]`, `["a,b"," c ",""]`, `[]`, `"[\"a\""`, `"garbage["`, `"[1,2]"`,
		`123`, `{}`, `true`, `nul`, `[null]`, `"\u00a0read\u2028write"`, ` [ "x" ] `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Scopes
		if err := s.UnmarshalJSON(data); err != nil {
			return
		}
		for i, v := range s {
			if v == "" || v != strings.TrimSpace(v) {
				t.Fatalf("entry %d %q is empty or untrimmed (from %q)", i, v, data)
			}
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("re-marshal %q: %v", s, err)
		}
		if len(out) == 0 || out[0] != '[' {
			t.Fatalf("re-marshal is not a JSON array: %s", out)
		}
		var back Scopes
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decoding our own output %s: %v", out, err)
		}
		if !reflect.DeepEqual(s, back) {
			t.Fatalf("round trip changed the scopes: %q -> %s -> %q", s, out, back)
		}
	})
}

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

// Finding: a single key whose stored scopes string merely starts with '['
// (server stores scope strings verbatim, contract §2.2/§5) makes the whole
// page undecodable, so List/All can never get past it.
func TestVerbatimGarbageScopesDoNotBreakList(t *testing.T) {
	body := `{"ok":true,"limit":50,"offset":0,"total":1,"keys":[{"id":"a","name":"x","prefix":"p","status":"active","scopes":"[read, write]","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null}]}`
	c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}))
	page, err := c.Keys.List(context.Background(), nil)
	if err != nil {
		t.Fatalf("List fails on one key with verbatim-stored scopes %q: %v", "[read, write]", err)
	}
	if got := page.Keys[0].Scopes.String(); got != "read,write" {
		t.Errorf("scopes %q, want read,write", got)
	}
}
