package aistatstest

import (
	"net/http"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRotate(t *testing.T) {
	s := newServer(t)
	limit := 12.5
	old := s.AddAPIKey(APIKeySpec{Name: "ci", Limit: &limit, LimitReset: aistats.LimitResetDaily, SoftBlocked: true})

	r := do(t, s, http.MethodPost, "/keys/"+old.ID+"/rotate", ``)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Equal(t, []string{"data", "previous_key_expires_at"}, objectKeys(t, []byte(r.body)))
	assert.Equal(t, append(apiKeyFields[:len(apiKeyFields):len(apiKeyFields)], "key"), fieldOrder(t, r.body))
	assert.Nil(t, r.json(t)["previous_key_expires_at"])
	k := data(t, r)
	assert.NotEqual(t, old.ID, k["id"], "a new key")
	assert.NotEqual(t, old.Hash, k["hash"])
	assert.Regexp(t, hashPattern, k["hash"])
	assert.Regexp(t, apiKeyPattern, k["key"])
	assert.Equal(t, "ci (rotated)", k["name"])
	assert.Equal(t, "active", k["status"])
	assert.Equal(t, true, k["soft_blocked"], "copied")
	assert.Equal(t, 12.5, k["limit"], "copied")
	assert.Equal(t, "daily", k["limit_reset"])
	assert.Nil(t, k["expires_at"])

	assert.Equal(t, old, mustAPIKey(t, s, old.ID), "the old key is untouched without a deadline")
	assert.Len(t, s.APIKeys(), 2)
}

func TestRotateGracePeriod(t *testing.T) {
	s := newServer(t)
	old := s.AddAPIKey(APIKeySpec{Name: "ci"})
	for _, tc := range []struct {
		name, body string
		prev       any
		stored     *time.Time
	}{
		{"snake", `{"previous_key_expires_at":"2026-09-01T00:00:00+02:00"}`, "2026-08-31T22:00:00.000Z",
			ptr(time.Date(2026, 8, 31, 22, 0, 0, 0, time.UTC))},
		{"camel", `{"previousKeyExpiresAt":"2026-09-02"}`, "2026-09-02T00:00:00.000Z",
			ptr(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC))},
		// `null ?? undefined`: not given, so the deadline set above stays.
		{"null is not given", `{"previous_key_expires_at":null}`, nil, ptr(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC))},
		{"camel null clears", `{"previous_key_expires_at":null,"previousKeyExpiresAt":null}`, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPost, "/keys/"+old.ID+"/rotate", tc.body)
			require.Equal(t, http.StatusOK, r.status, r.body)
			assert.Equal(t, tc.prev, r.json(t)["previous_key_expires_at"])
			assert.Equal(t, tc.stored, mustAPIKey(t, s, old.ID).ExpiresAt)
			assert.Nil(t, data(t, r)["expires_at"], "the new key does not expire")
		})
	}
	t.Run("named", func(t *testing.T) {
		r := do(t, s, http.MethodPost, "/keys/"+old.Hash+"/rotate", `{"name":"  ci v2 "}`)
		require.Equal(t, http.StatusOK, r.status, r.body)
		assert.Equal(t, "ci v2", data(t, r)["name"])
	})
	t.Run("blank or non-string name gets the default", func(t *testing.T) {
		for _, body := range []string{`{"name":" "}`, `{"name":5}`} {
			assert.Equal(t, "ci (rotated)", data(t, do(t, s, http.MethodPost, "/keys/"+old.ID+"/rotate", body))["name"])
		}
	})
}

func TestRotateErrors(t *testing.T) {
	s := newServer(t)
	old := s.AddAPIKey(APIKeySpec{Name: "ci"})
	gone := s.AddAPIKey(APIKeySpec{Name: "gone", Status: aistats.KeyStatusDeleted})
	for _, tc := range []struct {
		name, id, body string
		status         int
		code, message  string
	}{
		{"unknown", newUUID(), "", 404, "not_found", "API key not found"},
		{"deleted", gone.ID, "", 404, "not_found", "API key not found"},
		{"broken JSON", old.ID, "{", 400, "invalid_json", "Invalid JSON body"},
		{"array body", old.ID, "[]", 400, "invalid_json", "Invalid JSON body"},
		{"null body", old.ID, "null", 400, "invalid_json", "Invalid JSON body"},
		{"invalid date", old.ID, `{"previous_key_expires_at":"later"}`, 400, "bad_request",
			"expires_at must be a valid ISO-8601 datetime or null"},
		{"reserved id", "keys", "", 400, "bad_request", "Key id is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, do(t, s, http.MethodPost, "/keys/"+tc.id+"/rotate", tc.body), tc.status, tc.code, tc.message)
		})
	}
	assert.Len(t, s.APIKeys(), 2, "nothing was created")
	assert.Equal(t, http.StatusOK, do(t, s, http.MethodPost, "/keys/"+old.ID+"/rotate", " \n ").status, "a blank body is no body")
}

func TestWithoutRotation(t *testing.T) {
	s := newServer(t, WithoutRotation())
	k := s.AddAPIKey(APIKeySpec{Name: "ci"})
	wantText(t, do(t, s, http.MethodPost, "/keys/"+k.ID+"/rotate", `{}`), http.StatusNotFound, "404 Not Found")
	assert.Equal(t, "*", do(t, s, http.MethodPost, "/keys/"+k.ID+"/rotate", "").header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/keys/"+k.ID, "").status, "other routes remain")
	assert.Len(t, s.APIKeys(), 1)
}
