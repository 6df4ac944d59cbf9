package aistats_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The client's own credential and a second, wrong one. Both are shaped like
// real keys so that the redacted form keeps a public part.
const (
	secAPIKey   = "aistats_v1_sk_Ab12Cd34Ef56_mW3pZr8TqY2vK6nB1xD9cF4hJ7sL0aG5eU8iO2wR"
	secWrongKey = "aistats_v1_sk_Wr0ngK3yAbCd_Zq1Wx2Ec3Rv4Tb5Yn6Um7Ik8Ol9Pa0Sd1Fg2Hj3K"
	secKeyID    = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40"
	secSlowID   = "5105c0de-0000-4000-8000-000000000000"
	secKeysPath = "/v1/management/keys"
)

// Gen A bodies from contract.md §2.
const (
	secListBody = `{"ok":true,"limit":50,"offset":0,"total":1,"keys":[{"id":"` + secKeyID + `","name":"CI pipeline key",` +
		`"prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null}]}`
	secKeyBody = `{"ok":true,"key":{"id":"` + secKeyID + `","team_id":"5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c","name":"CI pipeline key",` +
		`"prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_by":"3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",` +
		`"created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null,"soft_blocked":false}}`
	secCreatedBody = `{"ok":true,"key":{"id":"` + secKeyID + `","name":"CI pipeline key","prefix":"Q7xk2P","status":"active",` +
		`"scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","key":"` + leakKeyPlain + `"}}`
	secUpdatedBody = `{"ok":true,"message":"Key updated successfully"}`
	secDeletedBody = `{"ok":true,"message":"Key \"CI pipeline key\" deleted successfully"}`
)

func secServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// secClient talks to srvURL+"/v1" with millisecond retry waits.
func secClient(t *testing.T, srvURL string, opts ...aistats.Option) *aistats.Client {
	t.Helper()
	base := []aistats.Option{
		aistats.WithAPIKey(secAPIKey),
		aistats.WithBaseURL(srvURL + "/v1"),
		aistats.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}
	c, err := aistats.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func secReply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// secCanned answers every operation with the contract's success body.
func secCanned(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == secKeysPath && r.Method == http.MethodGet:
		secReply(w, http.StatusOK, secListBody)
	case r.URL.Path == secKeysPath && r.Method == http.MethodPost:
		secReply(w, http.StatusCreated, secCreatedBody)
	case strings.HasPrefix(r.URL.Path, secKeysPath+"/") && r.Method == http.MethodGet:
		secReply(w, http.StatusOK, secKeyBody)
	case strings.HasPrefix(r.URL.Path, secKeysPath+"/") && r.Method == http.MethodPatch:
		secReply(w, http.StatusOK, secUpdatedBody)
	case strings.HasPrefix(r.URL.Path, secKeysPath+"/") && r.Method == http.MethodDelete:
		secReply(w, http.StatusOK, secDeletedBody)
	default:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 Not Found"))
	}
}

// (1) Printing the client or its options never shows the API key.
func TestClientFormattingHidesAPIKey(t *testing.T) {
	t.Parallel()
	c := secClient(t, "https://api.example.com")
	subjects := map[string]any{
		"*Client":      c,
		"Client":       *c,
		"*KeysService": c.Keys,
		"in a struct":  struct{ C *aistats.Client }{c},
		"option":       aistats.WithAPIKey(secAPIKey),
		"options":      []aistats.Option{aistats.WithAPIKey(secAPIKey), aistats.WithBaseURL("https://x.example")},
	}
	for name, v := range subjects {
		for _, verb := range fmtVerbs {
			assertNoLeak(t, name+" "+verb, fmt.Sprintf(verb, v), secAPIKey)
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "v", v)
		assertNoLeak(t, name+" slog", buf.String(), secAPIKey)
	}
	assert.Equal(t, `aistats.Client{baseURL: "https://api.example.com/v1", apiKey: aistats_v1_sk_Ab12Cd…}`, c.String())
	assert.Equal(t, c.String(), fmt.Sprintf("%#v", c))
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
		c := secClient(t, srv.URL)
		ctx := context.Background()
		calls := map[string]error{
			"List":   errOnlySec(c.Keys.List(ctx, nil)),
			"Create": errOnlySec(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})),
			"Delete": c.Keys.Delete(ctx, secKeyID),
		}
		for op, err := range calls {
			var apiErr *aistats.APIError
			if assert.ErrorAs(t, err, &apiErr, "%d %s", code, op) {
				assert.Equal(t, code, apiErr.StatusCode, op)
				assert.Equal(t, 1, apiErr.Attempts, "%d %s: a redirect is not retried", code, op)
				assertNoLeak(t, op, err.Error(), secAPIKey)
			}
		}
		assert.Equal(t, int64(len(calls)), hits.Load(), "%d: one request per call", code)
	}
	assert.Zero(t, elsewhere.Load(), "the redirect target was never contacted")
}

func errOnlySec[T any](_ T, err error) error { return err }

// (5) Ids that would change the path are refused before any I/O.
func TestKeyIDsThatEscapeThePathAreRefused(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1); secCanned(w, r) })
	c := secClient(t, srv.URL)
	ctx := context.Background()
	for _, id := range []string{"", ".", "..", "a/b", `a\b`, "../../admin", `..\..`, "/", secKeyID + "/x"} {
		errs := map[string]error{
			"Get":    errOnlySec(c.Keys.Get(ctx, id)),
			"Update": errOnlySec(c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")})),
			"Delete": c.Keys.Delete(ctx, id),
		}
		for op, err := range errs {
			var ve *aistats.ValidationError
			if assert.ErrorAs(t, err, &ve, "%s(%q)", op, id) {
				assert.Equal(t, "id", ve.Field)
			}
			assert.ErrorIs(t, err, aistats.ErrInvalidRequest)
		}
	}
	assert.Zero(t, hits.Load(), "no request was sent")
}

// (5) Ids that are not UUIDs never reach the server (it would answer them
// with a 500 that retries cannot fix); every spelling of a UUID that
// Postgres reads is escaped into exactly one path segment.
func TestKeyIDIsEscapedIntoOneSegment(t *testing.T) {
	t.Parallel()
	type seen struct{ escaped, path, query string }
	got := make(chan seen, 8)
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.URL.EscapedPath(), r.URL.Path, r.URL.RawQuery}
		secCanned(w, r)
	})
	c := secClient(t, srv.URL)
	calls := func(id string) map[string]func() error {
		return map[string]func() error{
			"Get":    func() error { return errOnlySec(c.Keys.Get(context.Background(), id)) },
			"Delete": func() error { return c.Keys.Delete(context.Background(), id) },
			"Update": func() error {
				return errOnlySec(c.Keys.Update(context.Background(), id, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")}))
			},
		}
	}
	for _, id := range []string{"a?b=c", "a#frag", "100%", "%2e%2e", "a%2Fb", "a b", "ключ", "🔑", "a;b", "a+b&c", "..a", "a..", "?", "#",
		secKeyID + "/x", secKeyID + "?x=1", "{" + secKeyID, secKeyID[:35]} {
		for op, call := range calls(id) {
			err := call()
			var ve *aistats.ValidationError
			if assert.ErrorAs(t, err, &ve, "%s(%q)", op, id) {
				assert.Equal(t, "id", ve.Field)
			}
		}
	}
	require.Empty(t, got, "no request for an invalid id")
	for _, id := range []string{secKeyID, strings.ToUpper(secKeyID), "{" + secKeyID + "}", strings.ReplaceAll(secKeyID, "-", ""), "9b2f-6c1e-4a7d-4f0e-9c3b-2d8e-1a5f-7c40"} {
		for op, call := range calls(id) {
			require.NoError(t, call(), "%s(%q)", op, id)
			s := <-got
			seg, ok := strings.CutPrefix(s.escaped, secKeysPath+"/")
			require.True(t, ok, "%s(%q): escaped path %q", op, id, s.escaped)
			assert.NotContains(t, seg, "/", "%s(%q): one segment", op, id)
			unescaped, err := url.PathUnescape(seg)
			assert.NoError(t, err)
			assert.Equal(t, id, unescaped, "%s(%q): escaped path %q", op, id, s.escaped)
			assert.Equal(t, secKeysPath+"/"+id, s.path, op)
			assert.Empty(t, s.query, "%s(%q): nothing leaked into the query", op, id)
			if op == "Update" {
				<-got // the 2026-03 read-back GET
			}
		}
	}
}

// (6) A 2xx body over 10 MiB is refused while reading, with or without a
// Content-Length, and the call returns promptly.
func TestOversizedResponseIsRefused(t *testing.T) {
	t.Parallel()
	const size = 11 << 20
	for _, chunked := range []bool{false, true} {
		t.Run("chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int64
			written := make(chan int, 4)
			srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				limit := 256 << 20 // a chunked stream runs until the client hangs up
				if !chunked {
					limit = size
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusOK)
				chunk := append([]byte(`{"ok":true,"keys":[`), bytes.Repeat([]byte(" "), 32<<10)...)
				n := 0
				for n < limit {
					k, err := w.Write(chunk[:min(len(chunk), limit-n)])
					n += k
					if err != nil {
						break
					}
					if chunked {
						w.(http.Flusher).Flush()
					}
					chunk = chunk[:32<<10]
				}
				written <- n
			})
			c := secClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for op, call := range map[string]func() error{
				"List":   func() error { return errOnlySec(c.Keys.List(ctx, nil)) },
				"Create": func() error { return errOnlySec(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})) },
			} {
				before := hits.Load()
				err := call()
				require.ErrorIs(t, err, aistats.ErrResponseTooLarge, op)
				assert.NotErrorIs(t, err, context.DeadlineExceeded, op)
				assert.Equal(t, before+1, hits.Load(), "%s: an oversized body is not retried", op)
				if chunked {
					select {
					case n := <-written:
						assert.Less(t, n, 256<<20, "%s: the client hung up instead of reading the stream", op)
					case <-time.After(10 * time.Second):
						t.Errorf("%s: the server is still streaming 10s after the call returned", op)
					}
				}
			}
		})
	}
}

// (6) A 2xx answer the SDK cannot decode is a *DecodeError with the status
// and the first bytes of the body; nothing panics.
func TestUndecodable2xxIsDecodeError(t *testing.T) {
	t.Parallel()
	html := `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>` + strings.Repeat("<p>cloudflare</p>", 100) + `</body></html>`
	tests := []struct {
		op, ctype, body string
		status          int
	}{
		{"List", "application/json", `{"ok":true,"keys":[`, 200},
		{"List", "application/json", `{"ok":true,"items":[]}`, 200},
		{"List", "application/json", `[]`, 200},
		{"List", "application/json", `{"ok":true,"keys":{"id":"x"}}`, 200},
		{"List", "application/json", `{"ok":true,"keys":[{"id":"x","created_at":"yesterday"}]}`, 200},
		{"List", "text/html", html, 200},
		{"List", "application/json", ``, 200},
		{"Get", "application/json", `{"ok":true}`, 200},
		{"Get", "application/json", `{"ok":true,"key":"abc"}`, 200},
		{"Get", "application/json", `{"ok":true,"key":{"scopes":42}}`, 200},
		{"Get", "text/plain", `OK`, 200},
		{"Get", "text/html", html, 203},
		{"Get", "application/json", ``, 204},
		{"Create", "application/json", `{"ok":true,"message":"created"}`, 201},
		{"Create", "application/json", `{"ok":true,"key":[1,2]}`, 201},
		{"Create", "text/html", html, 200},
		{"Update", "application/json", `{"ok":true,"key":{"created_at":12}}`, 200},
		{"Update", "text/html", html, 200},
	}
	for _, tt := range tests {
		srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tt.ctype)
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(tt.body))
		})
		c := secClient(t, srv.URL)
		ctx := context.Background()
		var err error
		switch tt.op {
		case "List":
			err = errOnlySec(c.Keys.List(ctx, nil))
		case "Get":
			err = errOnlySec(c.Keys.Get(ctx, secKeyID))
		case "Create":
			err = errOnlySec(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"}))
		case "Update":
			err = errOnlySec(c.Keys.Update(ctx, secKeyID, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")}))
		}
		var de *aistats.DecodeError
		if !assert.ErrorAs(t, err, &de, "%s %d %.30q", tt.op, tt.status, tt.body) {
			continue
		}
		assert.Equal(t, tt.status, de.StatusCode)
		assert.NotEmpty(t, de.Method)
		assert.True(t, strings.HasPrefix(de.Path, secKeysPath), de.Path)
		if tt.op == "Create" {
			// An answer that may carry a new secret keeps only its shape.
			assert.NotContains(t, string(de.Snippet), "cloudflare", "Create snippets hold no server text")
		} else {
			assert.Equal(t, tt.body[:min(len(tt.body), 512)], string(de.Snippet), "the first bytes are kept")
		}
		assert.NotErrorIs(t, err, aistats.ErrServer, "a 2xx is not a server error")
	}
}

// (6) A malformed Create answer still carries the one-time plaintext; the
// DecodeError must not put it into its message, even cut off mid-key.
func TestCreateDecodeErrorHidesPlaintext(t *testing.T) {
	t.Parallel()
	badTime := strings.Replace(secCreatedBody, `"2026-03-10T14:02:11.482+00:00"`, `"not a time"`, 1)
	keyAt := strings.Index(badTime, leakKeyPlain)
	// Pad the name so that the 512-byte snippet ends 12 bytes into the secret tail.
	padded := strings.Replace(badTime, `"CI pipeline key"`, `"`+strings.Repeat("n", 488-keyAt)+`"`, 1)
	bodies := map[string]string{
		"bad created_at":        badTime,
		"snippet ends mid-tail": padded,
		"truncated JSON":        `{"ok":true,"key":{"key":"` + leakKeyPlain + `","id":`,
	}
	for name, body := range bodies {
		srv := secServer(t, func(w http.ResponseWriter, r *http.Request) { secReply(w, http.StatusCreated, body) })
		_, err := secClient(t, srv.URL).Keys.Create(context.Background(), &aistats.CreateKeyParams{Name: "k"})
		var de *aistats.DecodeError
		if assert.ErrorAs(t, err, &de, name) {
			assert.Equal(t, http.StatusCreated, de.StatusCode)
			assertNoLeak(t, name, err.Error()+fmt.Sprintf("|%v|%+v", err, err), leakKeyPlain)
		}
	}
}

// (7) A proxy that echoes the request's Authorization header into its error
// body must not get the key into the error text.
func TestEchoedAPIKeyIsRedactedInErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status      int
		ctype, body string
	}{
		{401, "application/json", `{"error":"unauthorised","reason":"rejected header: %s"}`},
		{400, "application/json", `{"ok":false,"error":"validation_error","message":"bad token %s"}`},
		{403, "application/json", `{"ok":false,"error":"%s"}`},
		{404, "application/json", `{"error":{"code":"not_found","message":"no key for %s"}}`},
		{403, "text/plain", "Forbidden: %s\nsee logs"},
		{502, "text/html", "<html><head><title>Bad gateway (%s)</title></head></html>"},
	}
	for _, tt := range tests {
		srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tt.ctype)
			w.WriteHeader(tt.status)
			_, _ = fmt.Fprintf(w, tt.body, r.Header.Get("Authorization"))
		})
		_, err := secClient(t, srv.URL, aistats.WithMaxRetries(0)).Keys.Get(context.Background(), secKeyID)
		var apiErr *aistats.APIError
		if assert.ErrorAs(t, err, &apiErr, tt.body) {
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Contains(t, string(apiErr.Body), "aistats_v1_sk_Ab12Cd…", "Body keeps what the server sent, the key masked")
			assertNoLeak(t, tt.body, err.Error()+"|"+fmt.Sprint(err)+fmt.Sprintf("|%+v|%#v|", err, err)+string(apiErr.Body)+
				apiErr.Code+apiErr.Message+apiErr.RequestID+fmt.Sprint(apiErr.Header), secAPIKey)
		}
	}
}

// (7) A whole create/list/get/update/delete cycle with retries, failures and
// debug logging: no credential reaches the log or any error text.
func TestSecretsNeverReachLogsOrErrors(t *testing.T) {
	t.Parallel()
	const teamID = "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+secAPIKey {
			secReply(w, http.StatusUnauthorized, `{"error":"unauthorised","reason":"invalid_secret","request_id":"G-01HZX3K4M5N6P7Q8R9S0T1V2W3"}`)
			return
		}
		if r.URL.Path == secKeysPath+"/"+secSlowID {
			<-r.Context().Done()
			return
		}
		op := r.Method + " " + r.URL.Path
		mu.Lock()
		first := !seen[op]
		seen[op] = true
		mu.Unlock()
		if first && r.Method != http.MethodPost {
			secReply(w, http.StatusServiceUnavailable, `{"ok":false,"error":"server_misconfig_missing_pepper","message":"KEY_PEPPER is not configured"}`)
			return
		}
		var p aistats.CreateKeyParams
		switch {
		case r.Method == http.MethodPost && json.NewDecoder(r.Body).Decode(&p) == nil && p.Name == "boom":
			secReply(w, http.StatusInternalServerError, `{"ok":false,"error":"failed","message":"duplicate key value violates unique constraint"}`)
		case r.Method == http.MethodGet && r.URL.Path != secKeysPath && r.URL.Path != secKeysPath+"/"+secKeyID:
			secReply(w, http.StatusNotFound, `{"ok":false,"error":"Key not found"}`)
		default:
			secCanned(w, r)
		}
	})
	var logBuf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := secClient(t, srv.URL, aistats.WithLogger(logger))
	ctx := context.Background()

	var outputs []string
	record := func(v ...any) {
		for _, x := range v {
			outputs = append(outputs, fmt.Sprintf("%v|%+v|%#v", x, x, x))
			if b, err := json.Marshal(x); err == nil {
				outputs = append(outputs, string(b))
			}
		}
	}
	created, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "CI pipeline key", Scopes: aistats.Scopes{"read", "write"}})
	require.NoError(t, err)
	require.Equal(t, leakKeyPlain, created.Secret.Reveal(), "the plaintext went through the SDK")
	page, err := c.Keys.List(ctx, &aistats.ListKeysOptions{TeamID: teamID, Limit: 10})
	require.NoError(t, err)
	got, err := c.Keys.Get(ctx, created.ID)
	require.NoError(t, err)
	updated, err := c.Keys.Update(ctx, created.ID, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusDisabled)})
	require.NoError(t, err)
	require.NoError(t, c.Keys.Delete(ctx, created.ID))
	var all []*aistats.Key
	for k, err := range c.Keys.All(ctx, nil) {
		require.NoError(t, err)
		all = append(all, k)
	}
	record(created, *created, page, got, updated, all)

	wrong, err := aistats.NewClient(aistats.WithAPIKey(secWrongKey), aistats.WithBaseURL(srv.URL+"/v1"), aistats.WithLogger(logger))
	require.NoError(t, err)
	slow := secClient(t, srv.URL, aistats.WithLogger(logger), aistats.WithTimeout(50*time.Millisecond), aistats.WithMaxRetries(1))
	failures := []struct {
		err  error
		want error
	}{
		{errOnlySec(wrong.Keys.List(ctx, nil)), aistats.ErrUnauthorized},
		{errOnlySec(c.Keys.Get(ctx, "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5")), aistats.ErrNotFound},
		{errOnlySec(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "boom"})), aistats.ErrUnknownOutcome},
		{errOnlySec(slow.Keys.Get(ctx, secSlowID)), context.DeadlineExceeded},
	}
	for i, f := range failures {
		require.Error(t, f.err, "failure %d", i)
		assert.ErrorIs(t, f.err, f.want, "failure %d: %v", i, f.err)
		record(f.err, errors.Unwrap(f.err))
	}

	logs := logBuf.String()
	all2 := logs + "\n" + strings.Join(outputs, "\n")
	assertNoLeak(t, "logs and error texts", all2, secAPIKey, secWrongKey, leakKeyPlain)
	assert.NotContains(t, logs, teamID, "query values are not logged")
	assert.Contains(t, strings.Join(outputs, "\n"), leakKeyPublic, "the redacted form is what was printed")

	// The log is useful: one debug record per attempt with method, path,
	// status and attempt; a warning per retry.
	var attempts, retries int
	var retried503 bool
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		switch rec["msg"] {
		case "aistats: http attempt":
			attempts++
			assert.Equal(t, "DEBUG", rec["level"])
			for _, k := range []string{"method", "path", "attempt", "duration"} {
				assert.Contains(t, rec, k, line)
			}
			if _, failed := rec["error"]; !failed {
				assert.Contains(t, rec, "status", line)
			}
			if rec["method"] == "GET" && rec["path"] == secKeysPath+"/"+secKeyID && rec["status"] == 503.0 && rec["attempt"] == 1.0 {
				retried503 = true
			}
		case "aistats: retrying":
			retries++
			for _, k := range []string{"method", "path", "attempt"} {
				assert.Contains(t, rec, k, line)
			}
		}
	}
	assert.True(t, retried503, "the first Get attempt (503) was logged")
	assert.GreaterOrEqual(t, retries, 5, "List, Get, Update, Delete and the 404 Get were retried once each")
	assert.GreaterOrEqual(t, attempts, 14)
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// (8) One Client shared by 64 goroutines (run with -race).
func TestConcurrentClientUse(t *testing.T) {
	t.Parallel()
	const workers, opsEach = 64, 20
	var served, expected atomic.Int64
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) { served.Add(1); secCanned(w, r) })
	c := secClient(t, srv.URL)
	ctx := context.Background()
	ops := []struct {
		requests int64
		run      func() error
	}{
		{1, func() error { _, err := c.Keys.List(ctx, nil); return err }},
		{1, func() error { _, err := c.Keys.Get(ctx, secKeyID); return err }},
		{1, func() error {
			ck, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})
			if err == nil && ck.Secret.Reveal() != leakKeyPlain {
				err = errors.New("wrong plaintext")
			}
			return err
		}},
		{2, func() error { // PATCH, then the read-back GET
			_, err := c.Keys.Update(ctx, secKeyID, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")})
			return err
		}},
		{1, func() error { return c.Keys.Delete(ctx, secKeyID) }},
		{1, func() error {
			n := 0
			for _, err := range c.Keys.All(ctx, nil) {
				if err != nil {
					return err
				}
				n++
			}
			if n != 1 {
				return fmt.Errorf("All yielded %d keys, want 1", n)
			}
			return nil
		}},
	}
	errs := make(chan error, workers*opsEach)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range opsEach {
				op := ops[(w+i)%len(ops)]
				expected.Add(op.requests)
				if err := op.run(); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, expected.Load(), served.Load(), "one request per call, no retries")
}
