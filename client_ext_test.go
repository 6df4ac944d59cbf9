package aistats_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// (1) Printing the client or its options never shows the API key.
func TestClientFormattingHidesAPIKey(t *testing.T) {
	t.Parallel()
	c := secClient(t, "https://api.example.com")
	jc := secJulyClient(t, "https://api.example.com")
	subjects := map[string]any{
		"*Client":                 c,
		"Client":                  *c,
		"*KeysService":            c.Keys,
		"in a struct":             struct{ C *aistats.Client }{c},
		"option":                  aistats.WithAPIKey(secAPIKey),
		"options":                 []aistats.Option{aistats.WithAPIKey(secAPIKey), aistats.WithBaseURL("https://x.example")},
		"2026-07 *Client":         jc,
		"2026-07 Client":          *jc,
		"2026-07 *APIKeysService": jc.APIKeys,
		"2026-07 option":          aistats.WithAPIKey(secJulyKey),
	}
	for name, v := range subjects {
		for _, verb := range fmtVerbs {
			assertNoLeak(t, name+" "+verb, fmt.Sprintf(verb, v), secAPIKey, secJulyKey)
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "v", v)
		assertNoLeak(t, name+" slog", buf.String(), secAPIKey, secJulyKey)
	}
	assert.Equal(t, `aistats.Client{baseURL: "https://api.example.com/v1", apiKey: aistats_v1_sk_Ab12Cd…}`, c.String())
	assert.Equal(t, c.String(), fmt.Sprintf("%#v", c))
	assert.Equal(t, `aistats.Client{baseURL: "https://api.example.com/v1", apiKey: phaseo_v1_mk_Ab12Cd…}`, jc.String())
}

func secKeyWith(bad string) string { return secAPIKey[:40] + bad + secAPIKey[40:] }

// (2) A key that would corrupt the Authorization header is refused by
// NewClient, and the error does not quote it.
func TestNewClientRejectsUnsafeAPIKey(t *testing.T) {
	t.Parallel()
	keys := map[string]string{
		"space": secKeyWith(" "), "tab": secKeyWith("\t"), "CR": secKeyWith("\r"), "LF": secKeyWith("\n"),
		"CRLF header injection": secKeyWith("\r\nX-Evil: 1"), "NUL": secKeyWith("\x00"), "DEL": secKeyWith("\x7f"),
		"non-ASCII": secKeyWith("é"),
	}
	for name, key := range keys {
		c, err := aistats.NewClient(aistats.WithAPIKey(key), aistats.WithBaseURL("https://api.example.com/v1"))
		if !assert.Error(t, err, name) {
			continue
		}
		assert.Nil(t, c, name)
		assert.ErrorIs(t, err, aistats.ErrInvalidRequest, name)
		var ve *aistats.ValidationError
		assert.ErrorAs(t, err, &ve, name)
		assertNoLeak(t, name, err.Error()+fmt.Sprintf("|%+v|%#v", err, err), key, secAPIKey)
	}
}

// Same through AI_STATS_API_KEY. (An environment value cannot hold NUL, and
// surrounding white space is trimmed, so only inner bytes are tested.)
func TestNewClientRejectsUnsafeAPIKeyFromEnv(t *testing.T) {
	for _, bad := range []string{" ", "\t", "\r", "\n", "\r\nX-Evil: 1", "é", "\x01"} {
		key := secKeyWith(bad)
		t.Setenv(aistats.EnvAPIKey, key)
		_, err := aistats.NewClient(aistats.WithBaseURL("https://api.example.com/v1"))
		if assert.Error(t, err, "%q", bad) {
			assert.ErrorIs(t, err, aistats.ErrInvalidRequest)
			assert.Contains(t, err.Error(), aistats.EnvAPIKey, "the error names the variable")
			assertNoLeak(t, fmt.Sprintf("env %q", bad), err.Error()+fmt.Sprintf("|%+v", err), key, secAPIKey)
		}
	}
	t.Setenv(aistats.EnvAPIKey, secAPIKey)
	_, err := aistats.NewClient(aistats.WithBaseURL("https://api.example.com/v1"))
	assert.NoError(t, err, "a clean key from the environment is accepted")
}

// (3) Base URL rules: absolute; https, or http to loopback; other http only
// with WithInsecureHTTP; never credentials in the URL (and never echo them).
func TestBaseURLSecurityRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw      string
		insecure bool
		want     string // "" means NewClient must fail
	}{
		{raw: "https://api.example.com/v1", want: "https://api.example.com/v1"},
		{raw: "https://api.example.com/v1/", want: "https://api.example.com/v1"},
		{raw: "http://127.0.0.1:8080/v1", want: "http://127.0.0.1:8080/v1"},
		{raw: "http://localhost:8080/v1", want: "http://localhost:8080/v1"},
		{raw: "http://[::1]:8080/v1", want: "http://[::1]:8080/v1"},
		{raw: "http://api.example.com/v1"},
		{raw: "http://10.0.0.5/v1"},
		{raw: "http://127.0.0.1.nip.io/v1"},
		{raw: "http://localhost.example.com/v1"},
		{raw: "http://api.example.com/v1", insecure: true, want: "http://api.example.com/v1"},
		{raw: "/v1"},
		{raw: "api.example.com/v1"},
		{raw: "https:///v1"},
		{raw: "ftp://api.example.com/v1"},
		{raw: "javascript:alert(1)"},
		{raw: "https://api.example.com/v1?token=s3cretQ"},
		{raw: "https://api.example.com/v1#s3cretQ"},
		{raw: "https://user:s3cretQ@api.example.com/v1"},
		{raw: "https://" + secAPIKey + "@api.example.com/v1"},
		{raw: "http://user:s3cretQ@127.0.0.1:8080/v1"},
		{raw: "http://user:s3cretQ@api.example.com/v1", insecure: true},
		{raw: "https://user:s3cretQ@api.example.com:bad/v1"},
		{raw: "//user:s3cretQ@api.example.com/v1"},
		{raw: "user:s3cretQ@api.example.com/v1"},
		{raw: "https://user:s3cretQ@exa mple.com/v1"},
		{raw: "https://api.example.com/v1?"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			opts := []aistats.Option{aistats.WithAPIKey(secAPIKey), aistats.WithBaseURL(tt.raw)}
			if tt.insecure {
				opts = append(opts, aistats.WithInsecureHTTP())
			}
			c, err := aistats.NewClient(opts...)
			if tt.want != "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, c.BaseURL())
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, aistats.ErrInvalidRequest)
			assertNoLeak(t, "base URL error", err.Error(), secAPIKey, "s3cretQ")
		})
	}
}

func TestBaseURLSecurityRulesFromEnv(t *testing.T) {
	t.Setenv(aistats.EnvBaseURL, "http://api.example.com/v1")
	_, err := aistats.NewClient(aistats.WithAPIKey(secAPIKey))
	assert.ErrorIs(t, err, aistats.ErrInvalidRequest, "plain http from the environment is refused too")

	t.Setenv(aistats.EnvBaseURL, "https://user:s3cretQ@api.example.com/v1")
	_, err = aistats.NewClient(aistats.WithAPIKey(secAPIKey))
	if assert.Error(t, err) {
		assert.NotContains(t, err.Error(), "s3cretQ")
	}
	_, err = aistats.NewClient(aistats.WithAPIKey(secAPIKey), aistats.WithBaseURL("https://api.example.com/v1"))
	assert.NoError(t, err, "WithBaseURL wins over the environment")
}

// (4) A redirect, even to the same host on another port (where net/http
// would keep the Authorization header), is never followed.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int64
	target := secServer(t, func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		secCanned(w, r)
	})
	for _, code := range []int{301, 302, 303, 307, 308} {
		var hits atomic.Int64
		srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			http.Redirect(w, r, target.URL+r.URL.Path, code)
		})
		c, jc := secClient(t, srv.URL), secJulyClient(t, srv.URL)
		ctx := context.Background()
		calls := map[string]error{
			"List":                   errOnly(c.Keys.List(ctx, nil)),
			"Create":                 errOnly(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})),
			"Delete":                 c.Keys.Delete(ctx, secKeyID),
			"2026-07 Keys.Create":    errOnly(jc.Keys.Create(ctx, createKeyParams(july, "k"))),
			"2026-07 APIKeys.List":   errOnly(jc.APIKeys.List(ctx, nil)),
			"2026-07 APIKeys.Create": errOnly(jc.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "k"})),
			"2026-07 APIKeys.Rotate": errOnly(jc.APIKeys.Rotate(ctx, leakAPIKeyID, nil)),
			"2026-07 APIKeys.Delete": jc.APIKeys.Delete(ctx, leakAPIKeyID),
		}
		for op, err := range calls {
			var apiErr *aistats.APIError
			if assert.ErrorAs(t, err, &apiErr, "%d %s", code, op) {
				assert.Equal(t, code, apiErr.StatusCode, op)
				assert.Equal(t, 1, apiErr.Attempts, "%d %s: a redirect is not retried", code, op)
				assertNoLeak(t, op, err.Error(), secAPIKey, secJulyKey)
			}
		}
		assert.Equal(t, int64(len(calls)), hits.Load(), "%d: one request per call", code)
	}
	assert.Zero(t, elsewhere.Load(), "the redirect target was never contacted")
}
