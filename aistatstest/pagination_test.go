package aistatstest

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListPaginationParsing(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.SeedKeys(300)
	for _, tc := range []struct {
		query       string
		limit       int
		offset      int
		first       string // name of the first key on the page, "" for none
		wantEntries int
	}{
		{"", 50, 0, "key-0300", 50},
		{"limit=", 50, 0, "key-0300", 50},
		{"limit=abc", 50, 0, "key-0300", 50},
		{"limit=0", 50, 0, "key-0300", 50},
		{"limit=-5", 50, 0, "key-0300", 50},
		{"limit=0.9", 50, 0, "key-0300", 50}, // floors to 0, then defaults
		{"limit=2.9", 2, 0, "key-0300", 2},
		{"limit=1e2", 100, 0, "key-0300", 100},
		{"limit=0x10", 16, 0, "key-0300", 16},
		{"limit=+3", 3, 0, "key-0300", 3},
		{"limit=%207%20", 7, 0, "key-0300", 7},
		{"limit=Infinity", 50, 0, "key-0300", 50},
		{"limit=251", 250, 0, "key-0300", 250},
		{"limit=99999", 250, 0, "key-0300", 250},
		{"limit=1_0", 50, 0, "key-0300", 50},
		{"limit=10&limit=3", 10, 0, "key-0300", 10}, // first value wins
		{"offset=-1", 50, 0, "key-0300", 50},
		{"offset=x", 50, 0, "key-0300", 50},
		{"offset=3.7&limit=1", 1, 3, "key-0297", 1},
		{"offset=1e1&limit=1", 1, 10, "key-0290", 1},
		{"offset=299", 50, 299, "key-0001", 1},
		{"offset=300", 50, 300, "", 0},
		{"offset=100000", 50, 100000, "", 0},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/management/keys?"+tc.query, "")
			require.Equal(t, http.StatusOK, r.status, r.body)
			m := r.json(t)
			assert.EqualValues(t, tc.limit, m["limit"], "echoed limit")
			assert.EqualValues(t, tc.offset, m["offset"], "echoed offset")
			assert.EqualValues(t, 300, m["total"])
			names := keyNames(t, r)
			assert.Len(t, names, tc.wantEntries)
			if tc.first != "" && len(names) > 0 {
				assert.Equal(t, tc.first, names[0])
			}
		})
	}
}

func TestListEmptyPageIsAnEmptyArray(t *testing.T) {
	s := newServer(t, asMarch2026)
	r := do(t, s, http.MethodGet, "/management/keys", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, `"keys": []`)
	assert.Contains(t, r.body, `"total": 0`)
}

func TestListIsNewestFirstAcrossPages(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.SeedKeys(5)
	var got []string
	for offset := 0; offset < 5; offset += 2 {
		got = append(got, keyNames(t, do(t, s, http.MethodGet, fmt.Sprintf("/management/keys?limit=2&offset=%d", offset), ""))...)
	}
	assert.Equal(t, []string{"key-0005", "key-0004", "key-0003", "key-0002", "key-0001"}, got)
}

func TestListItemsLackDetailFields(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.AddKey(KeySpec{Name: "a", SoftBlocked: true})
	keys := do(t, s, http.MethodGet, "/management/keys", "").json(t)["keys"].([]any)
	require.Len(t, keys, 1)
	assert.Equal(t,
		[]string{"created_at", "id", "last_used_at", "name", "prefix", "scopes", "status"},
		sortedKeys(keys[0].(map[string]any)))
}

func TestListTeamScope(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.SeedKeys(1)
	s.AddKey(KeySpec{Name: "other team", TeamID: newUUID()})

	own := do(t, s, http.MethodGet, "/management/keys?team_id="+s.TeamID, "")
	require.Equal(t, http.StatusOK, own.status)
	assert.Equal(t, []string{"key-0001"}, keyNames(t, own), "other teams' keys are invisible")
	assert.EqualValues(t, 1, own.json(t)["total"])

	blank := do(t, s, http.MethodGet, "/management/keys?team_id=%20", "")
	assert.Equal(t, http.StatusOK, blank.status, "a blank team_id means the caller's team")

	other := do(t, s, http.MethodGet, "/management/keys?team_id="+url.QueryEscape(newUUID()), "")
	assert.Equal(t, http.StatusForbidden, other.status)
	assert.JSONEq(t, `{"ok":false,"error":"forbidden","message":"team_id must match authenticated team"}`, other.body)
	assert.Equal(t, "no-store", other.header.Get("Cache-Control"))
}

func TestListTimestampsAndLastUsed(t *testing.T) {
	s := newServer(t, asMarch2026)
	used := time.Date(2026, 3, 11, 8, 30, 0, 123456789, time.FixedZone("CET", 3600))
	s.AddKey(KeySpec{Name: "a", CreatedAt: time.Date(2026, 3, 10, 14, 2, 11, 480e6, time.UTC), LastUsedAt: &used})
	k := do(t, s, http.MethodGet, "/management/keys", "").json(t)["keys"].([]any)[0].(map[string]any)
	assert.Equal(t, "2026-03-10T14:02:11.48+00:00", k["created_at"], "trailing zeros dropped like Postgres")
	assert.Equal(t, "2026-03-11T07:30:00.123456+00:00", k["last_used_at"], "UTC, microseconds")
}
