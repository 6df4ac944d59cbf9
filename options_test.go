package aistats

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The env tests use t.Setenv, so they cannot run in parallel.

func TestAPIKeyFromEnv(t *testing.T) {
	tests := []struct {
		name, env string
		opts      []Option
		want      string
	}{
		{name: "env used without WithAPIKey", env: "env-key-1", want: "Bearer env-key-1"},
		{name: "env is trimmed", env: "  env-key-1 \n", want: "Bearer env-key-1"},
		{name: "WithAPIKey wins over env", env: "env-key-1", opts: []Option{WithAPIKey("opt-key-2")}, want: "Bearer opt-key-2"},
		{name: "WithAPIKey without env", env: "", opts: []Option{WithAPIKey("opt-key-2")}, want: "Bearer opt-key-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvAPIKey, tt.env)
			assert.Equal(t, tt.want, sentAuthorization(t, tt.opts...))
		})
	}
}

func TestMissingOrBadAPIKeyFromEnv(t *testing.T) {
	tests := []struct {
		name, env  string
		mentionEnv bool
	}{
		{name: "unset", env: "", mentionEnv: true},
		{name: "blank", env: " \t ", mentionEnv: true},
		{name: "inner space", env: "secret value-123"},
		{name: "header injection", env: "secret-123\r\nX-Evil: 1"},
		{name: "non-ASCII", env: "sécret-123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvAPIKey, tt.env)
			c, err := NewClient()
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.Contains(t, err.Error(), EnvAPIKey)
			if !tt.mentionEnv {
				assert.NotContains(t, err.Error(), "secret", "the error must not quote the key")
			}
		})
	}
}

func TestBaseURLFromEnv(t *testing.T) {
	tests := []struct {
		name, env string
		opts      []Option
		want      string
		wantErr   bool
	}{
		{name: "default when neither is set", env: "", want: DefaultBaseURL},
		{name: "env used", env: "https://api.example.test/v1", want: "https://api.example.test/v1"},
		{name: "env trimmed of spaces and trailing slash", env: " https://api.example.test/v1/ ", want: "https://api.example.test/v1"},
		{name: "WithBaseURL wins over env", env: "https://env.example.test/v1", opts: []Option{WithBaseURL("https://opt.example.test/v1/")}, want: "https://opt.example.test/v1"},
		{name: "env is validated", env: "ftp://api.example.test/v1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvAPIKey, testAPIKey)
			t.Setenv(EnvBaseURL, tt.env)
			c, err := NewClient(tt.opts...)
			if tt.wantErr {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidRequest)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.BaseURL())
		})
	}
}

func TestBaseURLFromEnvReceivesRequests(t *testing.T) {
	srv := newTestServer(t, jsonReply(200, emptyListJSON))
	t.Setenv(EnvAPIKey, testAPIKey)
	t.Setenv(EnvBaseURL, srv.BaseURL())
	c, err := NewClient()
	require.NoError(t, err)
	_, err = c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, testKeysPath, srv.only(t).Path)
}

func TestBaseURLRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url      string
		insecure bool
		want     string // "" means rejected
	}{
		{url: "https://api.example.test/v1/", want: "https://api.example.test/v1"},
		{url: "https://api.example.test", want: "https://api.example.test"},
		{url: "http://localhost:8080/v1", want: "http://localhost:8080/v1"},
		{url: "http://LOCALHOST/v1", want: "http://LOCALHOST/v1"},
		{url: "http://127.0.0.1:9/v1", want: "http://127.0.0.1:9/v1"},
		{url: "http://[::1]:8080/v1", want: "http://[::1]:8080/v1"},
		{url: "http://api.example.test/v1", insecure: true, want: "http://api.example.test/v1"},

		{url: "/v1"},
		{url: "api.example.test/v1"},
		{url: ""},
		{url: "ftp://api.example.test/v1"},
		{url: "https://user:hunter2@api.example.test/v1"},
		{url: "https://api.example.test/v1?debug=1"},
		{url: "https://api.example.test/v1#top"},
		{url: "http://api.example.test/v1"},
		{url: "http://10.0.0.1/v1"},
		{url: "http://localhost.example.test/v1"},
		{url: "ftp://api.example.test/v1", insecure: true},
		{url: "https://api.example.test/%zz"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s insecure=%t", tt.url, tt.insecure), func(t *testing.T) {
			t.Parallel()
			opts := []Option{WithAPIKey(testAPIKey), WithBaseURL(tt.url)}
			if tt.insecure {
				opts = append(opts, WithInsecureHTTP())
			}
			c, err := NewClient(opts...)
			if tt.want == "" {
				requireValidationError(t, err, "base URL")
				assert.NotContains(t, err.Error(), "hunter2", "credentials are not echoed")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.BaseURL())
		})
	}
}

func TestOptionValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opt   Option
		field string
		// secret must not appear in the error text.
		secret string
	}{
		{"negative retries", WithMaxRetries(-1), "WithMaxRetries", ""},
		{"negative min wait", WithRetryWait(-time.Millisecond, time.Second), "WithRetryWait", ""},
		{"min wait above max", WithRetryWait(2*time.Second, time.Second), "WithRetryWait", ""},
		{"zero timeout", WithTimeout(0), "WithTimeout", ""},
		{"negative timeout", WithTimeout(-time.Second), "WithTimeout", ""},
		{"nil http client", WithHTTPClient(nil), "WithHTTPClient", ""},
		{"empty user agent", WithUserAgent(""), "WithUserAgent", ""},
		{"blank user agent", WithUserAgent("  "), "WithUserAgent", ""},
		{"user agent with CRLF", WithUserAgent("bot/1\r\nX-Evil: 1"), "WithUserAgent", ""},
		{"empty API key", WithAPIKey(""), "WithAPIKey", ""},
		{"API key with a space", WithAPIKey("sk-live secret123"), "WithAPIKey", "secret123"},
		{"API key with CRLF", WithAPIKey("sk-live-secret123\r\nX-Evil: 1"), "WithAPIKey", "secret123"},
		{"API key with a tab inside", WithAPIKey("sk-live\tsecret123"), "WithAPIKey", "secret123"},
		{"API key with non-ASCII", WithAPIKey("sk-live-sécret123"), "WithAPIKey", "cret123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The valid key comes first so that only tt.opt can fail.
			c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL("http://127.0.0.1:9/v1"), tt.opt)
			assert.Nil(t, c)
			requireValidationError(t, err, tt.field)
			if tt.secret != "" {
				assert.NotContains(t, err.Error(), tt.secret)
			}
		})
	}
}

func TestValidOptionsAreAccepted(t *testing.T) {
	t.Parallel()
	_, err := NewClient(
		WithAPIKey(testAPIKey),
		WithBaseURL("https://api.example.test/v1"),
		WithMaxRetries(0),
		WithRetryWait(0, 0),
		WithTimeout(time.Nanosecond),
		WithHTTPClient(&http.Client{}),
		WithUserAgent("bot/1"),
		WithLogger(nil),
		nil, // a nil Option is skipped
	)
	require.NoError(t, err)
}

func TestWithUserAgentPrepends(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, jsonReply(200, emptyListJSON))
	c := newTestClient(t, srv.BaseURL(), WithUserAgent("  billing-bot/2.1 "))
	_, err := c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	ua := srv.only(t).Header.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "billing-bot/2.1 aistats-go/"+Version+" "), "User-Agent %q", ua)
}

func TestClientPrintingHidesAPIKey(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "https://api.example.test/v1")
	secretPart := testAPIKey[strings.LastIndexByte(testAPIKey, '_')+1:]
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, *c} {
			assert.NotContains(t, fmt.Sprintf(verb, v), secretPart, "fmt %s of %T", verb, v)
		}
	}
}

// countingTransport counts the requests it carries to http.DefaultTransport.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestWithHTTPClientTransportCarriesEveryAttempt(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, jsonReply(503, `{}`), jsonReply(200, emptyListJSON))
	rt := &countingTransport{}
	c := newTestClient(t, srv.BaseURL(), WithHTTPClient(&http.Client{Transport: rt}))
	_, err := c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.count())
	assert.EqualValues(t, 2, rt.n.Load(), "every attempt goes through the caller's Transport")
}

func TestWithHTTPClientTimeoutIsPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	const clientTimeout = 50 * time.Millisecond
	tests := []struct {
		name    string
		delay   time.Duration
		opts    []Option
		wantErr bool
	}{
		{name: "client Timeout bounds each attempt", delay: 2 * time.Second, wantErr: true},
		{name: "WithTimeout wins over client Timeout", delay: 150 * time.Millisecond, opts: []Option{WithTimeout(5 * time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, reply{Status: 200, Body: emptyListJSON, Delay: tt.delay})
			rt := &countingTransport{}
			hc := &http.Client{Transport: rt, Timeout: clientTimeout}
			c := newTestClient(t, srv.BaseURL(), append([]Option{WithHTTPClient(hc), WithMaxRetries(0)}, tt.opts...)...)
			start := time.Now()
			_, err := c.Keys.List(context.Background(), nil)
			elapsed := time.Since(start)
			assert.EqualValues(t, 1, rt.n.Load())
			if !tt.wantErr {
				require.NoError(t, err)
				return
			}
			var timeout *AttemptTimeoutError
			require.True(t, errors.As(err, &timeout), "want *AttemptTimeoutError, got %v", err)
			assert.Equal(t, clientTimeout, timeout.After)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, elapsed, tt.delay, "the attempt was cut short")
		})
	}
}

// README, "Client and options": WithAPIKey("") is a *ValidationError, so
// a key from a variable of your own is passed only when set, and the
// client falls back to the standard variables otherwise.
func TestReadmeOwnKeyVariableFallsBack(t *testing.T) {
	t.Setenv(EnvAPIKey, julyKey)
	t.Setenv(EnvPhaseoAPIKey, "")
	t.Setenv("MY_KEY", "")
	os.Unsetenv("MY_KEY")

	_, err := NewClient(WithAPIKey(os.Getenv("MY_KEY")))
	requireValidationError(t, err, "WithAPIKey")

	readme := func() (*Client, error) {
		var opts []Option
		if key := os.Getenv("MY_KEY"); key != "" {
			opts = append(opts, WithAPIKey(key))
		}
		return NewClient(opts...)
	}
	c, err := readme()
	if err != nil || c.apiKey.Reveal() != julyKey {
		t.Fatalf("unset MY_KEY: want the $%s key, got %v", EnvAPIKey, err)
	}
	t.Setenv("MY_KEY", otherFormatKey)
	if c, err = readme(); err != nil || c.apiKey.Reveal() != otherFormatKey {
		t.Fatalf("set MY_KEY: want it used, got %v", err)
	}
}

func TestWithMaxRetryAfter(t *testing.T) {
	t.Parallel()
	limited := reply{Status: 429, Header: http.Header{"Retry-After": {"1"}}, Body: `{"error":"rate_limited"}`}
	// Short backoffs alone refuse a 1s hint...
	srv := newTestServer(t, limited, jsonReply(200, julyMgmtJSON))
	_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 1, srv.count())
	// ...and WithMaxRetryAfter lets the client wait for it.
	srv = newTestServer(t, limited, jsonReply(200, julyMgmtJSON))
	start := time.Now()
	_, err = newJulyClient(t, srv.BaseURL(), WithMaxRetryAfter(2*time.Second)).Keys.Get(context.Background(), julyMgmtID)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.count())
	assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "the hint was waited for")

	_, err = NewClient(WithAPIKey(julyKey), WithMaxRetryAfter(-time.Second))
	requireValidationError(t, err, "WithMaxRetryAfter")
}
