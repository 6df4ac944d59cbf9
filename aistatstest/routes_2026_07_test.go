package aistatstest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnknownRoutesJuly2026(t *testing.T) {
	s := newServer(t)
	mk := s.SeedKeys(1)[0].ID
	ak := s.SeedAPIKeys(1)[0].ID
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/v1/management/keys"}, // retired 2026-04-29
		{http.MethodPost, "/v1/management/keys"},
		{http.MethodGet, "/v1/management/keys/" + mk},
		{http.MethodGet, "/v1/management-keys/"}, // trailing slashes
		{http.MethodGet, "/v1/keys/"},
		{http.MethodGet, "/v1/keys/" + ak + "/"},
		{http.MethodPut, "/v1/keys/" + ak}, // no 405 in Hono
		{http.MethodPut, "/v1/management-keys/" + mk},
		{http.MethodPut, "/v1/keys"},
		{http.MethodDelete, "/v1/keys"},
		{http.MethodPatch, "/v1/management-keys"},
		{http.MethodPost, "/v1/management-keys/" + mk},
		{http.MethodPost, "/v1/management-keys/" + mk + "/rotate"}, // no management-key rotation
		{http.MethodGet, "/v1/keys/" + ak + "/rotate"},
		{http.MethodGet, "/v1/keys/" + ak + "/extra"},
		{http.MethodGet, "/v1/keys/a/b/rotate"},
		{http.MethodGet, "/v1"},
		{http.MethodGet, "/v1keys"},
		{http.MethodGet, "/keys"},
		{http.MethodGet, "/"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			// No Authorization: routing happens before the auth guard.
			base := s.URL[:len(s.URL)-len(apiPrefix)]
			wantText(t, doAuth(t, s, tc.method, base+tc.path, "", ""), http.StatusNotFound, "404 Not Found")
		})
	}
	t.Run("CORS on /v1 answers, text 404s included", func(t *testing.T) {
		r := doAuth(t, s, http.MethodGet, s.URL+"/management/keys", "", "")
		assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "86400", r.header.Get("Access-Control-Max-Age"))
	})
}

func TestUnknownRoutesMarch2026IncludeTheJulyPaths(t *testing.T) {
	s := newServer(t, asMarch2026)
	for _, path := range []string{"/management-keys", "/keys", "/keys/" + newUUID(), "/management-keys/" + newUUID()} {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			wantText(t, do(t, s, m, path, `{"name":"a"}`), http.StatusNotFound, "404 Not Found")
		}
	}
}

func TestOptionsAndCORSJuly2026(t *testing.T) {
	s := newServer(t)
	for _, path := range []string{"/v1/keys", "/v1/management-keys/whatever", "/v1/management/keys"} {
		base := s.URL[:len(s.URL)-len(apiPrefix)]
		r := doAuth(t, s, http.MethodOptions, base+path, "", "")
		assert.Equal(t, http.StatusNoContent, r.status, path)
		assert.Empty(t, r.body)
		assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "GET, POST, PUT, PATCH, DELETE, OPTIONS", r.header.Get("Access-Control-Allow-Methods"))
		assert.Contains(t, r.header.Get("Access-Control-Allow-Headers"), "Authorization, Content-Type, traceparent")
		assert.Equal(t, "86400", r.header.Get("Access-Control-Max-Age"))
	}
	r := do(t, s, http.MethodGet, "/keys", "")
	assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"), "JSON answers carry CORS too")
	assert.Empty(t, r.header.Get("Retry-After"))
	assert.Empty(t, r.header.Get("X-Request-Id"))

	march := newServer(t, asMarch2026)
	r = doAuth(t, march, http.MethodOptions, march.URL+"/management/keys", "", "")
	assert.Empty(t, r.header.Get("Access-Control-Max-Age"), "2026-03 sent only origin and methods")
}

func TestHeadJuly2026(t *testing.T) {
	s := newServer(t)
	s.SeedAPIKeys(2)
	for _, path := range []string{"/keys", "/management-keys"} {
		r := do(t, s, http.MethodHead, path, "")
		assert.Equal(t, http.StatusOK, r.status, path)
		assert.Equal(t, "application/json", r.header.Get("Content-Type"))
		assert.Empty(t, r.body)
	}
}

func TestPrettyAndCompactJSON(t *testing.T) {
	s := newServer(t)
	r := do(t, s, http.MethodGet, "/keys", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "{\n  \"data\": [],\n  \"total_count\": 0\n}", r.body, "2-space indent, no trailing newline")

	r = do(t, s, http.MethodGet, "/keys/"+newUUID(), "")
	assert.Equal(t, "{\n  \"error\": \"not_found\",\n  \"message\": \"API key not found\"\n}", r.body)

	r = doAuth(t, s, http.MethodGet, s.URL+"/keys", "", "")
	require.Equal(t, http.StatusUnauthorized, r.status)
	assert.Regexp(t, `^\{"error":"unauthorised","reason":"missing_or_invalid_authorization_header","request_id":"G-[0-9A-Z]{26}",`+
		`"status_code":401,"error_type":"user","error_origin":"user","generation_id":"G-[0-9A-Z]{26}"\}$`, r.body)
}
