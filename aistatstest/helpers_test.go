package aistatstest

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
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
