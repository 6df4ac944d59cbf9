package aistatstest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	apiKeyPattern = regexp.MustCompile(`^phaseo_v1_sk_([A-Za-z0-9]{12})_[A-Za-z0-9]{40}$`)
	hashPattern   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

func TestAPIKeyMatchesContractExample(t *testing.T) {
	s := newServer(t,
		WithWorkspaceID("5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"),
		WithOwnerID("3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"))
	limit := 25.0
	k := s.AddAPIKey(APIKeySpec{
		ID: "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21", Name: "CI pipeline", Prefix: "Q7xk2P", Limit: &limit,
		CreatedAt: time.Date(2026, 8, 20, 10, 11, 12, 345678000, time.UTC),
	})
	r := do(t, s, http.MethodGet, "/keys/"+k.ID, "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Equal(t, `{
  "data": {
    "id": "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21",
    "hash": "`+k.Hash+`",
    "workspace_id": "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c",
    "name": "CI pipeline",
    "label": "CI pipeline",
    "prefix": "Q7xk2P",
    "status": "active",
    "disabled": false,
    "soft_blocked": false,
    "include_byok_in_limit": false,
    "limit": 25,
    "limit_reset": "monthly",
    "created_by": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "creator_user_id": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "created_at": "2026-08-20T10:11:12.345678+00:00",
    "updated_at": null,
    "last_used_at": null,
    "expires_at": null
  }
}`, r.body)
	assert.Regexp(t, hashPattern, k.Hash)
}

func TestAPIKeyCreate(t *testing.T) {
	now := time.Date(2026, 8, 20, 10, 11, 12, 345_000_000, time.UTC)
	s := newServer(t, WithClock(func() time.Time { return now }))
	r := do(t, s, http.MethodPost, "/keys", `{"name":"  CI  ","limit":25,"include_byok_in_limit":true,"limits":{}}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Equal(t, append(apiKeyFields[:len(apiKeyFields):len(apiKeyFields)], "key"), fieldOrder(t, r.body))
	k := data(t, r)
	assert.Regexp(t, uuidV4Pattern, k["id"])
	assert.Regexp(t, hashPattern, k["hash"])
	assert.Equal(t, "CI", k["name"])
	assert.Equal(t, "CI", k["label"])
	assert.Equal(t, "active", k["status"])
	assert.Equal(t, false, k["disabled"])
	assert.Equal(t, false, k["include_byok_in_limit"])
	assert.EqualValues(t, 25, k["limit"])
	assert.Equal(t, "monthly", k["limit_reset"], "the default window")
	assert.Equal(t, s.OwnerID, k["created_by"], "the workspace owner")
	assert.Equal(t, s.OwnerID, k["creator_user_id"])
	assert.Equal(t, "2026-08-20T10:11:12.346+00:00", k["created_at"])
	assert.Nil(t, k["updated_at"])
	m := apiKeyPattern.FindStringSubmatch(k["key"].(string))
	require.NotNil(t, m, "plaintext %q", k["key"])
	assert.Equal(t, m[1][:6], k["prefix"])
	assert.Len(t, k["key"], 66)

	stored, ok := s.APIKeyByID(k["id"].(string))
	require.True(t, ok)
	assert.Equal(t, k["hash"], stored.Hash)
	require.NotNil(t, stored.Limit)
	assert.Equal(t, 25.0, *stored.Limit)
	assert.Equal(t, aistats.LimitResetMonthly, stored.LimitReset)
	byHash, ok := s.APIKeyByID(stored.Hash)
	require.True(t, ok)
	assert.Equal(t, stored, byHash)

	got := do(t, s, http.MethodGet, "/keys/"+k["id"].(string), "")
	delete(k, "key")
	assert.Equal(t, k, data(t, got))
}

func TestAPIKeyCreateFields(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name, body            string
		limit                 any // the answer's limit
		reset                 any
		status                string
		softBlocked, disabled bool
		expires               any
	}{
		{"defaults", `{"name":"a"}`, nil, nil, "active", false, false, nil},
		{"limit text", `{"name":"a","limit":"5"}`, 5.0, "monthly", "active", false, false, nil},
		{"limit true", `{"name":"a","limit":true}`, 1.0, "monthly", "active", false, false, nil},
		{"limit [7]", `{"name":"a","limit":[7]}`, 7.0, "monthly", "active", false, false, nil},
		{"limit hex", `{"name":"a","limit":"0x10"}`, 16.0, "monthly", "active", false, false, nil},
		{"limit fraction", `{"name":"a","limit":0.5,"limit_reset":" WEEKLY "}`, 0.5, "weekly", "active", false, false, nil},
		{"limit zero is none", `{"name":"a","limit":0,"limit_reset":"daily"}`, nil, nil, "active", false, false, nil},
		{"limit blank is none", `{"name":"a","limit":"   "}`, nil, nil, "active", false, false, nil},
		{"limit null", `{"name":"a","limit":null,"limit_reset":"daily"}`, nil, nil, "active", false, false, nil},
		{"limit empty string", `{"name":"a","limit":""}`, nil, nil, "active", false, false, nil},
		{"tiny limit rounds", `{"name":"a","limit":1e-10}`, nil, nil, "active", false, false, nil},
		{"reset without limit", `{"name":"a","limit_reset":"daily"}`, nil, nil, "active", false, false, nil},
		{"reset null", `{"name":"a","limit":3,"limit_reset":null}`, 3.0, "monthly", "active", false, false, nil},
		{"disabled", `{"name":"a","disabled":true}`, nil, nil, "paused", false, true, nil},
		{"disabled must be true", `{"name":"a","disabled":"true"}`, nil, nil, "active", false, false, nil},
		{"soft_blocked false", `{"name":"a","soft_blocked":false}`, nil, nil, "active", false, false, nil},
		{"soft_blocked Boolean()", `{"name":"a","soft_blocked":"false"}`, nil, nil, "active", true, true, nil},
		{"soft_blocked 0", `{"name":"a","soft_blocked":0}`, nil, nil, "active", false, false, nil},
		{"soft_blocked {}", `{"name":"a","soft_blocked":{}}`, nil, nil, "active", true, true, nil},
		{"expires_at date", `{"name":"a","expires_at":"2027-01-01"}`, nil, nil, "active", false, false, "2027-01-01T00:00:00+00:00"},
		{"expires_at offset", `{"name":"a","expires_at":"2027-01-01T01:00:00.5+01:00"}`, nil, nil, "active", false, false,
			"2027-01-01T00:00:00.5+00:00"},
		{"expires_at legacy", `{"name":"a","expires_at":"Fri, 01 Jan 2027 00:00:00 GMT"}`, nil, nil, "active", false, false,
			"2027-01-01T00:00:00+00:00"},
		{"expires_at past", `{"name":"a","expires_at":"2001-02-03"}`, nil, nil, "active", false, false, "2001-02-03T00:00:00+00:00"},
		{"expires_at blank", `{"name":"a","expires_at":" "}`, nil, nil, "active", false, false, nil},
		{"expires_at null", `{"name":"a","expires_at":null}`, nil, nil, "active", false, false, nil},
		{"number name", `{"name":42}`, nil, nil, "active", false, false, nil},
		{"array body", `[1]`, nil, nil, "", false, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPost, "/keys", tc.body)
			if tc.status == "" {
				wantError(t, r, http.StatusBadRequest, "bad_request", "name is required")
				return
			}
			require.Equal(t, http.StatusCreated, r.status, r.body)
			k := data(t, r)
			assert.Equal(t, tc.limit, k["limit"])
			assert.Equal(t, tc.reset, k["limit_reset"])
			assert.Equal(t, tc.status, k["status"])
			assert.Equal(t, tc.softBlocked, k["soft_blocked"])
			assert.Equal(t, tc.disabled, k["disabled"])
			assert.Equal(t, tc.expires, k["expires_at"])
		})
	}
}

func TestAPIKeyCreateValidation(t *testing.T) {
	s := newServer(t)
	const (
		badLimit   = "limit must be a non-negative number or null"
		badReset   = "limit_reset must be one of: daily, weekly, monthly"
		badExpires = "expires_at must be a valid ISO-8601 datetime or null"
	)
	for _, tc := range []struct{ name, path, body, code, message string }{
		{"broken JSON", "", `{`, "invalid_json", "Invalid JSON body"},
		{"empty body", "", ``, "invalid_json", "Invalid JSON body"},
		{"no name", "", `{}`, "bad_request", "name is required"},
		{"null name", "", `{"name":null}`, "bad_request", "name is required"},
		{"blank name", "", `{"name":"\t "}`, "bad_request", "name is required"},
		{"scopes", "", `{"name":"a","scopes":["x"]}`, "bad_request", msgNoAPIKeyScopes},
		{"null scopes", "", `{"name":"a","scopes":null}`, "bad_request", msgNoAPIKeyScopes},
		{"negative limit", "", `{"name":"a","limit":-1}`, "bad_request", badLimit},
		{"text limit", "", `{"name":"a","limit":"five"}`, "bad_request", badLimit},
		{"object limit", "", `{"name":"a","limit":{}}`, "bad_request", badLimit},
		{"infinite limit", "", `{"name":"a","limit":1e999}`, "bad_request", badLimit},
		{"two-element limit", "", `{"name":"a","limit":[1,2]}`, "bad_request", badLimit},
		{"unknown window", "", `{"name":"a","limit":1,"limit_reset":"yearly"}`, "bad_request", badReset},
		{"boolean window", "", `{"name":"a","limit_reset":true}`, "bad_request", badReset},
		{"invalid date", "", `{"name":"a","expires_at":"tomorrow"}`, "bad_request", badExpires},
		{"invalid month", "", `{"name":"a","expires_at":"2027-13-01"}`, "bad_request", badExpires},
		{"boolean date", "", `{"name":"a","expires_at":true}`, "bad_request", badExpires},
		{"name before scopes", "", `{"scopes":[]}`, "bad_request", "name is required"},
		{"scopes before limit", "", `{"name":"a","scopes":1,"limit":-1}`, "bad_request", msgNoAPIKeyScopes},
		{"limit before window", "", `{"name":"a","limit":-1,"limit_reset":"x"}`, "bad_request", badLimit},
		{"window before date", "", `{"name":"a","limit_reset":"x","expires_at":"x"}`, "bad_request", badReset},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, do(t, s, http.MethodPost, "/keys"+tc.path, tc.body), http.StatusBadRequest, tc.code, tc.message)
		})
	}
	t.Run("workspace_id", func(t *testing.T) {
		other := newUUID()
		forbidden := "{\n  \"ok\": false,\n  \"error\": \"forbidden\",\n  \"message\": \"workspace_id must match authenticated workspace\"\n}"
		for _, tc := range []struct {
			name, query, body string
			status            int
		}{
			{"other in body", "", `{"name":"a","workspace_id":"` + other + `"}`, 403},
			{"other in query", "?workspace_id=" + other, `{"name":"a"}`, 403},
			{"body string wins", "?workspace_id=" + other, `{"name":"a","workspace_id":""}`, 201},
			{"non-string body falls back", "?workspace_id=" + other, `{"name":"a","workspace_id":5}`, 403},
			{"own, padded", "", `{"name":"a","workspace_id":" ` + s.WorkspaceID + ` "}`, 201},
			{"checked before the name", "", `{"workspace_id":"` + other + `"}`, 403},
		} {
			r := do(t, s, http.MethodPost, "/keys"+tc.query, tc.body)
			require.Equal(t, tc.status, r.status, "%s: %s", tc.name, r.body)
			if tc.status == 403 {
				assert.Equal(t, forbidden, r.body, tc.name)
				assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
			}
		}
	})
	t.Run("null body is an uncaught exception", func(t *testing.T) {
		wantText(t, do(t, s, http.MethodPost, "/keys", `null`), http.StatusInternalServerError, "Internal Server Error")
	})
	t.Run("a limit past bigint is a 500", func(t *testing.T) {
		wantInternalError(t, do(t, s, http.MethodPost, "/keys", `{"name":"a","limit":1e10}`))
	})
	assert.Len(t, s.APIKeys(), 2, "only the two accepted workspace_id cases stored keys")
}

func TestAPIKeyList(t *testing.T) {
	s := newServer(t)
	seeded := s.SeedAPIKeys(260)
	s.AddAPIKey(APIKeySpec{Name: "paused", Status: aistats.KeyStatusPaused})
	s.AddAPIKey(APIKeySpec{Name: "blocked", SoftBlocked: true})
	s.AddAPIKey(APIKeySpec{Name: "compromised", Status: aistats.KeyStatusCompromised})
	s.AddAPIKey(APIKeySpec{Name: "Active", Status: "Active"})
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	s.AddAPIKey(APIKeySpec{Name: "expired", ExpiresAt: &past})
	s.AddAPIKey(APIKeySpec{Name: "other workspace", WorkspaceID: newUUID()})
	s.AddAPIKey(APIKeySpec{Name: chatManagedKeyName})
	require.Equal(t, http.StatusOK, do(t, s, http.MethodDelete, "/keys/"+seeded[0].ID, "").status)

	for _, tc := range []struct {
		query string
		n     int
		total int
		first string
	}{
		{"", 100, 260, "expired"}, // expired but active keys are listed
		{"limit=0", 100, 260, "expired"},
		{"limit=7.5", 7, 260, "expired"},
		{"limit=300", 250, 260, "expired"},
		{"offset=259", 1, 260, "api-key-0002"},
		{"offset=260", 0, 260, ""},
		{"offset=abc&limit=1", 1, 260, "expired"},
		{"include_disabled=true&limit=5", 5, 265, "expired"},
		{"include_disabled=%20ON%20&limit=5", 5, 265, "expired"},
		{"include_disabled=Yes&offset=1&limit=5", 5, 265, "Active"},
		{"include_disabled=1&offset=264", 1, 265, "api-key-0001"}, // the tombstone
		{"include_disabled=0", 100, 260, "expired"},
		{"include_disabled=y", 100, 260, "expired"},
		{"include_disabled=", 100, 260, "expired"},
		{"workspace_id=%20&limit=1", 1, 260, "expired"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/keys?"+tc.query, "")
			require.Equal(t, http.StatusOK, r.status, r.body)
			assert.Equal(t, []string{"data", "total_count"}, fieldOrder(t, r.body))
			assert.EqualValues(t, tc.total, r.json(t)["total_count"])
			got := names(t, r)
			assert.Len(t, got, tc.n)
			if tc.first != "" {
				assert.Equal(t, tc.first, got[0])
			}
		})
	}
	t.Run("other workspace", func(t *testing.T) {
		r := do(t, s, http.MethodGet, "/keys?workspace_id="+url.QueryEscape(newUUID()), "")
		require.Equal(t, http.StatusForbidden, r.status)
		assert.JSONEq(t, `{"ok":false,"error":"forbidden","message":"workspace_id must match authenticated workspace"}`, r.body)
	})
	t.Run("empty", func(t *testing.T) {
		empty := newServer(t)
		assert.Equal(t, "{\n  \"data\": [],\n  \"total_count\": 0\n}", do(t, empty, http.MethodGet, "/keys", "").body)
	})
}

func TestAPIKeyLookup(t *testing.T) {
	s := newServer(t)
	k := s.AddAPIKey(APIKeySpec{Name: "a"})
	other := s.AddAPIKey(APIKeySpec{Name: "b", WorkspaceID: newUUID()})
	chat := s.AddAPIKey(APIKeySpec{Name: chatManagedKeyName})
	v7 := s.AddAPIKey(APIKeySpec{Name: "v7", ID: "01890a5d-ac96-7f3b-8000-000000000000"})
	for _, tc := range []struct{ name, id string }{
		{"id", k.ID},
		{"upper-case id", strings.ToUpper(k.ID)},
		{"hash", k.Hash},
		{"padded id", "%20" + k.ID + "%20"},
	} {
		r := do(t, s, http.MethodGet, "/keys/"+tc.id, "")
		require.Equal(t, http.StatusOK, r.status, "%s: %s", tc.name, r.body)
		assert.Equal(t, k.ID, data(t, r)["id"], tc.name)
	}
	for _, tc := range []struct{ name, id string }{
		{"unknown UUID", newUUID()},
		{"braced UUID is a hash", "{" + k.ID + "}"},
		{"undashed UUID is a hash", strings.ReplaceAll(k.ID, "-", "")},
		{"upper-case hash", strings.ToUpper(k.Hash)},
		{"prefix", k.Prefix},
		{"current", "current"},
		{"other workspace", other.ID},
		{"chat key", chat.ID},
		{"a version-7 UUID is looked up as a hash", v7.ID},
		{"encoded keys", "%6Beys"},
	} {
		for _, m := range []string{http.MethodGet, http.MethodDelete} {
			wantError(t, do(t, s, m, "/keys/"+tc.id, ""), http.StatusNotFound, "not_found", "API key not found")
		}
		wantError(t, do(t, s, http.MethodPatch, "/keys/"+tc.id, `{"name":"x"}`), http.StatusNotFound, "not_found", "API key not found")
	}
	for _, id := range []string{"keys", "key", "invalidate", "%20"} {
		for _, m := range []string{http.MethodGet, http.MethodDelete, http.MethodPatch} {
			wantError(t, do(t, s, m, "/keys/"+id, "{"), http.StatusBadRequest, "bad_request", "Key id is required")
		}
	}
	t.Run("invalid UTF-8 in the id throws", func(t *testing.T) {
		wantText(t, do(t, s, http.MethodGet, "/keys/%FF", ""), http.StatusInternalServerError, "Internal Server Error")
	})
	assert.Equal(t, "a", mustAPIKey(t, s, k.ID).Name, "nothing changed")
}

func TestAPIKeyDeleteTombstones(t *testing.T) {
	now := time.Date(2026, 8, 20, 10, 11, 12, 345_678_900, time.UTC)
	s := newServer(t, WithClock(func() time.Time { return now }))
	k := s.AddAPIKey(APIKeySpec{Name: "a"})
	r := do(t, s, http.MethodDelete, "/keys/"+k.Hash, "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "{\n  \"deleted\": true\n}", r.body)

	got := data(t, do(t, s, http.MethodGet, "/keys/"+k.ID, ""))
	assert.Equal(t, "deleted", got["status"])
	assert.Equal(t, "deleted:"+k.ID, got["hash"])
	assert.Equal(t, true, got["soft_blocked"])
	assert.Equal(t, true, got["disabled"])
	assert.Equal(t, "2026-08-20T10:11:12.345+00:00", got["expires_at"], "new Date(): milliseconds")

	assert.Equal(t, "{\n  \"deleted\": true\n}", do(t, s, http.MethodDelete, "/keys/"+k.ID, "").body, "a repeat by id")
	wantError(t, do(t, s, http.MethodDelete, "/keys/"+k.Hash, ""), http.StatusNotFound, "not_found", "API key not found")
	assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/keys/deleted:"+k.ID, "").status, "the tombstone hash is a hash")

	stored := mustAPIKey(t, s, k.ID)
	assert.Equal(t, aistats.KeyStatusDeleted, stored.Status)
	assert.True(t, stored.Disabled)
	_, ok := s.APIKeyByID(k.Hash)
	assert.False(t, ok, "the old hash is gone")

	t.Run("a tombstone can be updated but keeps its hash", func(t *testing.T) {
		r := do(t, s, http.MethodPatch, "/keys/"+k.ID, `{"disabled":false,"soft_blocked":false,"name":"back"}`)
		require.Equal(t, http.StatusOK, r.status, r.body)
		d := data(t, r)
		assert.Equal(t, "active", d["status"])
		assert.Equal(t, "deleted:"+k.ID, d["hash"])
		assert.Equal(t, "back", d["name"])
	})
}

func TestAPIKeyPatch(t *testing.T) {
	s := newServer(t)
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ten := 10.0
	seed := func() string {
		return s.AddAPIKey(APIKeySpec{Name: "orig", Limit: &ten, LimitReset: aistats.LimitResetWeekly, ExpiresAt: &expires}).ID
	}
	for _, tc := range []struct {
		name, body string
		want       map[string]any
	}{
		{"empty patch", `{}`, map[string]any{"name": "orig", "limit": 10.0, "limit_reset": "weekly"}},
		{"non-object body", `"x"`, map[string]any{"name": "orig"}},
		{"name", `{"name":"  new "}`, map[string]any{"name": "new", "label": "new"}},
		{"non-string name ignored", `{"name":5}`, map[string]any{"name": "orig"}},
		{"disable", `{"disabled":true}`, map[string]any{"status": "paused", "disabled": true}},
		{"non-boolean disabled ignored", `{"disabled":"true"}`, map[string]any{"status": "active"}},
		{"soft_blocked", `{"soft_blocked":true}`, map[string]any{"soft_blocked": true, "disabled": true}},
		{"non-boolean soft_blocked ignored", `{"soft_blocked":1}`, map[string]any{"soft_blocked": false}},
		{"expires_at", `{"expires_at":"2030-06-01T12:00:00Z"}`, map[string]any{"expires_at": "2030-06-01T12:00:00+00:00"}},
		{"expires_at null clears", `{"expires_at":null}`, map[string]any{"expires_at": nil}},
		{"expires_at blank clears", `{"expires_at":""}`, map[string]any{"expires_at": nil}},
		{"limit", `{"limit":"2.5"}`, map[string]any{"limit": 2.5, "limit_reset": "monthly"}},
		{"limit and window", `{"limit":3,"limit_reset":"DAILY"}`, map[string]any{"limit": 3.0, "limit_reset": "daily"}},
		{"window alone moves the limit", `{"limit_reset":"daily"}`, map[string]any{"limit": 10.0, "limit_reset": "daily"}},
		{"limit null clears", `{"limit":null,"limit_reset":"daily"}`, map[string]any{"limit": nil, "limit_reset": nil}},
		{"limit 0 clears", `{"limit":0}`, map[string]any{"limit": nil, "limit_reset": nil}},
		{"ignored fields", `{"status":"deleted","workspace_id":"w","include_byok_in_limit":true}`,
			map[string]any{"status": "active", "include_byok_in_limit": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPatch, "/keys/"+seed(), tc.body)
			require.Equal(t, http.StatusOK, r.status, r.body)
			assert.Equal(t, apiKeyFields, fieldOrder(t, r.body))
			d := data(t, r)
			for k, v := range tc.want {
				assert.Equal(t, v, d[k], k)
			}
			assert.Nil(t, d["updated_at"], "never selected at HEAD")
		})
	}
	t.Run("window alone without a limit stays without one", func(t *testing.T) {
		id := s.AddAPIKey(APIKeySpec{Name: "none"}).ID
		d := data(t, do(t, s, http.MethodPatch, "/keys/"+id, `{"limit_reset":"weekly"}`))
		assert.Nil(t, d["limit"])
		assert.Nil(t, d["limit_reset"])
	})
	for _, tc := range []struct{ name, body, code, message string }{
		{"broken JSON", `{`, "invalid_json", "Invalid JSON body"},
		{"empty body", ``, "invalid_json", "Invalid JSON body"},
		{"invalid date", `{"expires_at":"x","limit":-1}`, "bad_request", "expires_at must be a valid ISO-8601 datetime or null"},
		{"date before limit", `{"limit":-1,"expires_at":"x"}`, "bad_request", "expires_at must be a valid ISO-8601 datetime or null"},
		{"limit before window", `{"limit":-1,"limit_reset":"x"}`, "bad_request", "limit must be a non-negative number or null"},
		{"window before scopes", `{"limit_reset":"x","scopes":[]}`, "bad_request", "limit_reset must be one of: daily, weekly, monthly"},
		{"scopes", `{"scopes":null}`, "bad_request", msgNoAPIKeyScopes},
		{"empty name", `{"name":" ","disabled":true}`, "bad_request", "name cannot be empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := seed()
			wantError(t, do(t, s, http.MethodPatch, "/keys/"+id, tc.body), http.StatusBadRequest, tc.code, tc.message)
			k := mustAPIKey(t, s, id)
			assert.Equal(t, "orig", k.Name)
			assert.Equal(t, aistats.KeyStatusActive, k.Status, "nothing applied")
		})
	}
	t.Run("validation comes before the lookup, the name after it", func(t *testing.T) {
		wantError(t, do(t, s, http.MethodPatch, "/keys/"+newUUID(), `{"limit":-1}`),
			http.StatusBadRequest, "bad_request", "limit must be a non-negative number or null")
		wantError(t, do(t, s, http.MethodPatch, "/keys/"+newUUID(), `{"name":""}`), http.StatusNotFound, "not_found", "API key not found")
	})
	t.Run("null body is an uncaught exception", func(t *testing.T) {
		wantText(t, do(t, s, http.MethodPatch, "/keys/"+seed(), `null`), http.StatusInternalServerError, "Internal Server Error")
	})
	t.Run("a limit past bigint is a 500 and changes nothing", func(t *testing.T) {
		id := seed()
		wantInternalError(t, do(t, s, http.MethodPatch, "/keys/"+id, `{"name":"x","limit":1e12}`))
		assert.Equal(t, "orig", mustAPIKey(t, s, id).Name)
	})
	t.Run("stored state", func(t *testing.T) {
		id := seed()
		do(t, s, http.MethodPatch, "/keys/"+id, `{"name":"n","disabled":true,"limit":4,"limit_reset":"daily","expires_at":null}`)
		k := mustAPIKey(t, s, id)
		assert.Equal(t, "n", k.Name)
		assert.Equal(t, aistats.KeyStatusPaused, k.Status)
		assert.True(t, k.Disabled)
		require.NotNil(t, k.Limit)
		assert.Equal(t, 4.0, *k.Limit)
		assert.Equal(t, aistats.LimitResetDaily, k.LimitReset)
		assert.Nil(t, k.ExpiresAt)
	})
}

func TestKeyLimit(t *testing.T) {
	s := newServer(t, WithKeyLimit(4)) // the server key counts
	s.SeedKeys(1)
	ids := s.SeedAPIKeys(1)
	require.Equal(t, http.StatusCreated, do(t, s, http.MethodPost, "/keys", `{"name":"third"}`).status)
	wantInternalError(t, do(t, s, http.MethodPost, "/keys", `{"name":"fifth"}`))
	wantInternalError(t, do(t, s, http.MethodPost, "/management-keys", `{"name":"fifth","scopes":"keys:read"}`))
	wantInternalError(t, do(t, s, http.MethodPost, "/keys/"+ids[0].ID+"/rotate", ``))
	assert.Len(t, s.APIKeys(), 2)

	require.Equal(t, http.StatusOK, do(t, s, http.MethodDelete, "/keys/"+ids[0].ID, "").status)
	assert.Equal(t, http.StatusCreated, do(t, s, http.MethodPost, "/keys", `{"name":"deleted keys do not count"}`).status)
	wantInternalError(t, do(t, s, http.MethodPost, "/keys", `{"name":"full again"}`))
	wantError(t, do(t, s, http.MethodPost, "/keys", `{"name":""}`), http.StatusBadRequest, "bad_request", "name is required")

	other := s.MintKey(KeySpec{Name: "elsewhere", WorkspaceID: newUUID(), Scopes: `["keys:write","keys:read"]`})
	r := doAs(t, s, other.Secret.Reveal(), http.MethodPost, "/keys", `{"name":"own workspace"}`)
	require.Equal(t, http.StatusCreated, r.status, "the limit is per workspace: %s", r.body)
	assert.Equal(t, other.WorkspaceID, data(t, r)["workspace_id"], "a key acts in its own workspace")
	assert.Equal(t, []string{"own workspace"}, names(t, doAs(t, s, other.Secret.Reveal(), http.MethodGet, "/keys", "")))

	assert.PanicsWithValue(t, "aistatstest: WithKeyLimit(0): the limit must be at least 1", func() { WithKeyLimit(0) })
}
