package aistatstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersions(t *testing.T) {
	july := newServer(t)
	assert.Equal(t, aistats.APIVersionJuly2026, july.APIVersion(), "the default")
	assert.Regexp(t, managementKeyPattern, july.ManagementKey)
	assert.Len(t, july.ManagementKey, 66)

	march := newServer(t, asMarch2026)
	assert.Equal(t, aistats.APIVersionMarch2026, march.APIVersion())
	assert.Regexp(t, plaintextPattern, march.ManagementKey)
	assert.Empty(t, march.Keys(), "the 2026-03 key is not a row")

	explicit := newServer(t, WithAPIVersion(aistats.APIVersionJuly2026))
	assert.Equal(t, aistats.APIVersionJuly2026, explicit.APIVersion())

	assert.PanicsWithValue(t, `aistatstest: NewServer: unknown API version "2026-05"; want "2026-07" or "2026-03"`,
		func() { NewServer(WithAPIVersion("2026-05")) })
}

func TestServerKeyJuly2026(t *testing.T) {
	s := newServer(t, WithOwnerID("owner"))
	keys := s.Keys()
	require.Len(t, keys, 1)
	own := keys[0]
	assert.Equal(t, "aistatstest", own.Name)
	assert.Len(t, own.Scopes, 30, "full control")
	assert.Equal(t, aistats.KeyStatusActive, own.Status)
	assert.Equal(t, "owner", own.CreatedBy)
	assert.True(t, strings.HasPrefix(s.ManagementKey, "phaseo_v1_mk_"+own.Prefix))
	listed := dataList(t, do(t, s, http.MethodGet, "/management-keys", ""))
	require.Len(t, listed, 1)
	assert.Equal(t, own.ID, listed[0]["id"], "the caller's own key is listed")
}

func TestWorkspaceOptions(t *testing.T) {
	for _, opt := range []ServerOption{WithTeamID("ws-1"), WithWorkspaceID("ws-1")} {
		s := newServer(t, opt)
		assert.Equal(t, "ws-1", s.TeamID)
		assert.Equal(t, "ws-1", s.WorkspaceID)
		assert.Equal(t, "ws-1", s.AddAPIKey(APIKeySpec{}).WorkspaceID)
	}
	s := newServer(t)
	assert.Equal(t, s.TeamID, s.WorkspaceID)
	assert.Regexp(t, uuidV4Pattern, s.WorkspaceID)
}

func TestSeedManagementKeysJuly2026(t *testing.T) {
	s := newServer(t)
	used := time.Date(2026, 8, 1, 1, 2, 3, 456789123, time.UTC)
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	updated := time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC)
	k := s.AddKey(KeySpec{
		Name: "ops", Status: "paused", Scopes: "keys:read, keys:write", WorkspaceID: "ws", CreatedBy: "u1",
		SoftBlocked: true, LastUsedAt: &used, ExpiresAt: &expires, UpdatedAt: &updated,
		ID: "{0C5D8E2A-1B3F-4C6D-8E9F-A0B1C2D3E4F5}", CreatedAt: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
	})
	assert.Equal(t, "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5", k.ID)
	assert.Equal(t, aistats.Scopes{"keys:read", "keys:write"}, k.Scopes)
	assert.Equal(t, "ws", k.WorkspaceID)
	assert.Equal(t, "ws", k.TeamID)
	assert.Equal(t, time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), *k.ExpiresAt, "UTC")
	assert.Equal(t, updated, *k.UpdatedAt)
	assert.Equal(t, used.Truncate(time.Microsecond), *k.LastUsedAt)
	assert.Equal(t, aistats.Limits{}, k.Limits)

	got, ok := s.Key(strings.ToUpper(k.ID))
	require.True(t, ok)
	assert.Equal(t, k, got)

	for _, tc := range []struct {
		stored string
		want   aistats.Scopes
	}{
		{"", nil},
		{"[]", nil},
		{`["keys:read"," keys:write ",""]`, aistats.Scopes{"keys:read", "keys:write"}},
		{`[1,null,true]`, aistats.Scopes{"1", "null", "true"}},
		{"keys:read keys:write", aistats.Scopes{"keys:read", "keys:write"}},
		{`"keys:read"`, aistats.Scopes{`"keys:read"`}},
		{"[broken", aistats.Scopes{"[broken"}},
	} {
		k := s.AddKey(KeySpec{Scopes: tc.stored})
		assert.Equal(t, tc.want, k.Scopes, "%q", tc.stored)
		wire := []any{}
		for _, sc := range tc.want {
			wire = append(wire, sc)
		}
		assert.Equal(t, wire, data(t, do(t, s, http.MethodGet, "/management-keys/"+k.ID, ""))["scopes"], "%q", tc.stored)
	}

	seeded := s.SeedKeys(2)
	assert.Equal(t, "key-0001", seeded[0].Name)
	assert.True(t, seeded[1].CreatedAt.After(seeded[0].CreatedAt))
	assert.Equal(t, seeded[0].CreatedAt, *seeded[0].UpdatedAt, "updated_at defaults to created_at")

	assert.PanicsWithValue(t, `aistatstest: AddKey: TeamID "a" and WorkspaceID "b" differ`,
		func() { s.AddKey(KeySpec{TeamID: "a", WorkspaceID: "b"}) })
	assert.PanicsWithValue(t, `aistatstest: MintKey: ID "x" is not a UUID`, func() { s.MintKey(KeySpec{ID: "x"}) })
	assert.Panics(t, func() { s.MintKey(KeySpec{ID: k.ID}) }, "duplicate")
}

// Keys must say what a client decoding GET /management-keys/{id} sees.
func TestKeysAgreeWithGetJuly2026(t *testing.T) {
	s := newServer(t)
	used := time.Date(2026, 8, 1, 0, 0, 0, 5000, time.UTC)
	s.AddKey(KeySpec{Name: "a", Scopes: `["keys:read"]`, LastUsedAt: &used, SoftBlocked: true})
	id := s.SeedKeys(1)[0].ID
	do(t, s, http.MethodPatch, "/management-keys/"+id, `{"dailyRequests":3,"monthlyCostNanos":4,"expiresAt":"2030-01-01"}`)
	for _, want := range s.Keys()[:2] {
		var env struct {
			Data struct {
				ID          string         `json:"id"`
				Name        string         `json:"name"`
				Scopes      aistats.Scopes `json:"scopes"`
				WorkspaceID string         `json:"workspace_id"`
				SoftBlocked bool           `json:"soft_blocked"`
				CreatedAt   time.Time      `json:"created_at"`
				UpdatedAt   *time.Time     `json:"updated_at"`
				LastUsedAt  *time.Time     `json:"last_used_at"`
				ExpiresAt   *time.Time     `json:"expires_at"`
				Daily       *int64         `json:"daily_limit_requests"`
				Monthly     *int64         `json:"monthly_limit_cost_nanos"`
			}
		}
		require.NoError(t, json.Unmarshal([]byte(do(t, s, http.MethodGet, "/management-keys/"+want.ID, "").body), &env))
		got := env.Data
		assert.Equal(t, want.ID, got.ID)
		assert.Equal(t, want.Name, got.Name)
		assert.Equal(t, want.Scopes, got.Scopes)
		assert.Equal(t, want.WorkspaceID, got.WorkspaceID)
		assert.Equal(t, want.SoftBlocked, got.SoftBlocked)
		assert.Equal(t, want.Limits.Daily.Requests, got.Daily)
		assert.Equal(t, want.Limits.Monthly.CostNanos, got.Monthly)
		sameTime(t, want.ExpiresAt, got.ExpiresAt)
		sameTime(t, want.UpdatedAt, got.UpdatedAt)
		sameTime(t, &want.CreatedAt, &got.CreatedAt)
		sameTime(t, want.LastUsedAt, got.LastUsedAt)
	}
}

// sameTime asserts two nullable instants are equal, whatever their zone.
func sameTime(t *testing.T, want, got *time.Time) {
	t.Helper()
	if assert.Equal(t, want == nil, got == nil) && want != nil {
		assert.True(t, want.Equal(*got), "%s vs %s", want, got)
	}
}

func TestMintKey(t *testing.T) {
	s := newServer(t)
	created := s.MintKey(KeySpec{Name: "ci", Scopes: `["keys:read"]`})
	assert.Regexp(t, managementKeyPattern, created.Secret.Reveal())
	assert.True(t, strings.HasPrefix(created.Secret.Reveal(), "phaseo_v1_mk_"+created.Prefix))
	assert.NotContains(t, fmt.Sprintf("%v %+v", created, created), created.Secret.Reveal(), "redacted when printed")
	stored, ok := s.Key(created.ID)
	require.True(t, ok)
	assert.Equal(t, created.Key, stored)
	assert.Equal(t, http.StatusOK, doAs(t, s, created.Secret.Reveal(), http.MethodGet, "/keys", "").status)

	march := newServer(t, asMarch2026)
	old := march.MintKey(KeySpec{Name: "legacy"})
	assert.Regexp(t, plaintextPattern, old.Secret.Reveal())
	r := doAuth(t, march, http.MethodGet, march.URL+"/management/keys", "", "Bearer "+old.Secret.Reveal())
	assert.Equal(t, http.StatusUnauthorized, r.status, "2026-03 accepts only its own key")
	assert.Len(t, march.Keys(), 1)
}

func TestSeedAPIKeys(t *testing.T) {
	s := newServer(t, WithOwnerID("owner"))
	first := s.SeedAPIKeys(3)
	more := s.SeedAPIKeys(1)
	require.Len(t, first, 3)
	assert.Equal(t, "api-key-0001", first[0].Name)
	assert.Equal(t, "api-key-0004", more[0].Name, "numbering continues")
	for i, k := range first {
		assert.Equal(t, aistats.KeyStatusActive, k.Status)
		assert.Regexp(t, hashPattern, k.Hash)
		assert.Equal(t, s.WorkspaceID, k.WorkspaceID)
		assert.Equal(t, "owner", k.CreatedBy)
		assert.Regexp(t, `^[A-Za-z0-9]{6}$`, k.Prefix)
		if i > 0 {
			assert.True(t, k.CreatedAt.After(first[i-1].CreatedAt))
		}
	}
	var listed []string
	for _, k := range s.APIKeys() {
		listed = append(listed, k.Name)
	}
	assert.Equal(t, []string{"api-key-0004", "api-key-0003", "api-key-0002", "api-key-0001"}, listed)
	assert.Empty(t, s.SeedAPIKeys(0))
	assert.Equal(t, []string{"api-key-0004", "api-key-0003"}, names(t, do(t, s, http.MethodGet, "/keys?limit=2", "")))
}

func TestAddAPIKey(t *testing.T) {
	s := newServer(t)
	used := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	limit := 5.0
	k := s.AddAPIKey(APIKeySpec{
		Name: "ops", Status: aistats.KeyStatusPaused, SoftBlocked: true, Limit: &limit, LimitReset: aistats.LimitResetWeekly,
		ExpiresAt: &used, LastUsedAt: &used, ID: "0B7E6F0A-3C1D-4E2B-9F8A-7C6D5E4F3A21", Prefix: "Q7xk2P",
		WorkspaceID: "ws", CreatedBy: "u1", CreatedAt: used,
	})
	assert.Equal(t, "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21", k.ID)
	assert.Equal(t, aistats.KeyStatusPaused, k.Status)
	assert.True(t, k.Disabled)
	assert.Equal(t, 5.0, *k.Limit)
	assert.Equal(t, aistats.LimitResetWeekly, k.LimitReset)
	assert.Equal(t, "Q7xk2P", k.Prefix)
	assert.Equal(t, "ws", k.WorkspaceID)
	assert.Equal(t, "u1", k.CreatedBy)
	assert.Equal(t, used, k.CreatedAt)
	assert.Equal(t, used, *k.ExpiresAt)
	assert.Nil(t, k.UpdatedAt)
	got, ok := s.APIKeyByID(strings.ToUpper(k.ID))
	require.True(t, ok)
	assert.Equal(t, k, got)
	got, ok = s.APIKeyByID(k.Hash)
	require.True(t, ok)
	assert.Equal(t, k, got)
	_, ok = s.APIKeyByID("nope")
	assert.False(t, ok)

	gone := s.AddAPIKey(APIKeySpec{Status: aistats.KeyStatusDeleted})
	assert.Equal(t, "deleted:"+gone.ID, gone.Hash, "a seeded tombstone looks like one")
	zero := 0.0
	assert.Nil(t, s.AddAPIKey(APIKeySpec{Limit: &zero}).Limit, "0 is no limit")

	for want, spec := range map[string]APIKeySpec{
		`aistatstest: AddAPIKey: ID "pk_1" is not a UUID`:                        {ID: "pk_1"},
		"aistatstest: AddAPIKey: an API key with ID " + k.ID + " already exists": {ID: k.ID},
		"aistatstest: AddAPIKey: Limit -1 is not a non-negative number":          {Limit: ptr(-1.0)},
		`aistatstest: AddAPIKey: LimitReset "yearly" is not daily, weekly or monthly`: {Limit: &limit,
			LimitReset: "yearly"},
	} {
		assert.PanicsWithValue(t, want, func() { s.AddAPIKey(spec) })
	}
}

func TestAPIKeyHelpersPanicOnMarch2026(t *testing.T) {
	s := newServer(t, asMarch2026)
	for name, call := range map[string]func(){
		"AddAPIKey":   func() { s.AddAPIKey(APIKeySpec{}) },
		"SeedAPIKeys": func() { s.SeedAPIKeys(1) },
		"APIKeys":     func() { s.APIKeys() },
		"APIKeyByID":  func() { s.APIKeyByID("x") },
	} {
		assert.PanicsWithValue(t, "aistatstest: "+name+": API keys exist only on 2026-07 servers; this one speaks 2026-03", call)
	}
}

func TestClientCarriesTheVersion(t *testing.T) {
	for _, v := range []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026} {
		s := newServer(t, WithAPIVersion(v))
		c, err := s.Client()
		require.NoError(t, err)
		assert.Equal(t, v, c.APIVersion())
		assert.Equal(t, s.URL, c.BaseURL())
	}
}

func TestConcurrencyJuly2026(t *testing.T) {
	s := newServer(t)
	s.SeedAPIKeys(5)
	const n = 16
	var wg sync.WaitGroup
	statuses := make(chan int, 4*n)
	send := func(method, path, body string) {
		defer wg.Done()
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.ManagementKey)
		res, err := s.HTTPClient().Do(req)
		if err != nil {
			statuses <- 0
			return
		}
		res.Body.Close()
		statuses <- res.StatusCode
	}
	for i := range n {
		wg.Add(5)
		go send(http.MethodPost, "/keys", fmt.Sprintf(`{"name":"k%d"}`, i))
		go send(http.MethodPost, "/management-keys", fmt.Sprintf(`{"name":"m%d","scopes":"keys:read"}`, i))
		go send(http.MethodGet, "/keys?include_disabled=1", "")
		go send(http.MethodGet, "/management-keys", "")
		go func() { // the helpers race with the handlers
			defer wg.Done()
			_, _ = s.APIKeys(), s.Keys()
		}()
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		assert.Contains(t, []int{http.StatusOK, http.StatusCreated}, st)
	}
	assert.Len(t, s.APIKeys(), 5+n)
	assert.Len(t, s.Keys(), 1+n)
	assert.Equal(t, 4*n, s.RequestCount())
	seen := map[string]bool{}
	for _, k := range s.APIKeys() {
		assert.False(t, seen[k.Hash], "distinct hashes")
		seen[k.Hash] = true
	}
}
