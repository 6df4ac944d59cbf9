package aistats_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		{"2026-03", secAPIKey, march, func(ctx context.Context, c *aistats.Client) error { return errOnly(c.Keys.Get(ctx, secKeyID)) }},
		{"2026-07 management key", secJulyKey, july, func(ctx context.Context, c *aistats.Client) error {
			return errOnly(c.APIKeys.Get(ctx, leakAPIKeyID))
		}},
		{"2026-07 JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln", july,
			func(ctx context.Context, c *aistats.Client) error { return errOnly(c.Keys.Get(ctx, leakMgmtKeyID)) }},
		{"2026-07 sk-live", "sk-live-Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed", july, func(ctx context.Context, c *aistats.Client) error {
			return errOnly(c.APIKeys.Rotate(ctx, leakAPIKeyID, nil))
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
		{errOnly(wrong.Keys.List(ctx, nil)), aistats.ErrUnauthorized},
		{errOnly(c.Keys.Get(ctx, "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5")), aistats.ErrNotFound},
		{errOnly(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "boom"})), aistats.ErrUnknownOutcome},
		{errOnly(slow.Keys.Get(ctx, secSlowID)), context.DeadlineExceeded},
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
		{errOnly(wrong.APIKeys.List(ctx, nil)), aistats.ErrUnauthorized},
		{errOnly(wrong.Keys.Create(ctx, createKeyParams(july, "k"))), aistats.ErrUnauthorized},
		{errOnly(c.APIKeys.Get(ctx, "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5")), aistats.ErrNotFound},
		{errOnly(c.Keys.Get(ctx, mk.ID)), aistats.ErrNotFound},
		{errOnly(c.APIKeys.Rotate(ctx, ak.ID, nil)), aistats.ErrNotFound},
		{errOnly(c.Keys.Create(ctx, createKeyParams(july, "boom"))), aistats.ErrUnknownOutcome},
		{errOnly(c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "boom"})), aistats.ErrUnknownOutcome},
		{partialErr, aistats.ErrInvalidRequest},
		{errOnly(slow.APIKeys.Get(ctx, secSlowID)), context.DeadlineExceeded},
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
