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
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
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

// 2026-07: the client's management key, a wrong one, and the canned
// answers of contract-2026-07.md §5–§6 and §9.2 (compact).
const (
	secJulyKey      = "phaseo_v1_mk_Ab12Cd34Ef56_mW3pZr8TqY2vK6nB1xD9cF4hJ7sL0aG5eU8iO2wR"
	secJulyWrongKey = "phaseo_v1_mk_Wr0ngK3yAbCd_Zq1Wx2Ec3Rv4Tb5Yn6Um7Ik8Ol9Pa0Sd1Fg2Hj3K"
	secMgmtPath     = "/v1/management-keys"
	secAPIKeysPath  = "/v1/keys"
	secHash         = "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f"

	secJulyMgmtFields = `"id":"` + leakMgmtKeyID + `","workspace_id":"` + leakWorkspaceID + `","name":"Terraform","prefix":"Q7xk2P",` +
		`"status":"active","scopes":["keys:read"],"created_by":null,"created_at":"2026-08-20T10:11:12.345678+00:00",` +
		`"updated_at":null,"last_used_at":null,"expires_at":null,"soft_blocked":false`
	// secJulyAPIRest is an API key object after its id.
	secJulyAPIRest = `"hash":"` + secHash + `","workspace_id":"` + leakWorkspaceID + `",` +
		`"name":"CI pipeline","prefix":"Q7xk2P","status":"active","disabled":false,"soft_blocked":false,"limit":25,` +
		`"limit_reset":"monthly","created_by":"3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","created_at":"2026-08-20T10:11:12.345678+00:00",` +
		`"updated_at":null,"last_used_at":null,"expires_at":null`
	secJulyMgmtObj     = `{` + secJulyMgmtFields + `}`
	secJulyAPIObj      = `{"id":"` + leakAPIKeyID + `",` + secJulyAPIRest + `}`
	secJulyMgmtCreated = `{"data":{` + secJulyMgmtFields + `,"key":"` + leakMgmtPlain + `"}}`
	secJulyAPICreated  = `{"data":{"id":"` + leakAPIKeyID + `",` + secJulyAPIRest + `,"key":"` + leakAPIPlain + `"}}`
	secJulyRotated     = `{"data":{"id":"` + leakRotatedID + `",` + secJulyAPIRest + `,"key":"` + leakRotPlain + `"},` +
		`"previous_key_expires_at":"2026-09-01T00:00:00.000Z"}`
)

// secJulyCanned answers every 2026-07 call with the contract's success body.
func secJulyCanned(w http.ResponseWriter, r *http.Request) {
	p, m := r.URL.Path, r.Method
	switch {
	case p == secMgmtPath && m == http.MethodGet:
		secReply(w, http.StatusOK, `{"data":[`+secJulyMgmtObj+`]}`)
	case p == secMgmtPath && m == http.MethodPost:
		secReply(w, http.StatusCreated, secJulyMgmtCreated)
	case strings.HasPrefix(p, secMgmtPath+"/") && (m == http.MethodGet || m == http.MethodPatch):
		secReply(w, http.StatusOK, `{"data":`+secJulyMgmtObj+`}`)
	case p == secAPIKeysPath && m == http.MethodGet:
		secReply(w, http.StatusOK, `{"data":[`+secJulyAPIObj+`],"total_count":1}`)
	case p == secAPIKeysPath && m == http.MethodPost:
		secReply(w, http.StatusCreated, secJulyAPICreated)
	case strings.HasPrefix(p, secAPIKeysPath+"/") && strings.HasSuffix(p, "/rotate") && m == http.MethodPost:
		secReply(w, http.StatusOK, secJulyRotated)
	case strings.HasPrefix(p, secAPIKeysPath+"/") && (m == http.MethodGet || m == http.MethodPatch):
		secReply(w, http.StatusOK, `{"data":`+secJulyAPIObj+`}`)
	case (strings.HasPrefix(p, secMgmtPath+"/") || strings.HasPrefix(p, secAPIKeysPath+"/")) && m == http.MethodDelete:
		secReply(w, http.StatusOK, `{"deleted":true}`)
	default:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 Not Found"))
	}
}

// secJulyClient talks 2026-07 to srvURL+"/v1" with secJulyKey.
func secJulyClient(t *testing.T, srvURL string, opts ...aistats.Option) *aistats.Client {
	t.Helper()
	return secClient(t, srvURL, append([]aistats.Option{aistats.WithAPIKey(secJulyKey), aistats.WithAPIVersion(july)}, opts...)...)
}

// secCall is one SDK call against a canned server, by name.
type secCall struct {
	name string
	run  func(ctx context.Context, c *aistats.Client) error
}

// secMints are the calls whose answers carry a one-time plaintext, with
// the client of their version.
var secMints = []struct {
	secCall
	client func(t *testing.T, srvURL string, opts ...aistats.Option) *aistats.Client
	plain  string
	status int    // the success status
	body   string // the success body, holding plain
}{
	{secCall{"2026-03/Keys.Create", func(ctx context.Context, c *aistats.Client) error {
		return errOnlySec(c.Keys.Create(ctx, createKeyParams(march, "k")))
	}}, secClient, leakKeyPlain, http.StatusCreated, secCreatedBody},
	{secCall{"2026-07/Keys.Create", func(ctx context.Context, c *aistats.Client) error {
		return errOnlySec(c.Keys.Create(ctx, createKeyParams(july, "k")))
	}}, secJulyClient, leakMgmtPlain, http.StatusCreated, secJulyMgmtCreated},
	{secCall{"2026-07/APIKeys.Create", func(ctx context.Context, c *aistats.Client) error {
		return errOnlySec(c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "k"}))
	}}, secJulyClient, leakAPIPlain, http.StatusCreated, secJulyAPICreated},
	{secCall{"2026-07/APIKeys.Rotate", func(ctx context.Context, c *aistats.Client) error {
		return errOnlySec(c.APIKeys.Rotate(ctx, leakAPIKeyID, nil))
	}}, secJulyClient, leakRotPlain, http.StatusOK, secJulyRotated},
}

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
			"List":                   errOnlySec(c.Keys.List(ctx, nil)),
			"Create":                 errOnlySec(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})),
			"Delete":                 c.Keys.Delete(ctx, secKeyID),
			"2026-07 Keys.Create":    errOnlySec(jc.Keys.Create(ctx, createKeyParams(july, "k"))),
			"2026-07 APIKeys.List":   errOnlySec(jc.APIKeys.List(ctx, nil)),
			"2026-07 APIKeys.Create": errOnlySec(jc.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "k"})),
			"2026-07 APIKeys.Rotate": errOnlySec(jc.APIKeys.Rotate(ctx, leakAPIKeyID, nil)),
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

func errOnlySec[T any](_ T, err error) error { return err }

// (5) Ids that would change the path are refused before any I/O.
func TestKeyIDsThatEscapeThePathAreRefused(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1); secCanned(w, r) })
	c, jc := secClient(t, srv.URL), secJulyClient(t, srv.URL)
	ctx := context.Background()
	for _, id := range []string{"", ".", "..", "a/b", `a\b`, "../../admin", `..\..`, "/", secKeyID + "/x", secHash + "/rotate"} {
		errs := map[string]error{
			"Get":                    errOnlySec(c.Keys.Get(ctx, id)),
			"Update":                 errOnlySec(c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")})),
			"Delete":                 c.Keys.Delete(ctx, id),
			"2026-07 Keys.Get":       errOnlySec(jc.Keys.Get(ctx, id)),
			"2026-07 Keys.Update":    errOnlySec(jc.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")})),
			"2026-07 Keys.Delete":    jc.Keys.Delete(ctx, id),
			"2026-07 APIKeys.Get":    errOnlySec(jc.APIKeys.Get(ctx, id)),
			"2026-07 APIKeys.Update": errOnlySec(jc.APIKeys.Update(ctx, id, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("n")})),
			"2026-07 APIKeys.Delete": jc.APIKeys.Delete(ctx, id),
			"2026-07 APIKeys.Rotate": errOnlySec(jc.APIKeys.Rotate(ctx, id, nil)),
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

// (5) On 2026-07, /v1/keys/{id} looks a key up by dashed UUID or by its
// 64-hex hash; anything else never leaves the client, and valid ids are
// exactly one path segment (before /rotate).
func TestAPIKeyIDIsEscapedIntoOneSegment(t *testing.T) {
	t.Parallel()
	got := make(chan string, 8)
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.EscapedPath() + "?" + r.URL.RawQuery
		secJulyCanned(w, r)
	})
	c := secJulyClient(t, srv.URL)
	ctx := context.Background()
	calls := func(id string) map[string]func() error {
		return map[string]func() error{
			"Get":    func() error { return errOnlySec(c.APIKeys.Get(ctx, id)) },
			"Delete": func() error { return c.APIKeys.Delete(ctx, id) },
			"Update": func() error {
				return errOnlySec(c.APIKeys.Update(ctx, id, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("n")}))
			},
			"Rotate": func() error { return errOnlySec(c.APIKeys.Rotate(ctx, id, nil)) },
		}
	}
	for _, id := range []string{"a?b=c", "a#frag", "%2e%2e", "a b", "ключ", "{" + leakAPIKeyID + "}",
		strings.ReplaceAll(leakAPIKeyID, "-", ""), leakAPIKeyID + "/x", secHash[:63], secHash + "0", secHash[:62] + "zz",
		secHash + "?x=1", secHash + "/rotate", strings.ToUpper(secHash), "deleted:" + secHash} {
		for op, call := range calls(id) {
			var ve *aistats.ValidationError
			if assert.ErrorAs(t, call(), &ve, "%s(%q)", op, id) {
				assert.Equal(t, "id", ve.Field)
			}
		}
	}
	require.Empty(t, got, "no request for an invalid id")
	for _, id := range []string{leakAPIKeyID, strings.ToUpper(leakAPIKeyID), secHash, "deleted:" + leakAPIKeyID} {
		for op, call := range calls(id) {
			require.NoError(t, call(), "%s(%q)", op, id)
			want := secAPIKeysPath + "/" + id + "?"
			if op == "Rotate" {
				want = secAPIKeysPath + "/" + id + "/rotate?"
			}
			assert.Equal(t, want, <-got, "%s(%q)", op, id)
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
			c, jc := secClient(t, srv.URL), secJulyClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for op, call := range map[string]func() error{
				"List":                   func() error { return errOnlySec(c.Keys.List(ctx, nil)) },
				"Create":                 func() error { return errOnlySec(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})) },
				"2026-07 APIKeys.Rotate": func() error { return errOnlySec(jc.APIKeys.Rotate(ctx, leakAPIKeyID, nil)) },
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
		// 2026-07
		{"Keys.List07", "application/json", `{"ok":true,"keys":[]}`, 200},
		{"Keys.List07", "application/json", `{"data":{"id":"x"}}`, 200},
		{"Keys.Get07", "application/json", `{"data":[]}`, 200},
		{"Keys.Create07", "application/json", `{"data":{"id":"x"}}`, 201},
		{"APIKeys.List", "application/json", `{"data":[{"id":"x","created_at":"yesterday"}],"total_count":1}`, 200},
		{"APIKeys.List", "application/json", `{"data":null,"total_count":0}`, 200},
		{"APIKeys.List", "text/html", html, 200},
		{"APIKeys.Get", "application/json", `{"data":"abc"}`, 200},
		{"APIKeys.Get", "application/json", ``, 204},
		{"APIKeys.Update", "application/json", `{"data":{"limit":"lots"}}`, 200},
		{"APIKeys.Create", "application/json", `{"message":"created"}`, 201},
		{"APIKeys.Create", "text/html", html, 201},
		{"APIKeys.Rotate", "application/json", `{"data":{"id":"x"},"previous_key_expires_at":"soon"}`, 200},
		{"APIKeys.Rotate", "text/html", html, 200},
	}
	for _, tt := range tests {
		srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tt.ctype)
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(tt.body))
		})
		c, jc := secClient(t, srv.URL), secJulyClient(t, srv.URL)
		ctx := context.Background()
		var err error
		mint := false
		switch tt.op {
		case "Keys.List07":
			err = errOnlySec(jc.Keys.List(ctx, nil))
		case "Keys.Get07":
			err = errOnlySec(jc.Keys.Get(ctx, secKeyID))
		case "Keys.Create07":
			err, mint = errOnlySec(jc.Keys.Create(ctx, createKeyParams(july, "k"))), true
		case "APIKeys.List":
			err = errOnlySec(jc.APIKeys.List(ctx, nil))
		case "APIKeys.Get":
			err = errOnlySec(jc.APIKeys.Get(ctx, leakAPIKeyID))
		case "APIKeys.Update":
			err = errOnlySec(jc.APIKeys.Update(ctx, leakAPIKeyID, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("n")}))
		case "APIKeys.Create":
			err, mint = errOnlySec(jc.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "k"})), true
		case "APIKeys.Rotate":
			err, mint = errOnlySec(jc.APIKeys.Rotate(ctx, leakAPIKeyID, nil)), true
		case "List":
			err = errOnlySec(c.Keys.List(ctx, nil))
		case "Get":
			err = errOnlySec(c.Keys.Get(ctx, secKeyID))
		case "Create":
			err, mint = errOnlySec(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})), true
		case "Update":
			err = errOnlySec(c.Keys.Update(ctx, secKeyID, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")}))
		}
		var de *aistats.DecodeError
		if !assert.ErrorAs(t, err, &de, "%s %d %.30q", tt.op, tt.status, tt.body) {
			continue
		}
		assert.Equal(t, tt.status, de.StatusCode)
		assert.NotEmpty(t, de.Method)
		assert.True(t, strings.HasPrefix(de.Path, "/v1/"), de.Path)
		if mint {
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
	for _, m := range secMints {
		badTime := strings.Replace(m.body, `"2026-`, `"not a time`, 1)
		bodies := map[string]string{
			"bad created_at": badTime,
			"truncated JSON": m.body[:strings.Index(m.body, m.plain)+len(m.plain)] + `","id":`,
			"key first, truncated": strings.Replace(m.body, `"id":`, `"key":"`+m.plain+`","id":`, 1)[:strings.Index(m.body, `"id":`)+
				len(`"key":"`+m.plain+`","id":`)],
		}
		// Pad the name so that a 512-byte snippet would end 12 bytes into the secret tail.
		name := regexp.MustCompile(`"name":"[^"]*"`).FindString(badTime)
		keyAt := strings.Index(badTime, m.plain)
		tailAt := keyAt + len(m.plain) - len(secretTail(m.plain))
		if pad := 500 - tailAt + len(name) - len(`"name":""`); pad > 0 && strings.Index(badTime, name) < keyAt {
			bodies["snippet ends mid-tail"] = strings.Replace(badTime, name, `"name":"`+strings.Repeat("n", pad)+`"`, 1)
		}
		for name, body := range bodies {
			srv := secServer(t, func(w http.ResponseWriter, r *http.Request) { secReply(w, m.status, body) })
			err := m.run(context.Background(), m.client(t, srv.URL))
			var de *aistats.DecodeError
			if assert.ErrorAs(t, err, &de, "%s %s", m.name, name) {
				assert.Equal(t, m.status, de.StatusCode)
				assertNoLeak(t, m.name+" "+name, err.Error()+fmt.Sprintf("|%v|%+v|%#v|%q|", err, err, err, err)+string(de.Snippet), m.plain)
			}
		}
	}
}

// (7) A proxy that echoes the request's Authorization header into its error
// body and a response header must not get the key into the error text,
// APIError's fields or its Header.
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
	// The client's credential in every format a server might echo: the
	// masking works on the exact value, not only on known key shapes.
	clients := []struct {
		name, key string
		version   aistats.APIVersion
		get       func(ctx context.Context, c *aistats.Client) error
	}{
		{"2026-03", secAPIKey, march, func(ctx context.Context, c *aistats.Client) error { return errOnlySec(c.Keys.Get(ctx, secKeyID)) }},
		{"2026-07 management key", secJulyKey, july, func(ctx context.Context, c *aistats.Client) error {
			return errOnlySec(c.APIKeys.Get(ctx, leakAPIKeyID))
		}},
		{"2026-07 JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln", july,
			func(ctx context.Context, c *aistats.Client) error { return errOnlySec(c.Keys.Get(ctx, leakMgmtKeyID)) }},
		{"2026-07 sk-live", "sk-live-Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed", july, func(ctx context.Context, c *aistats.Client) error {
			return errOnlySec(c.APIKeys.Rotate(ctx, leakAPIKeyID, nil))
		}},
	}
	for _, cl := range clients {
		for _, tt := range tests {
			srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.Header().Set("X-Debug-Authorization", r.Header.Get("Authorization")) // a debugging proxy
				w.WriteHeader(tt.status)
				_, _ = fmt.Fprintf(w, tt.body, r.Header.Get("Authorization"))
			})
			c := secClient(t, srv.URL, aistats.WithAPIKey(cl.key), aistats.WithAPIVersion(cl.version), aistats.WithMaxRetries(0))
			err := cl.get(context.Background(), c)
			var apiErr *aistats.APIError
			if assert.ErrorAs(t, err, &apiErr, "%s %s", cl.name, tt.body) {
				assert.Equal(t, tt.status, apiErr.StatusCode)
				assert.Contains(t, string(apiErr.Body), aistats.NewSecret(cl.key).Redacted(), "Body keeps what the server sent, the key masked")
				assertNoLeak(t, cl.name+" "+tt.body, err.Error()+"|"+fmt.Sprint(err)+fmt.Sprintf("|%+v|%#v|%q|", err, err, err)+string(apiErr.Body)+
					apiErr.Code+apiErr.Message+apiErr.RequestID+fmt.Sprint(apiErr.Header), cl.key)
			}
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
	attempts, retries, retried503 := checkAttemptLog(t, logs, secKeysPath+"/"+secKeyID)
	assert.True(t, retried503, "the first Get attempt (503) was logged")
	assert.GreaterOrEqual(t, retries, 5, "List, Get, Update, Delete and the 404 Get were retried once each")
	assert.GreaterOrEqual(t, attempts, 14)
}

// publicForm is how a phaseo_v1_ or aistats_v1_ plaintext must be shown:
// its namespace and the first 6 characters of its key id.
func publicForm(plain string) string {
	parts := strings.SplitN(plain, "_", 5)
	return strings.Join(parts[:3], "_") + "_" + parts[3][:6] + "…"
}

// (7) The whole 2026-07 cycle on the fake, both services, with retries,
// failures and debug logging: no credential (the client's management key,
// a wrong one, every phaseo_v1_mk_/sk_ plaintext minted) reaches the log,
// any error text, or any rendering of the results, which show the
// redacted form.
func TestSecretsNeverReachLogsOrErrorsJuly(t *testing.T) {
	t.Parallel()
	srv := newFake(t, july)
	const partialPlain = "phaseo_v1_sk_PaRt1aLkEyId_Pq8RkT2mQ9vLw4NzC7yHd1Fp6JsGe3Ua5OiKc0Vt"
	named := func(name string) func(aistatstest.Request) bool {
		return func(r aistatstest.Request) bool { return r.Method == http.MethodPost && r.Body["name"] == name }
	}
	// The first POST /v1/keys is rate limited (a mint is retried after a 429).
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Method: http.MethodPost, Path: "/keys", Status: 429,
		Header: http.Header{"Retry-After": {"0"}}, Body: `{"error":"rate_limited","message":"slow down"}`})
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Times: -1, Match: named("boom"), Status: 500,
		Header: jsonCT, Body: `{"error":"internal_error","message":"duplicate key value violates unique constraint"}`})
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Times: -1, Match: named("partial"), Status: 201, Header: jsonCT,
		Body: `{"data":{"id":"` + leakAPIKeyID + `","name":"partial","key":"` + partialPlain + `","created_at":"not a time"}}`})
	// Every other first request of a method and path is a 503, then retried.
	var mu sync.Mutex
	seen := map[string]bool{}
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Times: -1, Status: 503, Header: jsonCT,
		Body: `{"error":"service_unavailable","message":"KEY_PEPPER is not configured"}`,
		Match: func(r aistatstest.Request) bool {
			mu.Lock()
			defer mu.Unlock()
			op := r.Method + " " + r.Path
			first := !seen[op]
			seen[op] = true
			return first && r.Method != http.MethodPost
		}})
	var logBuf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := fakeClient(t, srv, aistats.WithLogger(logger))
	ctx := context.Background()

	var outputs []string
	record := func(v ...any) {
		for _, x := range v {
			outputs = append(outputs, fmt.Sprintf("%v|%+v|%#v|%s|%q", x, x, x, x, x))
			if b, err := json.Marshal(x); err == nil {
				outputs = append(outputs, string(b))
			}
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})).Debug("result", "v", x)
			outputs = append(outputs, buf.String())
		}
	}
	mk, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "terraform", Template: aistats.KeyTemplateReadWrite})
	require.NoError(t, err)
	ak, err := c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "CI pipeline", Limit: aistats.Ptr(25.0)})
	require.NoError(t, err)
	rot, err := c.APIKeys.Rotate(ctx, ak.ID, &aistats.RotateAPIKeyParams{PreviousKeyExpiresAt: aistats.Ptr(time.Now().Add(time.Hour))})
	require.NoError(t, err)
	plains := []string{mk.Secret.Reveal(), ak.Secret.Reveal(), rot.Secret.Reveal()}
	for i, p := range plains {
		require.True(t, strings.HasPrefix(p, []string{"phaseo_v1_mk_", "phaseo_v1_sk_", "phaseo_v1_sk_"}[i]), "plaintext %d went through the SDK", i)
	}
	mpage, err := c.Keys.List(ctx, &aistats.ListKeysOptions{Limit: 10})
	require.NoError(t, err)
	apage, err := c.APIKeys.List(ctx, &aistats.ListAPIKeysOptions{IncludeDisabled: true, WorkspaceID: srv.WorkspaceID})
	require.NoError(t, err)
	mgot, err := c.Keys.Get(ctx, mk.ID)
	require.NoError(t, err)
	agot, err := c.APIKeys.Get(ctx, rot.Hash)
	require.NoError(t, err)
	mupd, err := c.Keys.Update(ctx, mk.ID, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusPaused)})
	require.NoError(t, err)
	aupd, err := c.APIKeys.Update(ctx, ak.ID, &aistats.UpdateAPIKeyParams{Disabled: aistats.Ptr(true)})
	require.NoError(t, err)
	require.NoError(t, c.Keys.Delete(ctx, mk.ID))
	require.NoError(t, c.APIKeys.Delete(ctx, ak.ID))
	var mall []*aistats.Key
	for k, err := range c.Keys.All(ctx, nil) {
		require.NoError(t, err)
		mall = append(mall, k)
	}
	var aall []*aistats.APIKey
	for k, err := range c.APIKeys.All(ctx, &aistats.ListAPIKeysOptions{IncludeDisabled: true}) {
		require.NoError(t, err)
		aall = append(aall, k)
	}
	require.Len(t, aall, 2, "the deleted key's tombstone and its rotation")
	record(mk, *mk, ak, *ak, rot, *rot, mpage, apage, mgot, agot, mupd, aupd, mall, aall)

	wrong, err := aistats.NewClient(aistats.WithAPIKey(secJulyWrongKey), aistats.WithBaseURL(srv.URL), aistats.WithLogger(logger))
	require.NoError(t, err)
	slow := fakeClient(t, srv, aistats.WithLogger(logger), aistats.WithTimeout(50*time.Millisecond), aistats.WithMaxRetries(1))
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Slow, Times: -1, Delay: 5 * time.Second, Path: "/keys/" + secSlowID})
	partial, partialErr := c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "partial"})
	require.NotNil(t, partial, "the key and its secret come back with the decode error")
	require.Equal(t, partialPlain, partial.Secret.Reveal())
	record(partial, *partial)
	failures := []struct {
		err  error
		want error
	}{
		{errOnlySec(wrong.APIKeys.List(ctx, nil)), aistats.ErrUnauthorized},
		{errOnlySec(wrong.Keys.Create(ctx, createKeyParams(july, "k"))), aistats.ErrUnauthorized},
		{errOnlySec(c.APIKeys.Get(ctx, "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5")), aistats.ErrNotFound},
		{errOnlySec(c.Keys.Get(ctx, mk.ID)), aistats.ErrNotFound},
		{errOnlySec(c.APIKeys.Rotate(ctx, ak.ID, nil)), aistats.ErrNotFound},
		{errOnlySec(c.Keys.Create(ctx, createKeyParams(july, "boom"))), aistats.ErrUnknownOutcome},
		{errOnlySec(c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "boom"})), aistats.ErrUnknownOutcome},
		{partialErr, aistats.ErrInvalidRequest},
		{errOnlySec(slow.APIKeys.Get(ctx, secSlowID)), context.DeadlineExceeded},
	}
	for i, f := range failures {
		require.Error(t, f.err, "failure %d", i)
		if f.want == aistats.ErrInvalidRequest { // the partial mint: a *DecodeError that says the key exists
			var de *aistats.DecodeError
			require.ErrorAs(t, f.err, &de, "failure %d", i)
			assert.True(t, de.KeyCreated)
		} else {
			assert.ErrorIs(t, f.err, f.want, "failure %d: %v", i, f.err)
		}
		record(f.err, errors.Unwrap(f.err))
	}

	logs := logBuf.String()
	out := strings.Join(outputs, "\n")
	assertNoLeak(t, "logs and error texts", logs+"\n"+out, append(plains, srv.ManagementKey, secJulyWrongKey, partialPlain)...)
	assert.NotContains(t, logs, srv.WorkspaceID, "query values are not logged")
	for _, p := range append(plains, partialPlain) {
		assert.Contains(t, out, publicForm(p), "the redacted form is what was printed")
	}
	assert.Contains(t, out, publicForm(plains[1])[:len("phaseo_v1_sk_")], "an API key shows as phaseo_v1_sk_…")

	attempts, retries, retried503 := checkAttemptLog(t, logs, "/v1/keys/"+rot.Hash)
	assert.True(t, retried503, "the first Get by hash (503) was logged")
	assert.GreaterOrEqual(t, retries, 10, "every first read, update and delete, and the rate-limited create, were retried")
	assert.GreaterOrEqual(t, attempts, 30)
}

// checkAttemptLog reads a JSON debug log of the client: every attempt
// record has method, path, attempt, duration (and status unless it
// failed), every retry a warning. It counts both and reports whether the
// first attempt of a GET of getPath was logged with its 503.
func checkAttemptLog(t *testing.T, logs, getPath string) (attempts, retries int, retried503 bool) {
	t.Helper()
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
			if rec["method"] == "GET" && rec["path"] == getPath && rec["status"] == 503.0 && rec["attempt"] == 1.0 {
				retried503 = true
			}
		case "aistats: retrying":
			retries++
			for _, k := range []string{"method", "path", "attempt"} {
				assert.Contains(t, rec, k, line)
			}
		}
	}
	return attempts, retries, retried503
}

// hammer runs call(w, i) opsEach times in each of workers goroutines at
// once and reports every error.
func hammer(t *testing.T, workers, opsEach int, call func(w, i int) error) {
	t.Helper()
	errs := make(chan error, workers*opsEach)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range opsEach {
				if err := call(w, i); err != nil {
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
	hammer(t, workers, opsEach, func(w, i int) error {
		op := ops[(w+i)%len(ops)]
		expected.Add(op.requests)
		return op.run()
	})
	assert.Equal(t, expected.Load(), served.Load(), "one request per call, no retries")
}

// (8) One 2026-07 Client shared by 64 goroutines running every call of both
// services against the fake (run with -race): each succeeds with one
// request, and the fake ends with exactly the keys the calls made.
func TestConcurrentClientUseJuly(t *testing.T) {
	t.Parallel()
	const workers, opsEach = 64, 8
	srv := newFake(t, july)
	mgmt := srv.AddKey(aistatstest.KeySpec{Name: "shared", Scopes: `["keys:read"]`})
	shared := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "shared"})
	doomed := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "doomed"})
	c := fakeClient(t, srv)
	ctx := context.Background()
	var expected, minted atomic.Int64
	firstPage := func(seq func(func(int, error) bool)) error {
		for n, err := range seq {
			if err != nil {
				return err
			}
			if n == 0 {
				return errors.New("empty first page")
			}
			break // one page: one request
		}
		return nil
	}
	ops := []struct {
		requests, mints int64
		run             func() error
	}{
		{1, 0, func() error { return errOnlySec(c.Keys.List(ctx, nil)) }},
		{1, 0, func() error { return errOnlySec(c.Keys.Get(ctx, mgmt.ID)) }},
		{1, 0, func() error {
			return errOnlySec(c.Keys.Update(ctx, mgmt.ID, &aistats.UpdateKeyParams{Name: aistats.Ptr("renamed")}))
		}},
		{2, 0, func() error { // create, then delete it again
			ck, err := c.Keys.Create(ctx, createKeyParams(july, "temp"))
			if err != nil {
				return err
			}
			if !strings.HasPrefix(ck.Secret.Reveal(), "phaseo_v1_mk_") {
				return errors.New("no management-key plaintext")
			}
			return c.Keys.Delete(ctx, ck.ID)
		}},
		{1, 0, func() error {
			return firstPage(mapSeq(c.Keys.Pages(ctx, &aistats.ListKeysOptions{Limit: 2}), func(p *aistats.KeyPage) int { return len(p.Keys) }))
		}},
		{1, 0, func() error { return errOnlySec(c.APIKeys.List(ctx, &aistats.ListAPIKeysOptions{Limit: 5})) }},
		{1, 0, func() error { return errOnlySec(c.APIKeys.Get(ctx, shared.ID)) }},
		{1, 0, func() error {
			return errOnlySec(c.APIKeys.Update(ctx, shared.ID, &aistats.UpdateAPIKeyParams{Limit: aistats.Ptr(5.0), LimitReset: aistats.Ptr(aistats.LimitResetDaily)}))
		}},
		{1, 0, func() error { return c.APIKeys.Delete(ctx, doomed.ID) }}, // a tombstone: every repeat succeeds
		{1, 1, func() error {
			ck, err := c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "worker"})
			if err == nil && !strings.HasPrefix(ck.Secret.Reveal(), "phaseo_v1_sk_") {
				err = errors.New("no API-key plaintext")
			}
			return err
		}},
		{1, 1, func() error {
			rk, err := c.APIKeys.Rotate(ctx, shared.ID, nil)
			if err == nil && (rk.ID == shared.ID || rk.Secret.IsZero()) {
				err = errors.New("rotation returned the old key or no secret")
			}
			return err
		}},
		{1, 0, func() error {
			return firstPage(mapSeq(c.APIKeys.Pages(ctx, &aistats.ListAPIKeysOptions{Limit: 3}), func(p *aistats.APIKeyPage) int { return len(p.Keys) }))
		}},
	}
	before := srv.RequestCount()
	hammer(t, workers, opsEach, func(w, i int) error {
		op := ops[(w+i)%len(ops)]
		expected.Add(op.requests)
		minted.Add(op.mints)
		return op.run()
	})
	assert.Equal(t, expected.Load(), int64(srv.RequestCount()-before), "one request per call, no retries")
	assert.Len(t, srv.APIKeys(), 2+int(minted.Load()), "every Create and Rotate made exactly one key")
	assert.Len(t, srv.Keys(), 2, "the credential and the shared key: every temporary key was deleted")
	k, _ := srv.APIKeyByID(doomed.ID)
	assert.Equal(t, aistats.KeyStatusDeleted, k.Status)
}
