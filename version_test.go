package aistats

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The env tests use t.Setenv, so they cannot run in parallel.

func TestAPIVersionChoice(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		opts     []Option
		want     APIVersion
		wantPath string
	}{
		{name: "management key selects 2026-07", opts: []Option{WithAPIKey(julyKey)}, want: APIVersionJuly2026, wantPath: "/v1/management-keys"},
		{name: "OAuth token selects 2026-07", opts: []Option{WithAPIKey("eyJhbGciOiJSUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2ln")}, want: APIVersionJuly2026, wantPath: "/v1/management-keys"},
		{name: "aistats_ key selects 2026-03", opts: []Option{WithAPIKey(testAPIKey)}, want: APIVersionMarch2026, wantPath: "/v1/management/keys"},
		{name: "option wins over the key", opts: []Option{WithAPIKey(testAPIKey), WithAPIVersion(APIVersionJuly2026)}, want: APIVersionJuly2026, wantPath: "/v1/management-keys"},
		{name: "env wins over the key", env: map[string]string{EnvAPIVersion: " 2026-07 "}, opts: []Option{WithAPIKey(testAPIKey)}, want: APIVersionJuly2026, wantPath: "/v1/management-keys"},
		{name: "option wins over env", env: map[string]string{EnvAPIVersion: "2026-07"}, opts: []Option{WithAPIKey(julyKey), WithAPIVersion(APIVersionMarch2026)}, want: APIVersionMarch2026, wantPath: "/v1/management/keys"},
		{name: "PHASEO_API_KEY read when AI_STATS_API_KEY is unset", env: map[string]string{EnvPhaseoAPIKey: julyKey}, want: APIVersionJuly2026, wantPath: "/v1/management-keys"},
		{name: "AI_STATS_API_KEY wins over PHASEO_API_KEY", env: map[string]string{EnvAPIKey: testAPIKey, EnvPhaseoAPIKey: julyKey}, want: APIVersionMarch2026, wantPath: "/v1/management/keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range []string{EnvAPIKey, EnvPhaseoAPIKey, EnvAPIVersion} {
				t.Setenv(name, tt.env[name])
			}
			srv := newTestServer(t, jsonReply(404, `{"error":"not_found"}`))
			c, err := NewClient(append(tt.opts, WithBaseURL(srv.BaseURL()), WithMaxRetries(0))...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.APIVersion())
			_, _ = c.Keys.List(context.Background(), nil)
			assert.Equal(t, tt.wantPath, srv.only(t).Path, "no probing request: the first request is the call")
		})
	}
}

func TestAPIVersionRejectsUnknown(t *testing.T) {
	_, err := NewClient(WithAPIKey(julyKey), WithAPIVersion("2026-13"))
	requireValidationError(t, err, "WithAPIVersion")
	assert.Contains(t, err.Error(), "2026-07")

	t.Setenv(EnvAPIVersion, "v2")
	_, err = NewClient(WithAPIKey(julyKey))
	requireValidationError(t, err, EnvAPIVersion)
}

// No key anywhere is a *ValidationError with one "aistats:" prefix, naming
// both variables.
func TestNoAPIKeyAnywhere(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	t.Setenv(EnvPhaseoAPIKey, " \t")
	_, err := NewClient()
	requireValidationError(t, err, "API key")
	assert.Equal(t, 1, strings.Count(err.Error(), "aistats:"), err.Error())
	assert.Contains(t, err.Error(), EnvAPIKey)
	assert.Contains(t, err.Error(), EnvPhaseoAPIKey)

	t.Setenv(EnvAPIKey, "bad key")
	_, err = NewClient()
	requireValidationError(t, err, EnvAPIKey)
	assert.Equal(t, 1, strings.Count(err.Error(), "aistats:"), err.Error())
	assert.NotContains(t, err.Error(), "bad key", "the key is never quoted")
}

// WithAPIKey and the environment trim surrounding white space alike.
func TestAPIKeyWhitespaceTrimmedAlike(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	t.Setenv(EnvPhaseoAPIKey, "")
	fromOption := sentAuthorization(t, WithAPIKey(" \t"+testAPIKey+"\r\n"))
	t.Setenv(EnvAPIKey, "\n "+testAPIKey+"\t")
	fromEnv := sentAuthorization(t)
	assert.Equal(t, "Bearer "+testAPIKey, fromOption)
	assert.Equal(t, fromOption, fromEnv)
}

// On 2026-03 every APIKeys method fails with errors.ErrUnsupported before
// any request.
func TestAPIKeysUnsupportedOnMarch2026(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := newTestClient(t, srv.BaseURL())
	require.Equal(t, APIVersionMarch2026, c.APIVersion())
	ctx := context.Background()
	calls := map[string]func() error{
		"List":   func() error { return errOnly(c.APIKeys.List(ctx, nil)) },
		"Create": func() error { return errOnly(c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "n"})) },
		"Get":    func() error { return errOnly(c.APIKeys.Get(ctx, julyAPIKeyID)) },
		"Update": func() error {
			return errOnly(c.APIKeys.Update(ctx, julyAPIKeyID, &UpdateAPIKeyParams{Name: Ptr("n")}))
		},
		"Delete": func() error { return c.APIKeys.Delete(ctx, julyAPIKeyID) },
		"Rotate": func() error { return errOnly(c.APIKeys.Rotate(ctx, julyAPIKeyID, nil)) },
		"All": func() error {
			for _, err := range c.APIKeys.All(ctx, nil) {
				return err
			}
			return nil
		},
		"Pages": func() error {
			for _, err := range c.APIKeys.Pages(ctx, nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		err := call()
		assert.ErrorIs(t, err, errors.ErrUnsupported, name)
		assert.Contains(t, err.Error(), "2026-07", name)
	}
	assert.Zero(t, srv.count(), "no request")
}

// A 404 that is not JSON is a route the server does not have: it matches
// ErrEndpointNotFound, never ErrNotFound, and says which version was used.
func TestEndpointNotFound(t *testing.T) {
	t.Parallel()
	textNotFound := reply{Status: 404, Header: http.Header{"Content-Type": {"text/plain; charset=UTF-8"}}, Body: "404 Not Found"}
	htmlNotFound := reply{Status: 404, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html><title>404</title></html>"}
	for _, tt := range []struct {
		name   string
		client func(t *testing.T, base string) *Client
		reply  reply
		want   []string
	}{
		{"2026-03 on today's service", func(t *testing.T, b string) *Client { return newTestClient(t, b) }, textNotFound,
			[]string{"2026-03", "retired /v1/management/keys on 2026-04-29", "phaseo_v1_mk_"}},
		{"2026-07, CDN page", func(t *testing.T, b string) *Client { return newJulyClient(t, b) }, htmlNotFound,
			[]string{"2026-07", "base URL"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, tt.reply)
			c := tt.client(t, srv.BaseURL())
			_, err := c.Keys.Get(context.Background(), julyMgmtID)
			assert.ErrorIs(t, err, ErrEndpointNotFound)
			assert.NotErrorIs(t, err, ErrNotFound, "a missing route is not a missing key")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 404, apiErr.StatusCode)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Equal(t, 1, srv.count(), "a 404 is not retried")

			// Delete's lost-answer rule needs the API's own 404: after an
			// unknown outcome, a route 404 is still an error.
			srv2 := newTestServer(t, reply{Status: 503, Body: `{"error":"busy"}`}, tt.reply)
			err = tt.client(t, srv2.BaseURL()).Keys.Delete(context.Background(), julyMgmtID)
			assert.ErrorIs(t, err, ErrEndpointNotFound, "a route 404 after a 503 is not success")
		})
	}
	// The API's own JSON 404 stays ErrNotFound.
	srv := newTestServer(t, jsonReply(404, `{"error":"not_found","message":"Management key not found"}`))
	_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrEndpointNotFound)
}
