package aistatstest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contractServer holds the two keys of the contract's list example, so
// answers can be compared byte for byte with the documented ones.
func contractServer(t *testing.T) *Server {
	t.Helper()
	s := newServer(t, asMarch2026,
		WithTeamID("5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"),
		WithOwnerID("3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"))
	s.AddKey(KeySpec{
		ID: "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5", Name: "legacy", Prefix: "mT3zQa",
		Status: "disabled", Scopes: "read,write", CreatedAt: time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC),
	})
	s.AddKey(KeySpec{
		ID: "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40", Name: "CI pipeline key", Prefix: "Q7xk2P",
		Scopes: `["read","write"]`, CreatedAt: time.Date(2026, 3, 10, 14, 2, 11, 482e6, time.UTC),
	})
	return s
}

func TestListMatchesContractExample(t *testing.T) {
	s := contractServer(t)
	r := do(t, s, http.MethodGet, "/management/keys", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, `{
  "ok": true,
  "limit": 50,
  "offset": 0,
  "total": 2,
  "keys": [
    {
      "id": "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40",
      "name": "CI pipeline key",
      "prefix": "Q7xk2P",
      "status": "active",
      "scopes": "[\"read\",\"write\"]",
      "created_at": "2026-03-10T14:02:11.482+00:00",
      "last_used_at": null
    },
    {
      "id": "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5",
      "name": "legacy",
      "prefix": "mT3zQa",
      "status": "disabled",
      "scopes": "read,write",
      "created_at": "2026-02-20T09:00:00+00:00",
      "last_used_at": null
    }
  ]
}`, r.body)
}

func TestGetMatchesContractExample(t *testing.T) {
	s := contractServer(t)
	r := do(t, s, http.MethodGet, "/management/keys/9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Equal(t, `{
  "ok": true,
  "key": {
    "id": "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40",
    "team_id": "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c",
    "name": "CI pipeline key",
    "prefix": "Q7xk2P",
    "status": "active",
    "scopes": "[\"read\",\"write\"]",
    "created_by": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "created_at": "2026-03-10T14:02:11.482+00:00",
    "last_used_at": null,
    "soft_blocked": false
  }
}`, r.body)
}

func TestUnknownRoutesAreHonoTextNotFound(t *testing.T) {
	s := newServer(t, asMarch2026)
	id := s.SeedKeys(1)[0].ID
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/v1/management/keys/"}, // trailing slash
		{http.MethodGet, "/v1/management/keys/" + id + "/"},
		{http.MethodPut, "/v1/management/keys"},
		{http.MethodDelete, "/v1/management/keys"},
		{http.MethodPost, "/v1/management/keys/" + id},
		{http.MethodPut, "/v1/management/keys/" + id},
		{http.MethodGet, "/v1/management/keys/" + id + "/extra"},
		{http.MethodGet, "/v1/management/key"},
		{http.MethodGet, "/v1/management-keys"},
		{http.MethodGet, "/v1"},
		{http.MethodGet, "/v1management/keys"},
		{http.MethodGet, "/management/keys"}, // no /v1
		{http.MethodGet, "/"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			// No Authorization: routing happens before the auth guard.
			base := s.URL[:len(s.URL)-len(apiPrefix)]
			r := doAuth(t, s, tc.method, base+tc.path, "", "")
			assert.Equal(t, http.StatusNotFound, r.status)
			assert.Equal(t, "text/plain; charset=UTF-8", r.header.Get("Content-Type"))
			assert.Equal(t, "404 Not Found", r.body)
		})
	}
}

func TestOptionsIsNoContentWithoutAuth(t *testing.T) {
	s := newServer(t, asMarch2026)
	for _, path := range []string{"/v1/management/keys", "/v1/management/keys/whatever", "/anything"} {
		base := s.URL[:len(s.URL)-len(apiPrefix)]
		r := doAuth(t, s, http.MethodOptions, base+path, "", "")
		assert.Equal(t, http.StatusNoContent, r.status, path)
		assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"), path)
		assert.Empty(t, r.body, path)
	}
}

func TestHeadListHasNoBody(t *testing.T) {
	s := newServer(t, asMarch2026)
	s.SeedKeys(2)
	r := do(t, s, http.MethodHead, "/management/keys", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Empty(t, r.body)
}

func TestAuthGuard(t *testing.T) {
	s := newServer(t, asMarch2026)
	otherKid, otherSecret := newKeyMaterial()
	for _, tc := range []struct {
		name, auth, reason string
	}{
		{"missing", "", ReasonMissingHeader},
		{"lowercase scheme", "bearer " + s.ManagementKey, ReasonMissingHeader},
		{"no space", "Bearer" + s.ManagementKey, ReasonMissingHeader},
		{"blank token", "Bearer    ", ReasonMissingHeader},
		{"basic", "Basic dXNlcjpwYXNz", ReasonMissingHeader},
		{"not a key", "Bearer sk-live-123", ReasonInvalidFormat},
		{"wrong kind", "Bearer aistats_v1_mk_" + s.kid + "_" + s.secret, ReasonInvalidFormat},
		{"short kid", "Bearer aistats_v1_sk_abc_" + s.secret, ReasonInvalidFormat},
		{"no secret", "Bearer aistats_v1_sk_" + s.kid + "_", ReasonInvalidFormat},
		{"unknown kid", "Bearer " + formatKey(otherKid, s.secret), ReasonUnknownKey},
		{"wrong secret", "Bearer " + formatKey(s.kid, otherSecret), ReasonInvalidSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A POST with an invalid body proves auth runs before validation.
			r := doAuth(t, s, http.MethodPost, s.URL+"/management/keys", "{", tc.auth)
			require.Equal(t, http.StatusUnauthorized, r.status, r.body)
			assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			m := r.json(t)
			assert.Equal(t, []string{"error", "reason", "request_id"}, sortedKeys(m), "no ok field")
			assert.Equal(t, "unauthorised", m["error"])
			assert.Equal(t, tc.reason, m["reason"])
			assert.Regexp(t, requestIDPattern, m["request_id"])
			assert.NotContains(t, r.body, "\n", "401 bodies are compact")
		})
	}
	t.Run("surrounding spaces are trimmed", func(t *testing.T) {
		r := doAuth(t, s, http.MethodGet, s.URL+"/management/keys", "", "Bearer   "+s.ManagementKey+"  ")
		assert.Equal(t, http.StatusOK, r.status, r.body)
	})
	t.Run("created keys are not credentials", func(t *testing.T) {
		created := do(t, s, http.MethodPost, "/management/keys", `{"name":"mk"}`).key(t)["key"].(string)
		r := doAuth(t, s, http.MethodGet, s.URL+"/management/keys", "", "Bearer "+created)
		require.Equal(t, http.StatusUnauthorized, r.status)
		assert.Equal(t, ReasonUnknownKey, r.json(t)["reason"])
	})
	t.Run("every route is guarded", func(t *testing.T) {
		for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
			r := doAuth(t, s, m, s.URL+"/management/keys/not-a-uuid", "{}", "")
			assert.Equal(t, http.StatusUnauthorized, r.status, m)
		}
	})
}
