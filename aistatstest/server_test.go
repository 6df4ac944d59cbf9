package aistatstest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewServerShape(t *testing.T) {
	s := newServer(t, asMarch2026)
	assert.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"), s.URL)
	assert.True(t, strings.HasSuffix(s.URL, "/v1"), s.URL)
	assert.Regexp(t, plaintextPattern, s.ManagementKey)
	assert.Regexp(t, uuidV4Pattern, s.TeamID)
	assert.Regexp(t, uuidV4Pattern, s.OwnerID)
	assert.NotEqual(t, s.ManagementKey, newServer(t, asMarch2026).ManagementKey, "random per server")
}

func TestRequestsAreRecorded(t *testing.T) {
	s := newServer(t, asMarch2026)
	do(t, s, http.MethodGet, "/management/keys?limit=5&offset=10", "")
	do(t, s, http.MethodPost, "/management/keys", `{"name":"a","scopes":["x"],"n":1.5}`)
	doAuth(t, s, http.MethodPatch, s.URL+"/management/keys/"+newUUID(), "not json", "")

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, 3, s.RequestCount())

	assert.Equal(t, 1, reqs[0].N)
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Equal(t, "/v1/management/keys", reqs[0].Path)
	assert.Equal(t, "5", reqs[0].Query.Get("limit"))
	assert.Equal(t, "10", reqs[0].Query.Get("offset"))
	assert.Nil(t, reqs[0].Body)
	assert.Equal(t, []string{Redacted}, reqs[0].Header.Values("Authorization"))

	assert.Equal(t, 2, reqs[1].N)
	assert.Equal(t, "a", reqs[1].Body["name"])
	assert.Equal(t, []any{"x"}, reqs[1].Body["scopes"])
	assert.Equal(t, json.Number("1.5"), reqs[1].Body["n"])
	assert.JSONEq(t, `{"name":"a","scopes":["x"],"n":1.5}`, string(reqs[1].RawBody))

	assert.Equal(t, 3, reqs[2].N)
	assert.Nil(t, reqs[2].Body, "not JSON")
	assert.Equal(t, "not json", string(reqs[2].RawBody))
	assert.Empty(t, reqs[2].Header.Values("Authorization"), "none was sent")

	for _, r := range reqs {
		assert.NotContains(t, r.Header.Get("Authorization"), s.ManagementKey)
	}

	reqs[0].Query.Set("limit", "changed")
	reqs[0].Header.Set("Authorization", "changed")
	again := s.Requests()[0]
	assert.Equal(t, "5", again.Query.Get("limit"), "callers get copies")
	assert.Equal(t, Redacted, again.Header.Get("Authorization"))
}

func TestConcurrentCreates(t *testing.T) {
	s := newServer(t, asMarch2026)
	const n = 32
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"name":"k` + string(rune('a'+i%26)) + `"}`
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/management/keys", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+s.ManagementKey)
			res, err := s.HTTPClient().Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		assert.Equal(t, http.StatusCreated, st)
	}

	keys := s.Keys()
	assert.Len(t, keys, n)
	assert.Equal(t, n, s.RequestCount())
	ids := map[string]bool{}
	for i, k := range keys {
		ids[k.ID] = true
		if i > 0 {
			assert.True(t, keys[i-1].CreatedAt.After(k.CreatedAt), "distinct created_at, newest first")
		}
	}
	assert.Len(t, ids, n)
	listed := do(t, s, http.MethodGet, "/management/keys?limit=250", "").json(t)
	assert.EqualValues(t, n, listed["total"])
}

func TestSeedKeys(t *testing.T) {
	s := newServer(t, asMarch2026)
	first := s.SeedKeys(3)
	more := s.SeedKeys(2)
	require.Len(t, first, 3)
	assert.Equal(t, "key-0001", first[0].Name)
	assert.Equal(t, "key-0003", first[2].Name)
	assert.Equal(t, "key-0004", more[0].Name, "numbering continues")

	var names []string
	for i, k := range s.Keys() {
		names = append(names, k.Name)
		assert.Equal(t, aistats.KeyStatusActive, k.Status)
		assert.Equal(t, s.TeamID, k.TeamID)
		assert.Regexp(t, `^[A-Za-z0-9]{6}$`, k.Prefix)
		if i > 0 {
			assert.True(t, s.Keys()[i-1].CreatedAt.After(k.CreatedAt))
		}
	}
	assert.Equal(t, []string{"key-0005", "key-0004", "key-0003", "key-0002", "key-0001"}, names)
	assert.Empty(t, s.SeedKeys(0))
}

func TestAddKey(t *testing.T) {
	s := newServer(t, asMarch2026)
	used := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	k := s.AddKey(KeySpec{
		Name: "ops", Status: "paused", Scopes: "read write", CreatedBy: "u1",
		SoftBlocked: true, LastUsedAt: &used, ID: "{0C5D8E2A-1B3F-4C6D-8E9F-A0B1C2D3E4F5}",
	})
	assert.Equal(t, "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5", k.ID, "canonical id")
	assert.Equal(t, aistats.KeyStatus("paused"), k.Status, "any status can be seeded")
	assert.Equal(t, aistats.Scopes{"read", "write"}, k.Scopes)
	assert.Equal(t, "u1", k.CreatedBy)
	assert.True(t, k.SoftBlocked)
	require.NotNil(t, k.LastUsedAt)
	assert.True(t, used.Equal(*k.LastUsedAt))

	got, ok := s.Key(strings.ToUpper(k.ID))
	require.True(t, ok)
	assert.Equal(t, k, got)
	_, ok = s.Key("nope")
	assert.False(t, ok)

	assert.PanicsWithValue(t, `aistatstest: AddKey: ID "pk_1" is not a UUID`, func() { s.AddKey(KeySpec{ID: "pk_1"}) })
	assert.Panics(t, func() { s.AddKey(KeySpec{ID: k.ID}) }, "duplicate id")
}

// Keys and Key must say what a client decoding GET /management/keys/{id}
// would see.
func TestKeysAgreeWithGet(t *testing.T) {
	s := newServer(t, asMarch2026)
	used := time.Date(2026, 3, 1, 12, 0, 0, 5000, time.UTC)
	s.AddKey(KeySpec{Name: "a", Scopes: `["r","w"]`, LastUsedAt: &used, SoftBlocked: true})
	s.SeedKeys(1)
	for _, want := range s.Keys() {
		var env struct{ Key aistats.Key }
		require.NoError(t, json.Unmarshal([]byte(do(t, s, http.MethodGet, "/management/keys/"+want.ID, "").body), &env))
		got := env.Key
		assert.True(t, want.CreatedAt.Equal(got.CreatedAt), "%s vs %s", want.CreatedAt, got.CreatedAt)
		assert.Equal(t, want.LastUsedAt == nil, got.LastUsedAt == nil)
		if want.LastUsedAt != nil {
			assert.True(t, want.LastUsedAt.Equal(*got.LastUsedAt))
		}
		want.CreatedAt, got.CreatedAt, want.LastUsedAt, got.LastUsedAt = time.Time{}, time.Time{}, nil, nil
		assert.Equal(t, want, got)
	}
}

func TestWithClock(t *testing.T) {
	frozen := time.Date(2026, 3, 10, 14, 2, 11, 482_900_000, time.UTC)
	s := newServer(t, asMarch2026, WithClock(func() time.Time { return frozen }))
	var stamps []string
	for range 3 {
		stamps = append(stamps, do(t, s, http.MethodPost, "/management/keys", `{"name":"a"}`).key(t)["created_at"].(string))
	}
	assert.Equal(t, []string{
		"2026-03-10T14:02:11.482+00:00", // milliseconds, like Date.toISOString
		"2026-03-10T14:02:11.483+00:00", // a frozen clock still moves keys apart
		"2026-03-10T14:02:11.484+00:00",
	}, stamps)
}

func TestOptions(t *testing.T) {
	s := newServer(t, asMarch2026, WithTeamID("team-1"), WithOwnerID("owner-1"))
	assert.Equal(t, "team-1", s.TeamID)
	k := do(t, s, http.MethodPost, "/management/keys", `{"name":"a"}`).key(t)
	stored, _ := s.Key(k["id"].(string))
	assert.Equal(t, "team-1", stored.TeamID)
	assert.Equal(t, "owner-1", stored.CreatedBy)
}
