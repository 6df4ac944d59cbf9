package aistatstest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// managementContractServer holds the contract's §5.1 example key.
func managementContractServer(t *testing.T) (*Server, string) {
	t.Helper()
	s := newServer(t, WithWorkspaceID("5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"))
	created := time.Date(2026, 8, 20, 10, 11, 12, 345678000, time.UTC)
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	k := s.AddKey(KeySpec{
		ID: "3f6c2a9e-8b1d-4c7e-9a2f-5d4e3c2b1a09", Name: "Terraform", Prefix: "Hk29sd",
		Scopes: `["keys:read","keys:write","keys:delete"]`, CreatedAt: created, ExpiresAt: &expires, CreatedBy: "x",
	})
	// created_by null, as for keys made with a management key.
	s.mu.Lock()
	s.keys[k.ID].createdBy = ""
	s.mu.Unlock()
	return s, k.ID
}

func TestManagementKeyMatchesContractExample(t *testing.T) {
	s, id := managementContractServer(t)
	r := do(t, s, http.MethodGet, "/management-keys/"+id, "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Equal(t, `{
  "data": {
    "id": "3f6c2a9e-8b1d-4c7e-9a2f-5d4e3c2b1a09",
    "workspace_id": "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c",
    "name": "Terraform",
    "prefix": "Hk29sd",
    "status": "active",
    "scopes": [
      "keys:read",
      "keys:write",
      "keys:delete"
    ],
    "created_by": null,
    "created_at": "2026-08-20T10:11:12.345678+00:00",
    "updated_at": "2026-08-20T10:11:12.345678+00:00",
    "last_used_at": null,
    "expires_at": "2027-01-01T00:00:00+00:00",
    "soft_blocked": false,
    "daily_limit_requests": null,
    "weekly_limit_requests": null,
    "monthly_limit_requests": null,
    "daily_limit_cost_nanos": null,
    "weekly_limit_cost_nanos": null,
    "monthly_limit_cost_nanos": null
  }
}`, r.body)
}

func TestManagementKeyCreate(t *testing.T) {
	now := time.Date(2026, 8, 20, 10, 11, 12, 345_000_000, time.UTC)
	s := newServer(t, WithClock(func() time.Time { return now }))
	r := do(t, s, http.MethodPost, "/management-keys", `{"name":"  Terraform  ","scopes":["keys:read"," keys:write ","keys:read",""],
		"status":"paused","soft_blocked":true,"softBlocked":true,"dailyRequests":5,"workspace_id":"other"}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.True(t, strings.HasPrefix(r.body, "{\n  \"data\": {\n    \"id\": "), "pretty-printed: %s", r.body)
	assert.Equal(t, append(managementKeyFields[:len(managementKeyFields):len(managementKeyFields)], "key"), fieldOrder(t, r.body))

	k := data(t, r)
	assert.Regexp(t, uuidV4Pattern, k["id"])
	assert.Equal(t, s.WorkspaceID, k["workspace_id"])
	assert.Equal(t, "Terraform", k["name"], "trimmed")
	assert.Equal(t, "active", k["status"], "status is not a create field")
	assert.Equal(t, []any{"keys:read", "keys:write"}, k["scopes"], "trimmed, deduplicated, in order")
	assert.Nil(t, k["created_by"], "created with a management key")
	assert.Equal(t, "2026-08-20T10:11:12.346+00:00", k["created_at"], "after the server key's stamp")
	assert.Equal(t, k["created_at"], k["updated_at"])
	assert.Nil(t, k["expires_at"])
	assert.Equal(t, false, k["soft_blocked"], "ignored on create")
	assert.Nil(t, k["daily_limit_requests"], "ignored on create")
	m := managementKeyPattern.FindStringSubmatch(k["key"].(string))
	require.NotNil(t, m, "plaintext %q", k["key"])
	assert.Equal(t, m[1][:6], k["prefix"])

	stored, ok := s.Key(k["id"].(string))
	require.True(t, ok)
	assert.Equal(t, aistats.Scopes{"keys:read", "keys:write"}, stored.Scopes)
	assert.Empty(t, stored.CreatedBy)
	assert.Equal(t, s.WorkspaceID, stored.WorkspaceID)
	assert.Equal(t, s.WorkspaceID, stored.TeamID)

	got := do(t, s, http.MethodGet, "/management-keys/"+k["id"].(string), "")
	delete(k, "key")
	assert.Equal(t, k, data(t, got), "GET answers the created row, without key")
}

func TestManagementKeyCreateFields(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name, body string
		check      func(t *testing.T, k map[string]any)
	}{
		{"paused", `{"name":"a","template":"read-only","paused":true}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "paused", k["status"])
		}},
		{"paused must be true", `{"name":"a","template":"read-only","paused":"true"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "active", k["status"])
		}},
		{"number name", `{"name":123,"template":"read-only"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "123", k["name"])
		}},
		{"array name", `{"name":["a","b"],"template":"read-only"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "a,b", k["name"])
		}},
		{"expires_at", `{"name":"a","template":"read-only","expires_at":"2027-01-01T10:00:00.123456+02:00"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "2027-01-01T08:00:00.123+00:00", k["expires_at"], "a JavaScript Date: milliseconds")
		}},
		{"expiresAt", `{"name":"a","template":"read-only","expiresAt":"2027-01-01"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "2027-01-01T00:00:00+00:00", k["expires_at"])
		}},
		{"expires_at null falls back to expiresAt", `{"name":"a","template":"read-only","expires_at":null,"expiresAt":"2027-01-01"}`,
			func(t *testing.T, k map[string]any) { assert.Equal(t, "2027-01-01T00:00:00+00:00", k["expires_at"]) }},
		{"blank expiry", `{"name":"a","template":"read-only","expires_at":"  "}`, func(t *testing.T, k map[string]any) {
			assert.Nil(t, k["expires_at"])
		}},
		{"past expiry", `{"name":"a","template":"read-only","expires_at":"2001-01-01"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "2001-01-01T00:00:00+00:00", k["expires_at"])
		}},
		{"read-only", `{"name":"a","template":"read-only"}`, func(t *testing.T, k map[string]any) {
			assert.Len(t, k["scopes"], 16)
			assert.Equal(t, "me:read", k["scopes"].([]any)[0])
		}},
		{"read-write", `{"name":"a","template":"read-write"}`, func(t *testing.T, k map[string]any) {
			assert.Len(t, k["scopes"], 24)
			assert.Equal(t, []any{"feedback:read", "feedback:write", "workspaces:read", "workspaces:write", "keys:read"},
				k["scopes"].([]any)[8:13], "interleaved in canonical order")
		}},
		{"full-control", `{"name":"a","template":"full-control"}`, func(t *testing.T, k map[string]any) {
			assert.Len(t, k["scopes"], 30)
			assert.Equal(t, "oauth_clients:delete", k["scopes"].([]any)[29])
		}},
		{"scope string", `{"name":"a","scopes":"keys:read,, keys:write\tkeys:read"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, []any{"keys:read", "keys:write"}, k["scopes"])
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPost, "/management-keys", tc.body)
			require.Equal(t, http.StatusCreated, r.status, r.body)
			tc.check(t, data(t, r))
		})
	}
}

func TestManagementKeyCreateValidation(t *testing.T) {
	s := newServer(t)
	const (
		required = "template or scopes is required when creating a management key"
		both     = "Provide either template or scopes, not both"
		atLeast  = "At least one management scope is required"
		badType  = "scopes must be a string or string[]"
	)
	for _, tc := range []struct{ name, body, code, message string }{
		{"broken JSON", `{`, "invalid_json", "Invalid JSON body"},
		{"empty body", ``, "invalid_json", "Invalid JSON body"},
		{"null body", `null`, "invalid_json", "JSON body must be an object"},
		{"array body", `[]`, "invalid_json", "JSON body must be an object"},
		{"number body", `5`, "invalid_json", "JSON body must be an object"},
		{"no name", `{"scopes":5}`, "bad_request", "name is required"},
		{"null name", `{"name":null}`, "bad_request", "name is required"},
		{"blank name", `{"name":" \u00a0\ufeff "}`, "bad_request", "name is required"},
		{"empty array name", `{"name":[]}`, "bad_request", "name is required"},
		{"neither", `{"name":"a"}`, "bad_request", required},
		{"null scopes", `{"name":"a","scopes":null}`, "bad_request", required},
		{"both", `{"name":"a","template":"read-only","scopes":["keys:read"]}`, "bad_request", both},
		{"both, scopes null", `{"name":"a","template":"read-only","scopes":null}`, "bad_request", both},
		{"both checked before the template", `{"name":"a","template":"nope","scopes":"x"}`, "bad_request", both},
		{"unknown template", `{"name":"a","template":"raycast-readonly"}`, "bad_request", "Unsupported management key template: raycast-readonly"},
		{"dashboard template name", `{"name":"a","template":"Read"}`, "bad_request", "Unsupported management key template: Read"},
		{"null template", `{"name":"a","template":null}`, "bad_request", "Unsupported management key template: null"},
		{"number template", `{"name":"a","template":5}`, "bad_request", "Unsupported management key template: 5"},
		{"prototype template", `{"name":"a","template":"toString"}`, "bad_request", "Unsupported management key template: toString"},
		{"empty scope list", `{"name":"a","scopes":[]}`, "bad_request", atLeast},
		{"empty scope string", `{"name":"a","scopes":" , "}`, "bad_request", atLeast},
		{"null scope entries", `{"name":"a","scopes":[null,""]}`, "bad_request", atLeast},
		{"object scopes", `{"name":"a","scopes":{}}`, "bad_request", badType},
		{"number scopes", `{"name":"a","scopes":5}`, "bad_request", badType},
		{"unknown scope", `{"name":"a","scopes":["keys:read","keys:admin"]}`, "bad_request", "Unsupported scope: keys:admin"},
		{"JSON text in a string", `{"name":"a","scopes":"[\"keys:read\"]"}`, "bad_request", `Unsupported scope: ["keys:read"]`},
		{"identity scope", `{"name":"a","scopes":["keys:read","openid"]}`, "bad_request", "Identity scope is not allowed here: openid"},
		{"gateway scope", `{"name":"a","scopes":"gateway:access"}`, "bad_request", "Identity scope is not allowed here: gateway:access"},
		{"first bad scope wins", `{"name":"a","scopes":["openid","nope"]}`, "bad_request", "Identity scope is not allowed here: openid"},
		{"later capabilities", `{"name":"a","scopes":["budgets:read"]}`, "bad_request", "Unsupported scope: budgets:read"},
		{"name before scopes", `{"scopes":5}`, "bad_request", "name is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, do(t, s, http.MethodPost, "/management-keys", tc.body), http.StatusBadRequest, tc.code, tc.message)
		})
	}
	t.Run("an invalid date is a 500 at HEAD", func(t *testing.T) {
		for _, body := range []string{
			`{"name":"a","template":"read-only","expires_at":"soon"}`,
			`{"name":"a","template":"read-only","expiresAt":true}`,
			`{"name":"a","template":"read-only","expires_at":"2027-13-01"}`,
		} {
			wantInternalError(t, do(t, s, http.MethodPost, "/management-keys", body))
		}
		wantError(t, do(t, s, http.MethodPost, "/management-keys", `{"name":"a","expires_at":"soon"}`),
			http.StatusBadRequest, "bad_request", required)
	})
	assert.Len(t, s.Keys(), 1, "nothing but the server key was stored")
}

func TestManagementKeyGetAndDelete(t *testing.T) {
	s := newServer(t)
	k := s.AddKey(KeySpec{Name: "a", Scopes: "keys:read"})
	other := s.AddKey(KeySpec{Name: "other workspace", WorkspaceID: newUUID()})

	r := do(t, s, http.MethodGet, "/management-keys/"+strings.ToUpper(k.ID), "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, k.ID, data(t, r)["id"], "Postgres reads any UUID spelling")
	assert.Equal(t, managementKeyFields, fieldOrder(t, r.body), "no key")

	for _, tc := range []struct{ name, id string }{{"absent", newUUID()}, {"other workspace", other.ID}} {
		for _, m := range []string{http.MethodGet, http.MethodDelete} {
			wantError(t, do(t, s, m, "/management-keys/"+tc.id, ""), http.StatusNotFound, "not_found", "Management key not found")
		}
		wantError(t, do(t, s, http.MethodPatch, "/management-keys/"+tc.id, `{"name":"x"}`),
			http.StatusNotFound, "not_found", "Management key not found")
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		wantInternalError(t, do(t, s, m, "/management-keys/not-a-uuid", ""))
		wantInternalError(t, do(t, s, m, "/management-keys/"+k.Prefix, ""))
		wantError(t, do(t, s, m, "/management-keys/%20", ""), http.StatusBadRequest, "bad_request", "Management key id is required")
		wantError(t, do(t, s, m, "/management-keys/management-keys", ""), http.StatusBadRequest, "bad_request", "Management key id is required")
	}

	r = do(t, s, http.MethodDelete, "/management-keys/"+k.ID, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "{\n  \"deleted\": true\n}", r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	_, ok := s.Key(k.ID)
	assert.False(t, ok, "a hard delete")
	wantError(t, do(t, s, http.MethodDelete, "/management-keys/"+k.ID, ""), http.StatusNotFound, "not_found", "Management key not found")
	wantError(t, do(t, s, http.MethodGet, "/management-keys/"+k.ID, ""), http.StatusNotFound, "not_found", "Management key not found")
}

func TestManagementKeyList(t *testing.T) {
	s := newServer(t)
	s.SeedKeys(300)
	s.AddKey(KeySpec{Name: "other workspace", TeamID: newUUID()})
	for _, tc := range []struct {
		query string
		n     int
		first string
	}{
		{"", 100, "key-0300"},
		{"limit=0", 100, "key-0300"},
		{"limit=abc", 100, "key-0300"},
		{"limit=-1", 100, "key-0300"},
		{"limit=2.9", 2, "key-0300"},
		{"limit=251", 250, "key-0300"},
		{"limit=1e9", 250, "key-0300"},
		{"offset=-3&limit=1", 1, "key-0300"},
		{"offset=1.9&limit=1", 1, "key-0299"},
		{"offset=299&limit=5", 2, "key-0001"}, // then the server's own key
		{"offset=301", 0, ""},
		{"workspace_id=" + newUUID() + "&limit=1", 1, "key-0300"}, // ignored here
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/management-keys?"+tc.query, "")
			require.Equal(t, http.StatusOK, r.status, r.body)
			assert.Equal(t, []string{"data"}, fieldOrder(t, r.body), "no total, no echoed limit")
			got := names(t, r)
			assert.Len(t, got, tc.n)
			if tc.first != "" {
				assert.Equal(t, tc.first, got[0])
			}
		})
	}
	t.Run("the server's key is listed, oldest", func(t *testing.T) {
		got := names(t, do(t, s, http.MethodGet, "/management-keys?offset=300", ""))
		assert.Equal(t, []string{"aistatstest"}, got)
	})
	t.Run("empty page", func(t *testing.T) {
		assert.Equal(t, "{\n  \"data\": []\n}", do(t, s, http.MethodGet, "/management-keys?offset=1000", "").body)
	})
	t.Run("items are full rows", func(t *testing.T) {
		r := do(t, s, http.MethodGet, "/management-keys?limit=1", "")
		assert.Equal(t, managementKeyFields, fieldOrder(t, strings.TrimSuffix(strings.TrimPrefix(
			strings.TrimSpace(r.body), "{\n  \"data\": ["), "]\n}")))
	})
}

func TestManagementKeyPatch(t *testing.T) {
	created := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 8, 20, 10, 11, 12, 345678900, time.UTC)
	s := newServer(t, WithClock(func() time.Time { return now }))
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	seed := func() string {
		return s.AddKey(KeySpec{Name: "orig", Scopes: `["keys:read"]`, CreatedAt: created, ExpiresAt: &expires}).ID
	}
	patch := func(t *testing.T, id, body string) map[string]any {
		t.Helper()
		r := do(t, s, http.MethodPatch, "/management-keys/"+id, body)
		require.Equal(t, http.StatusOK, r.status, r.body)
		assert.Equal(t, managementKeyFields, fieldOrder(t, r.body))
		return data(t, r)
	}
	for _, tc := range []struct {
		name, body string
		check      func(t *testing.T, k map[string]any)
	}{
		{"name is trimmed", `{"name":"  new  "}`, func(t *testing.T, k map[string]any) { assert.Equal(t, "new", k["name"]) }},
		{"empty name is stored", `{"name":"   "}`, func(t *testing.T, k map[string]any) { assert.Equal(t, "", k["name"]) }},
		{"paused", `{"paused":true}`, func(t *testing.T, k map[string]any) { assert.Equal(t, "paused", k["status"]) }},
		{"scopes replace", `{"scopes":"management_keys:read"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, []any{"management_keys:read"}, k["scopes"])
		}},
		{"template replaces", `{"template":"read-only"}`, func(t *testing.T, k map[string]any) { assert.Len(t, k["scopes"], 16) }},
		{"expires_at", `{"expires_at":"2028-02-03T04:05:06Z"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "2028-02-03T04:05:06+00:00", k["expires_at"])
		}},
		{"expires_at null is a no-op", `{"expires_at":null}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "2027-01-01T00:00:00+00:00", k["expires_at"], "null ?? undefined is undefined")
			assert.Equal(t, "2026-08-01T00:00:00+00:00", k["updated_at"], "nothing was written")
		}},
		{"expiresAt null clears", `{"expiresAt":null}`, func(t *testing.T, k map[string]any) { assert.Nil(t, k["expires_at"]) }},
		{"empty expires_at clears", `{"expires_at":""}`, func(t *testing.T, k map[string]any) { assert.Nil(t, k["expires_at"]) }},
		{"softBlocked raw", `{"softBlocked":true}`, func(t *testing.T, k map[string]any) { assert.Equal(t, true, k["soft_blocked"]) }},
		{"softBlocked text", `{"softBlocked":"yes"}`, func(t *testing.T, k map[string]any) { assert.Equal(t, true, k["soft_blocked"]) }},
		{"limit fields", `{"dailyRequests":5,"weeklyRequests":"6","monthlyRequests":7.0,"dailyCostNanos":1e3,
			"weeklyCostNanos":9007199254740993,"monthlyCostNanos":-1}`, func(t *testing.T, k map[string]any) {
			assert.EqualValues(t, 5, k["daily_limit_requests"])
			assert.EqualValues(t, 6, k["weekly_limit_requests"])
			assert.EqualValues(t, 7, k["monthly_limit_requests"])
			assert.EqualValues(t, 1000, k["daily_limit_cost_nanos"])
			assert.EqualValues(t, 9007199254740992, k["weekly_limit_cost_nanos"], "a JavaScript number in between")
			assert.EqualValues(t, -1, k["monthly_limit_cost_nanos"], "not validated")
		}},
		{"updated_at", `{"name":"x"}`, func(t *testing.T, k map[string]any) {
			assert.Equal(t, "2026-08-20T10:11:12.345678+00:00", k["updated_at"])
			assert.Equal(t, "2026-08-01T00:00:00+00:00", k["created_at"])
		}},
		{"ignored fields ride along", `{"name":"x","status":"revoked","soft_blocked":true,"workspace_id":"w","limits":{}}`,
			func(t *testing.T, k map[string]any) {
				assert.Equal(t, "active", k["status"])
				assert.Equal(t, false, k["soft_blocked"])
			}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, patch(t, seed(), tc.body)) })
	}

	t.Run("limit fields clear with null", func(t *testing.T) {
		id := seed()
		patch(t, id, `{"dailyRequests":5,"monthlyCostNanos":10}`)
		k := patch(t, id, `{"dailyRequests":null}`)
		assert.Nil(t, k["daily_limit_requests"])
		assert.EqualValues(t, 10, k["monthly_limit_cost_nanos"])
		stored, _ := s.Key(id)
		assert.Nil(t, stored.Limits.Daily.Requests)
		require.NotNil(t, stored.Limits.Monthly.CostNanos)
		assert.EqualValues(t, 10, *stored.Limits.Monthly.CostNanos)
	})

	const omitted = "scopes must be omitted to keep existing scopes or provided as a string or string[]"
	for _, tc := range []struct{ name, body, code, message string }{
		{"broken JSON", `{`, "invalid_json", "Invalid JSON body"},
		{"array body", `[{"name":"x"}]`, "invalid_json", "JSON body must be an object"},
		{"nothing", `{}`, "bad_request", "No supported management key fields were provided"},
		{"only ignored fields", `{"status":"paused","soft_blocked":true,"name":5,"paused":"yes","workspace_id":"w"}`,
			"bad_request", "No supported management key fields were provided"},
		{"null scopes", `{"scopes":null}`, "bad_request", omitted},
		{"null scopes before a template", `{"scopes":null,"template":"read-only"}`, "bad_request", omitted},
		{"both", `{"scopes":"keys:read","template":"read-only"}`, "bad_request", "Provide either template or scopes, not both"},
		{"null template", `{"template":null}`, "bad_request", "Unsupported management key template: null"},
		{"empty scopes", `{"scopes":[]}`, "bad_request", "At least one management scope is required"},
		{"bad scope", `{"name":"x","scopes":["keys:read","nope"]}`, "bad_request", "Unsupported scope: nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := seed()
			wantError(t, do(t, s, http.MethodPatch, "/management-keys/"+id, tc.body), http.StatusBadRequest, tc.code, tc.message)
			k, _ := s.Key(id)
			assert.Equal(t, "orig", k.Name, "unchanged")
		})
	}
	for _, tc := range []struct{ name, body string }{
		{"invalid date", `{"name":"x","expires_at":"never"}`},
		{"null softBlocked", `{"name":"x","softBlocked":null}`},
		{"object softBlocked", `{"softBlocked":{}}`},
		{"fractional limit", `{"name":"x","dailyRequests":1.5}`},
		{"boolean limit", `{"dailyRequests":true}`},
		{"text limit", `{"weeklyCostNanos":"ten"}`},
		{"huge limit", `{"weeklyCostNanos":1e19}`},
	} {
		t.Run(tc.name+" is a 500", func(t *testing.T) {
			id := seed()
			wantInternalError(t, do(t, s, http.MethodPatch, "/management-keys/"+id, tc.body))
			k, _ := s.Key(id)
			assert.Equal(t, "orig", k.Name, "nothing applied")
		})
	}
	t.Run("order", func(t *testing.T) {
		wantError(t, do(t, s, http.MethodPatch, "/management-keys/%20", `{`), http.StatusBadRequest, "bad_request", "Management key id is required")
		wantError(t, do(t, s, http.MethodPatch, "/management-keys/not-a-uuid", `{}`),
			http.StatusBadRequest, "bad_request", "No supported management key fields were provided")
		wantInternalError(t, do(t, s, http.MethodPatch, "/management-keys/not-a-uuid", `{"name":"x"}`))
		wantError(t, do(t, s, http.MethodPatch, "/management-keys/"+newUUID(), `{"expires_at":null}`),
			http.StatusNotFound, "not_found", "Management key not found")
		wantInternalError(t, do(t, s, http.MethodPatch, "/management-keys/"+newUUID(), `{"dailyRequests":"x"}`))
		wantInternalError(t, do(t, s, http.MethodPatch, "/management-keys/"+seed(), `{"scopes":"keys:read","expires_at":"x"}`))
	})
	t.Run("state after a patch", func(t *testing.T) {
		id := seed()
		patch(t, id, `{"name":"renamed","paused":true,"template":"read-only","expiresAt":"2030-01-01","softBlocked":true,"weeklyCostNanos":7}`)
		k, ok := s.Key(id)
		require.True(t, ok)
		assert.Equal(t, "renamed", k.Name)
		assert.Equal(t, aistats.KeyStatusPaused, k.Status)
		assert.Len(t, k.Scopes, 16)
		assert.True(t, k.SoftBlocked)
		require.NotNil(t, k.ExpiresAt)
		assert.Equal(t, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), *k.ExpiresAt)
		require.NotNil(t, k.UpdatedAt)
		assert.Equal(t, now.Truncate(time.Microsecond), *k.UpdatedAt)
		require.NotNil(t, k.Limits.Weekly.CostNanos)
		assert.EqualValues(t, 7, *k.Limits.Weekly.CostNanos)
		usd, ok := k.Limits.Weekly.CostUSD()
		assert.True(t, ok)
		assert.InDelta(t, 7e-9, usd, 1e-18)
	})
}

func TestManagementKeyNamesAreRedactedLikeTheServer(t *testing.T) {
	s := newServer(t)
	for name, want := range map[string]string{
		"Error: prod":         "[redacted]",
		"my error: prod":      "[redacted]",
		"x\n   at foo (a.js)": "[redacted]",
		"Error:":              "Error:",
		"Errors: none":        "Errors: none",
		"<b>&amp;\u2028</b>":  "<b>&amp;\u2028</b>",
	} {
		r := do(t, s, http.MethodPost, "/management-keys", fmt.Sprintf(`{"name":%s,"scopes":"keys:read"}`, jsStringify(name)))
		require.Equal(t, http.StatusCreated, r.status, r.body)
		assert.Equal(t, want, data(t, r)["name"], "%q", name)
		if name == "<b>&amp;\u2028</b>" {
			assert.Contains(t, r.body, "\"name\": \"<b>&amp;\u2028</b>\"", "JSON.stringify escapes none of these")
		}
	}
	wantError(t, do(t, s, http.MethodPost, "/management-keys", `{"name":"a","scopes":"Error:boom"}`),
		http.StatusBadRequest, "bad_request", "[redacted]")
}
