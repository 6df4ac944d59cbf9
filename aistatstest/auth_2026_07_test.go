package aistatstest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthJuly2026Reasons(t *testing.T) {
	now := time.Date(2026, 8, 20, 10, 0, 0, 0, time.UTC)
	s := newServer(t, WithClock(func() time.Time { return now }))
	past, future := now.Add(-time.Second), now.Add(time.Hour)
	minted := func(spec KeySpec) string {
		spec.Scopes = or(spec.Scopes, `["keys:read"]`)
		return s.MintKey(spec).Secret.Reveal()
	}
	active := minted(KeySpec{Name: "active"})
	kid := strings.Split(active, "_")[3]
	deleted := minted(KeySpec{})
	deletedID := s.Keys()[0].ID
	require.Equal(t, http.StatusOK, do(t, s, http.MethodDelete, "/management-keys/"+deletedID, "").status)

	for _, tc := range []struct{ name, auth, reason string }{
		{"missing", "", ReasonMissingHeader},
		{"lowercase scheme", "bearer " + s.ManagementKey, ReasonMissingHeader},
		{"no space", "Bearer" + s.ManagementKey, ReasonMissingHeader},
		{"blank token", "Bearer   ", ReasonMissingHeader},
		{"basic", "Basic dXNlcjpwYXNz", ReasonMissingHeader},
		{"not a key", "Bearer sk-live-123", ReasonInvalidFormat},
		{"short kid", "Bearer phaseo_v1_mk_abc_secret", ReasonInvalidFormat},
		{"no secret", "Bearer phaseo_v1_mk_" + kid + "_", ReasonInvalidFormat},
		{"version 2", "Bearer phaseo_v2_mk_" + kid + "_secret", ReasonInvalidFormat},
		{"other namespace", "Bearer openai_v1_mk_" + kid + "_secret", ReasonInvalidFormat},
		{"phaseo API key", "Bearer phaseo_v1_sk_" + kid + "_secret", ReasonManagementKeyRequired},
		{"2026-03 key", "Bearer aistats_v1_sk_" + kid + "_secret", ReasonManagementKeyRequired},
		{"aistats management key", "Bearer aistats_v1_mk_" + kid + "_secret", ReasonManagementKeyRequired},
		{"other tag", "Bearer phaseo_v1_pk_" + kid + "_secret", ReasonManagementKeyRequired},
		{"JWT", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoidTEifQ.sig", ReasonManagementKeyRequired},
		{"unknown kid", "Bearer phaseo_v1_mk_Zz9Zz9Zz9Zz9_" + strings.Repeat("a", 40), ReasonUnknownKey},
		{"deleted", "Bearer " + deleted, ReasonUnknownKey},
		{"paused", "Bearer " + minted(KeySpec{Status: aistats.KeyStatusPaused}), ReasonUnknownKey},
		{"compromised", "Bearer " + minted(KeySpec{Status: aistats.KeyStatusCompromised}), ReasonUnknownKey},
		{"status is case-sensitive", "Bearer " + minted(KeySpec{Status: "Active"}), ReasonUnknownKey},
		{"soft-blocked", "Bearer " + minted(KeySpec{SoftBlocked: true}), ReasonKeySoftBlocked},
		{"soft-blocked before expired", "Bearer " + minted(KeySpec{SoftBlocked: true, ExpiresAt: &past}), ReasonKeySoftBlocked},
		{"expired", "Bearer " + minted(KeySpec{ExpiresAt: &past}), ReasonKeyExpired},
		{"expiring now", "Bearer " + minted(KeySpec{ExpiresAt: &now}), ReasonKeyExpired},
		{"expired before secret", "Bearer phaseo_v1_mk_" + strings.Split(minted(KeySpec{ExpiresAt: &past}), "_")[3] + "_wrong", ReasonKeyExpired},
		{"wrong secret", "Bearer phaseo_v1_mk_" + kid + "_" + strings.Repeat("b", 40), ReasonInvalidSecret},
		{"secret before scopes", "Bearer phaseo_v1_mk_" + strings.Split(minted(KeySpec{Scopes: "[]"}), "_")[3] + "_x", ReasonInvalidSecret},
		{"no scopes", "Bearer " + minted(KeySpec{Scopes: "[]"}), ReasonScopesRequired},
		{"blank scopes", "Bearer " + minted(KeySpec{Scopes: " , "}), ReasonScopesRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A POST with an invalid body proves auth runs before anything else.
			r := doAuth(t, s, http.MethodPost, s.URL+"/management-keys", "{", tc.auth)
			require.Equal(t, http.StatusUnauthorized, r.status, r.body)
			assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			assert.NotContains(t, r.body, "\n", "401 bodies are compact")
			assert.Equal(t, []string{"error", "reason", "request_id", "status_code", "error_type", "error_origin",
				"generation_id"}, fieldOrder(t, r.body))
			m := r.json(t)
			assert.Equal(t, "unauthorised", m["error"])
			assert.Equal(t, tc.reason, m["reason"])
			assert.Regexp(t, requestIDPattern, m["request_id"])
			assert.Equal(t, m["request_id"], m["generation_id"])
			assert.EqualValues(t, 401, m["status_code"])
			assert.Equal(t, "user", m["error_type"])
			assert.Equal(t, "user", m["error_origin"])
		})
	}

	t.Run("valid keys", func(t *testing.T) {
		for name, auth := range map[string]string{
			"server key":            "Bearer " + s.ManagementKey,
			"trimmed":               "Bearer   " + s.ManagementKey + "  ",
			"minted":                "Bearer " + active,
			"expiring later":        "Bearer " + minted(KeySpec{ExpiresAt: &future}),
			"comma-listed scopes":   "Bearer " + minted(KeySpec{Scopes: "keys:read, keys:write"}),
			"never-expiring":        "Bearer " + minted(KeySpec{}),
			"scopes need not be ok": "Bearer " + minted(KeySpec{Scopes: "anything"}),
		} {
			r := doAuth(t, s, http.MethodGet, s.URL+"/keys", "", auth)
			assert.NotEqual(t, http.StatusUnauthorized, r.status, "%s: %s", name, r.body)
		}
	})
}

func TestAuthJuly2026RecordsLastUse(t *testing.T) {
	used := time.Date(2026, 8, 20, 10, 11, 12, 345678900, time.UTC)
	s := newServer(t, WithClock(func() time.Time { return used }))
	created := s.MintKey(KeySpec{Name: "ci", Scopes: `["keys:read"]`})
	assert.Nil(t, created.LastUsedAt)
	doAs(t, s, created.Secret.Reveal(), http.MethodGet, "/keys", "")
	k, ok := s.Key(created.ID)
	require.True(t, ok)
	require.NotNil(t, k.LastUsedAt)
	assert.Equal(t, used.Truncate(time.Microsecond), *k.LastUsedAt, "a timestamptz: microseconds")

	t.Run("failed attempts are not uses", func(t *testing.T) {
		other := s.MintKey(KeySpec{Name: "other", Scopes: `["keys:read"]`})
		kid := strings.Split(other.Secret.Reveal(), "_")[3]
		doAuth(t, s, http.MethodGet, s.URL+"/keys", "", "Bearer phaseo_v1_mk_"+kid+"_wrong")
		k, _ := s.Key(other.ID)
		assert.Nil(t, k.LastUsedAt)
	})
}

func TestAuthJuly2026KeysThroughTheAPI(t *testing.T) {
	s := newServer(t)
	r := do(t, s, http.MethodPost, "/management-keys", `{"name":"ci","scopes":"keys:read"}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	created := data(t, r)
	key, id := created["key"].(string), created["id"].(string)
	assert.Regexp(t, `^phaseo_v1_mk_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}$`, key)
	assert.Len(t, key, 66)

	assert.Equal(t, http.StatusOK, doAs(t, s, key, http.MethodGet, "/keys", "").status, "usable at once")

	require.Equal(t, http.StatusOK, do(t, s, http.MethodPatch, "/management-keys/"+id, `{"paused":true}`).status)
	assert.Equal(t, ReasonUnknownKey, doAs(t, s, key, http.MethodGet, "/keys", "").json(t)["reason"], "paused")

	require.Equal(t, http.StatusOK, do(t, s, http.MethodPatch, "/management-keys/"+id, `{"paused":false}`).status)
	require.Equal(t, http.StatusOK, do(t, s, http.MethodPatch, "/management-keys/"+id, `{"softBlocked":true}`).status)
	assert.Equal(t, ReasonKeySoftBlocked, doAs(t, s, key, http.MethodGet, "/keys", "").json(t)["reason"])

	require.Equal(t, http.StatusOK, do(t, s, http.MethodPatch, "/management-keys/"+id, `{"softBlocked":false,"expiresAt":"2001-01-01"}`).status)
	assert.Equal(t, ReasonKeyExpired, doAs(t, s, key, http.MethodGet, "/keys", "").json(t)["reason"])

	t.Run("a key can delete itself", func(t *testing.T) {
		self := mint(t, s, "management_keys:delete", "management_keys:read")
		list := dataList(t, doAs(t, s, self, http.MethodGet, "/management-keys", ""))
		var selfID string
		for _, k := range list {
			if k["last_used_at"] != nil && k["name"] == "minted" {
				selfID = k["id"].(string)
			}
		}
		require.NotEmpty(t, selfID)
		assert.Equal(t, `{
  "deleted": true
}`, doAs(t, s, self, http.MethodDelete, "/management-keys/"+selfID, "").body)
		assert.Equal(t, ReasonUnknownKey, doAs(t, s, self, http.MethodGet, "/management-keys", "").json(t)["reason"])
	})
}

// routeCase is one 2026-07 route with a body that passes validation.
type routeCase struct {
	method, path, body, capability string
}

func julyRoutes(s *Server) []routeCase {
	mk := s.AddKey(KeySpec{Name: "target", Scopes: `["keys:read"]`}).ID
	ak := s.AddAPIKey(APIKeySpec{Name: "target"}).ID
	return []routeCase{
		{http.MethodGet, "/management-keys", "", capManagementKeysRead},
		{http.MethodPost, "/management-keys", `{"name":"n","scopes":["keys:read"]}`, capManagementKeysWrite},
		{http.MethodGet, "/management-keys/" + mk, "", capManagementKeysRead},
		{http.MethodPatch, "/management-keys/" + mk, `{"name":"renamed"}`, capManagementKeysWrite},
		{http.MethodDelete, "/management-keys/" + mk, "", capManagementKeysDelete},
		{http.MethodGet, "/keys", "", capKeysRead},
		{http.MethodPost, "/keys", `{"name":"n"}`, capKeysWrite},
		{http.MethodGet, "/keys/" + ak, "", capKeysRead},
		{http.MethodPatch, "/keys/" + ak, `{"name":"renamed"}`, capKeysWrite},
		{http.MethodPost, "/keys/" + ak + "/rotate", "", capKeysWrite},
		{http.MethodDelete, "/keys/" + ak, "", capKeysDelete},
	}
}

func TestCapabilityPerRoute(t *testing.T) {
	s := newServer(t)
	for _, rc := range julyRoutes(s) {
		t.Run(rc.method+" "+rc.path, func(t *testing.T) {
			var others []string
			for _, c := range controlCapabilities {
				if c != rc.capability {
					others = append(others, c)
				}
			}
			r := doAs(t, s, mint(t, s, others...), rc.method, rc.path, rc.body)
			wantError(t, r, http.StatusForbidden, "insufficient_scope", "Token requires "+rc.capability)

			r = doAs(t, s, mint(t, s, rc.capability, "management_keys:read", "keys:read"), rc.method, rc.path, rc.body)
			assert.Less(t, r.status, 300, "the one capability is enough: %s", r.body)
		})
	}
}

func TestCapabilityCheckOrder(t *testing.T) {
	s := newServer(t)
	reader := mint(t, s, "keys:read", "management_keys:read")
	t.Run("management routes check scope before the body", func(t *testing.T) {
		wantError(t, doAs(t, s, reader, http.MethodPost, "/management-keys", "{"),
			http.StatusForbidden, "insufficient_scope", "Token requires management_keys:write")
		wantError(t, doAs(t, s, reader, http.MethodPatch, "/management-keys/not-a-uuid", "{"),
			http.StatusForbidden, "insufficient_scope", "Token requires management_keys:write")
	})
	t.Run("POST /keys parses JSON before the scope check", func(t *testing.T) {
		wantError(t, doAs(t, s, reader, http.MethodPost, "/keys", "{"), http.StatusBadRequest, "invalid_json", "Invalid JSON body")
		wantError(t, doAs(t, s, reader, http.MethodPost, "/keys", "null"),
			http.StatusForbidden, "insufficient_scope", "Token requires keys:write")
	})
	t.Run("scope before the id", func(t *testing.T) {
		wantError(t, doAs(t, s, reader, http.MethodDelete, "/keys/keys", ""),
			http.StatusForbidden, "insufficient_scope", "Token requires keys:delete")
		wantError(t, doAs(t, s, reader, http.MethodDelete, "/management-keys/%20", ""),
			http.StatusForbidden, "insufficient_scope", "Token requires management_keys:delete")
	})
}

func TestGrantCheck(t *testing.T) {
	s := newServer(t)
	writer := mint(t, s, "management_keys:read", "management_keys:write", "keys:read")
	target := s.AddKey(KeySpec{Name: "target", Scopes: `["keys:read"]`}).ID
	for _, tc := range []struct{ name, method, path, body, missing string }{
		{"create scopes", http.MethodPost, "/management-keys", `{"name":"a","scopes":["keys:delete","keys:read","keys:write"]}`,
			"keys:delete, keys:write"},
		{"create template", http.MethodPost, "/management-keys", `{"name":"a","template":"read-only"}`,
			"me:read, models:read, providers:read, pricing:read, credits:read, activity:read, analytics:read, " +
				"generations:read, feedback:read, workspaces:read, presets:read, settings:read, guardrails:read, oauth_clients:read"},
		{"patch scopes", http.MethodPatch, "/management-keys/" + target, `{"scopes":"keys:write"}`, "keys:write"},
		{"patch template", http.MethodPatch, "/management-keys/" + target, `{"template":"full-control","name":"x"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := doAs(t, s, writer, tc.method, tc.path, tc.body)
			require.Equal(t, http.StatusForbidden, r.status, r.body)
			m := r.json(t)
			assert.Equal(t, "insufficient_scope", m["error"])
			assert.True(t, strings.HasPrefix(m["message"].(string), "Token cannot grant scopes it does not have: "+tc.missing), m["message"])
		})
	}
	k, _ := s.Key(target)
	assert.Equal(t, "target", k.Name, "a refused patch changes nothing")

	t.Run("held scopes can be granted", func(t *testing.T) {
		r := doAs(t, s, writer, http.MethodPost, "/management-keys", `{"name":"a","scopes":"keys:read management_keys:read"}`)
		require.Equal(t, http.StatusCreated, r.status, r.body)
		assert.Equal(t, []any{"keys:read", "management_keys:read"}, data(t, r)["scopes"])
	})
	t.Run("other fields need no grant", func(t *testing.T) {
		r := doAs(t, s, writer, http.MethodPatch, "/management-keys/"+s.Keys()[len(s.Keys())-1].ID, `{"paused":true}`)
		assert.Equal(t, http.StatusOK, r.status, "a narrow key may pause the full-control server key: %s", r.body)
	})
}
