package aistatstest

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asMarch2026 pins a server to the 2026-03 generation, which the tests of
// /v1/management/keys exercise.
var asMarch2026 = WithAPIVersion(aistats.APIVersionMarch2026)

func newServer(t *testing.T, opts ...ServerOption) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

type response struct {
	status int
	header http.Header
	body   string
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &m), "body: %s", r.body)
	return m
}

// key returns the "key" object of the body.
func (r response) key(t *testing.T) map[string]any {
	t.Helper()
	k, ok := r.json(t)["key"].(map[string]any)
	require.True(t, ok, "no key object in %s", r.body)
	return k
}

// do sends an authorized request; path is relative to srv.URL (which ends in /v1).
func do(t *testing.T, s *Server, method, path, body string) response {
	t.Helper()
	return doAuth(t, s, method, s.URL+path, body, "Bearer "+s.ManagementKey)
}

// doAuth sends a request to an absolute URL with the given Authorization
// header ("" sends none).
func doAuth(t *testing.T, s *Server, method, url, body, auth string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// freshClient has no keep-alive pool, so a dropped connection surfaces as
// an error instead of being retried by the transport on a reused connection.
func freshClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
}

// keyNames lists the "name" of each key in a list body.
func keyNames(t *testing.T, r response) []string {
	t.Helper()
	keys, ok := r.json(t)["keys"].([]any)
	require.True(t, ok, "no keys array in %s", r.body)
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		names = append(names, k.(map[string]any)["name"].(string))
	}
	return names
}

// sortedKeys returns the field names of a JSON object.
func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}

// Helpers for the 2026-07 tests: raw HTTP with a chosen credential, and
// the bodies the server sends.

// doAs sends a request with "Bearer <key>"; path is relative to srv.URL.
func doAs(t *testing.T, s *Server, key, method, path, body string) response {
	t.Helper()
	return doAuth(t, s, method, s.URL+path, body, "Bearer "+key)
}

// mint stores an active management key holding scopes and returns its
// plaintext.
func mint(t *testing.T, s *Server, scopes ...string) string {
	t.Helper()
	return s.MintKey(KeySpec{Name: "minted", Scopes: serializeScopeList(scopes)}).Secret.Reveal()
}

// errorJSON is a pretty-printed {"error","message"} body.
func errorJSON(code, message string) string {
	return "{\n  \"error\": " + jsStringify(code) + ",\n  \"message\": " + jsStringify(message) + "\n}"
}

// wantError asserts a complete 2026-07 error answer.
func wantError(t *testing.T, r response, status int, code, message string) {
	t.Helper()
	assert.Equal(t, status, r.status, r.body)
	assert.Equal(t, errorJSON(code, message), r.body)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
}

// wantInternalError asserts the 500 of a 2026-07 catch block.
func wantInternalError(t *testing.T, r response) {
	t.Helper()
	require.Equal(t, http.StatusInternalServerError, r.status, r.body)
	m := r.json(t)
	assert.Equal(t, []string{"error", "message", "request_id"}, fieldOrder(t, r.body))
	assert.Equal(t, "internal_error", m["error"])
	assert.Equal(t, "Phaseo could not complete this request.", m["message"])
	assert.Regexp(t, uuidV4Pattern, m["request_id"], "a bare UUID, no G- prefix")
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
}

// wantText asserts one of Hono's text/plain defaults.
func wantText(t *testing.T, r response, status int, text string) {
	t.Helper()
	assert.Equal(t, status, r.status, r.body)
	assert.Equal(t, "text/plain; charset=UTF-8", r.header.Get("Content-Type"))
	assert.Equal(t, text, r.body)
}

// data returns the "data" object of a body.
func data(t *testing.T, r response) map[string]any {
	t.Helper()
	d, ok := r.json(t)["data"].(map[string]any)
	require.True(t, ok, "no data object in %s", r.body)
	return d
}

// dataList returns the "data" array of a body.
func dataList(t *testing.T, r response) []map[string]any {
	t.Helper()
	items, ok := r.json(t)["data"].([]any)
	require.True(t, ok, "no data array in %s", r.body)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

// names lists the "name" of each item of a data array.
func names(t *testing.T, r response) []string {
	t.Helper()
	var out []string
	for _, it := range dataList(t, r) {
		out = append(out, it["name"].(string))
	}
	return out
}

// fieldOrder lists the keys of a JSON object in order; when the object
// has a "data" object it lists that one's instead.
func fieldOrder(t *testing.T, text string) []string {
	t.Helper()
	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(text), &top))
	if raw, ok := top["data"]; ok && bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return objectKeys(t, raw)
	}
	return objectKeys(t, []byte(text))
}

// objectKeys lists the keys of the JSON object raw, in order.
func objectKeys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

var (
	managementKeyFields = []string{"id", "workspace_id", "name", "prefix", "status", "scopes", "created_by",
		"created_at", "updated_at", "last_used_at", "expires_at", "soft_blocked", "daily_limit_requests",
		"weekly_limit_requests", "monthly_limit_requests", "daily_limit_cost_nanos", "weekly_limit_cost_nanos",
		"monthly_limit_cost_nanos"}
	apiKeyFields = []string{"id", "hash", "workspace_id", "name", "label", "prefix", "status", "disabled",
		"soft_blocked", "include_byok_in_limit", "limit", "limit_reset", "created_by", "creator_user_id",
		"created_at", "updated_at", "last_used_at", "expires_at"}
)

func mustAPIKey(t *testing.T, s *Server, idOrHash string) aistats.APIKey {
	t.Helper()
	k, ok := s.APIKeyByID(idOrHash)
	require.True(t, ok, idOrHash)
	return k
}

func ptr[T any](v T) *T { return &v }

// send issues an authorized request with client and returns the response
// (body unread) or the transport error.
func send(t *testing.T, s *Server, client *http.Client, method, path, body string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.ManagementKey)
	res, err := client.Do(req)
	if res != nil {
		t.Cleanup(func() { res.Body.Close() })
	}
	return res, err
}

var managementKeyPattern = regexp.MustCompile(`^phaseo_v1_mk_([A-Za-z0-9]{12})_[A-Za-z0-9]{40}$`)

var requestIDPattern = regexp.MustCompile(`^G-[0-9A-HJKMNP-TV-Z]{26}$`)
