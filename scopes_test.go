package aistats

import (
	"encoding/json"
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
