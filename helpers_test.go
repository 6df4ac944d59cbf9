package aistats

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// testAPIKey follows the real key grammar (aistats_v1_sk_<kid>_<secret>), so
// Secret's redaction takes its "keep the prefix" branch.
const testAPIKey = "aistats_v1_sk_Q7xk2Pa9LmZt_Zq8XwV7uT6sR5pO4nM3lK2jI1hG0fE9dC8bA7y"

// Paths as the server sees them behind a "/v1" base URL.
const (
	testKeyID    = "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40"
	testKeysPath = "/v1/management/keys"
	testKeyPath  = testKeysPath + "/" + testKeyID
)

// reply is one scripted answer of a testServer.
type reply struct {
	Status int
	Header http.Header
	Body   string
	// Delay holds the answer back; it is cut short when the client gives up.
	Delay time.Duration
}

// jsonReply is the common case: a JSON body with its Content-Type.
func jsonReply(status int, body string) reply {
	return reply{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}

// seenRequest is what a testServer recorded about one request.
type seenRequest struct {
	Method string
	// Path is the path exactly as it was on the wire, still escaped
	// ("/v1/management/keys/a%20b").
	Path     string
	RawQuery string
	Query    url.Values
	Header   http.Header
	Body     []byte
}

// testServer records every request and answers from a script: the n-th
// request gets the n-th reply and the last reply repeats, so a one-reply
// script means "always answer this".
type testServer struct {
	*httptest.Server

	mu     sync.Mutex
	script []reply
	seen   []seenRequest
}

func newTestServer(t *testing.T, script ...reply) *testServer {
	t.Helper()
	if len(script) == 0 {
		script = []reply{jsonReply(http.StatusTeapot, `{"error":"unscripted request"}`)}
	}
	s := &testServer{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// serve runs on the server's goroutines: it must not call t.FailNow.
func (s *testServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	s.mu.Lock()
	s.seen = append(s.seen, seenRequest{
		Method: r.Method, Path: path, RawQuery: rawQuery, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: body,
	})
	rep := s.script[min(len(s.seen), len(s.script))-1]
	s.mu.Unlock()

	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.Status)
	_, _ = io.WriteString(w, rep.Body)
}

// BaseURL is the server's URL with the API's "/v1" root.
func (s *testServer) BaseURL() string { return s.URL + "/v1" }

// requests returns a copy of what was recorded so far.
func (s *testServer) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

func (s *testServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// only returns the single recorded request, failing the test otherwise.
func (s *testServer) only(t *testing.T) seenRequest {
	t.Helper()
	reqs := s.requests()
	require.Len(t, reqs, 1, "want exactly one request")
	return reqs[0]
}

// methods lists the recorded methods in order.
func (s *testServer) methods() []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.Method)
	}
	return out
}

// newTestClient builds a client for baseURL with testAPIKey and retry waits
// of a millisecond or two; opts are applied after those and may override them.
func newTestClient(t *testing.T, baseURL string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{
		WithAPIKey(testAPIKey),
		WithBaseURL(baseURL),
		WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	return c
}

// errOnly drops a call's result, for tables of calls that only care about
// the error.
func errOnly[T any](_ T, err error) error { return err }

// requireValidationError asserts err is a *ValidationError for field that
// also matches ErrInvalidRequest.
func requireValidationError(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, field, ve.Field, "ValidationError.Field (error: %v)", err)
	require.ErrorIs(t, err, ErrInvalidRequest)
}

// 2026-07 answers as contract-2026-07.md §5.1 and §6.1 show them, pretty
// printed like the server's.
const (
	julyKey      = "phaseo_v1_mk_Hk29sdQ3xLmZ_8cV2nR7tY1pK4wB6hJ9fD3sA5gE0uI2oL7qX4zCm"
	julyMgmtID   = "3f6c2a9e-8b1d-4c7e-9a2f-5d4e3c2b1a09"
	julyAPIKeyID = "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21"
	julyHash     = "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f"
	julyWS       = "5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c"
	julySecret   = "phaseo_v1_sk_Q7xk2Pa9LmZt_Xy3kP9qR2sT5vW8zB1cD4fG7hJ0kM3nP6rS9uV2w"
	julyNewMK    = "phaseo_v1_mk_Zz81abQ3xLmZ_0cV2nR7tY1pK4wB6hJ9fD3sA5gE0uI2oL7qX4zCm"

	julyMgmtObject = `{
    "id": "` + julyMgmtID + `",
    "workspace_id": "` + julyWS + `",
    "name": "Terraform",
    "prefix": "Hk29sd",
    "status": "active",
    "scopes": ["keys:read", "keys:write", "keys:delete"],
    "created_by": null,
    "created_at": "2026-08-20T10:11:12.345678+00:00",
    "updated_at": "2026-08-20T10:11:12.345678+00:00",
    "last_used_at": null,
    "expires_at": "2027-01-01T00:00:00+00:00",
    "soft_blocked": false,
    "daily_limit_requests": 1000,
    "weekly_limit_requests": null,
    "monthly_limit_requests": null,
    "daily_limit_cost_nanos": 5000000000,
    "weekly_limit_cost_nanos": null,
    "monthly_limit_cost_nanos": null`
	julyMgmtJSON    = `{"data": ` + julyMgmtObject + "\n  }\n}"
	julyMgmtCreated = `{"data": ` + julyMgmtObject + `,
    "key": "` + julyNewMK + `"
  }
}`
	julyMgmtList = `{"data": [` + julyMgmtObject + "\n  }\n]}"

	julyAPIKeyObject = `{
    "id": "` + julyAPIKeyID + `",
    "hash": "` + julyHash + `",
    "workspace_id": "` + julyWS + `",
    "name": "CI pipeline",
    "label": "CI pipeline",
    "prefix": "Q7xk2P",
    "status": "active",
    "disabled": false,
    "soft_blocked": false,
    "include_byok_in_limit": false,
    "limit": 25,
    "limit_reset": "monthly",
    "created_by": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "creator_user_id": "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "created_at": "2026-08-20T10:11:12.345678+00:00",
    "updated_at": null,
    "last_used_at": null,
    "expires_at": null`
	julyAPIKeyJSON    = `{"data": ` + julyAPIKeyObject + "\n  }\n}"
	julyAPIKeyCreated = `{"data": ` + julyAPIKeyObject + `,
    "key": "` + julySecret + `"
  }
}`
	julyAPIKeyList = `{"data": [` + julyAPIKeyObject + "\n  }\n], \"total_count\": 7}"
	julyRotated    = `{"data": ` + julyAPIKeyObject + `,
    "key": "` + julySecret + `"
  },
  "previous_key_expires_at": "2026-09-01T00:00:00.000Z"
}`
)

// julyMgmtKey is what julyMgmtJSON decodes to.
func julyMgmtKey() *Key {
	return &Key{
		ID: julyMgmtID, WorkspaceID: julyWS, TeamID: julyWS, Name: "Terraform", Prefix: "Hk29sd",
		Status: KeyStatusActive, Scopes: Scopes{"keys:read", "keys:write", "keys:delete"},
		CreatedAt: time.Date(2026, 8, 20, 10, 11, 12, 345678e3, time.UTC),
		UpdatedAt: Ptr(time.Date(2026, 8, 20, 10, 11, 12, 345678e3, time.UTC)),
		ExpiresAt: Ptr(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)),
		Limits:    Limits{Daily: WindowLimit{Requests: Ptr[int64](1000), CostNanos: Ptr[int64](5e9)}},
	}
}

// julyAPIKey is what julyAPIKeyJSON decodes to.
func julyAPIKey() *APIKey {
	return &APIKey{
		ID: julyAPIKeyID, Hash: julyHash, WorkspaceID: julyWS, Name: "CI pipeline", Prefix: "Q7xk2P",
		Status: KeyStatusActive, Limit: Ptr(25.0), LimitReset: LimitResetMonthly,
		CreatedBy: "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		CreatedAt: time.Date(2026, 8, 20, 10, 11, 12, 345678e3, time.UTC),
	}
}

// newJulyClient is newTestClient speaking 2026-07 with a management key.
func newJulyClient(t *testing.T, baseURL string, opts ...Option) *Client {
	return newTestClient(t, baseURL, append([]Option{WithAPIKey(julyKey)}, opts...)...)
}

func nan() float64 { z := 0.0; return z / z }

// hostileClientKeys are the client keys the corpus runs with: a Phaseo
// key (also masked by its shape) and a key in another format whose
// characters have several escaped spellings.
var hostileClientKeys = []string{julyKey, otherFormatKey}

// Someone else's keys, which a server may leak into any text.
const (
	hostileOtherSK      = "phaseo_v1_sk_Zb7Qe2Rt9Ykm_Mn4Bv7Cx1Zl8Kj5Hg2Fd9Sa6Pq3Wo0Ei7Ru4Ty1"
	hostileOtherMK      = "phaseo_v1_mk_Pp3Oo8Ii2Uu7_Qw1Er4Ty7Ui0Op3As6Df9Gh2Jk5Lz8Xc1Vb4Nm7"
	hostileOtherAIStats = "aistats_v1_sk_Ll0Kk9Jj8Hh7_Gg6Ff5Dd4Ss3Aa2Qq1Ww0Ee9Rr8Tt7Yy6Uu5I"
)

// hostileCorpus is the corpus expanded for one client key.
type hostileCorpus struct {
	entries []string
	// needles must not appear in anything a client shows.
	needles []string
	// shaped are the needles that look like a credential, so that even a
	// value printed away from any client (String()) must not show them.
	shaped []string
}

// hostileStrings reads the corpus and expands it for the client key key.
func hostileStrings(tb testing.TB, key string) *hostileCorpus {
	tb.Helper()
	f, err := os.Open("testdata/hostile_strings.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	vars, hc := map[string]string{"{HUGE}": strings.Repeat("A long line of text. ", 70<<10/21)}, &hostileCorpus{entries: []string{""}}
	secretOf := func(k string) string { // the part after the key id of an AI Stats or Phaseo key
		if parts := strings.SplitN(k, "_", 5); len(parts) == 5 && redactKeys(k) != k {
			return parts[4][:12]
		}
		return ""
	}
	for name, k := range map[string]string{"KEY": key, "OTHER_SK": hostileOtherSK} {
		sp := spellings(k)
		for form, v := range sp {
			vars["{"+name+form+"}"] = v
		}
		shaped := secretOf(k) != ""
		for form, v := range sp {
			if form == "_12" || (form == "_16" && shaped) { // public: the redacted form shows as much
				continue
			}
			hc.needles = append(hc.needles, v)
			if shaped && form != "_16" && form != "_24" { // a key id alone is public
				hc.shaped = append(hc.shaped, v)
			}
		}
	}
	vars["{OTHER_SK_CUT}"] = hostileOtherSK[:strings.LastIndex(hostileOtherSK, secretOf(hostileOtherSK))+12]
	vars["{OTHER_MK}"], vars["{OTHER_AISTATS}"] = hostileOtherMK, hostileOtherAIStats
	for _, k := range []string{key, hostileOtherSK, hostileOtherMK, hostileOtherAIStats} {
		if s := secretOf(k); s != "" {
			hc.needles, hc.shaped = append(hc.needles, s), append(hc.shaped, s)
		}
	}
	hc.needles = append(hc.needles, hostileOtherMK, hostileOtherAIStats, vars["{OTHER_SK_CUT}"])
	hc.shaped = append(hc.shaped, hostileOtherMK, hostileOtherAIStats, vars["{OTHER_SK_CUT}"])

	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := strconv.Unquote(`"` + line + `"`)
		if err != nil {
			tb.Fatalf("testdata/hostile_strings.txt:%d: %v", n, err)
		}
		for name, v := range vars {
			s = strings.ReplaceAll(s, name, v)
		}
		if i := strings.Index(s, "{KEY"); i >= 0 || strings.Contains(s, "{OTHER") {
			tb.Fatalf("testdata/hostile_strings.txt:%d: unknown placeholder in %.40q", n, s)
		}
		hc.entries = append(hc.entries, s)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return hc
}

// spellings are the ways a server may echo the secret k, by placeholder
// suffix ("" is k as sent).
func spellings(k string) map[string]string {
	j, _ := json.Marshal(k)
	q := strconv.Quote(k)
	var jsonU, pct, shy, tag strings.Builder
	for i, r := range k {
		if i%3 == 0 {
			fmt.Fprintf(&jsonU, `\u%04x`, r)
		} else {
			jsonU.WriteRune(r)
		}
		if i > 0 && i%4 == 0 {
			shy.WriteRune('\u00ad')
		}
		if i > 0 && i%5 == 0 {
			tag.WriteRune('\U000E0020')
		}
		shy.WriteRune(r)
		tag.WriteRune(r)
	}
	for i := 0; i < len(k); i++ {
		fmt.Fprintf(&pct, "%%%02x", k[i])
	}
	return map[string]string{
		"":       k,
		"_JSON":  string(j[1 : len(j)-1]),
		"_JSONU": jsonU.String(),
		"_QUOTE": q[1 : len(q)-1],
		"_URL":   url.QueryEscape(k),
		"_PATH":  url.PathEscape(k),
		"_PCT":   pct.String(),
		"_HTML":  "&#" + strconv.Itoa(int(k[0])) + ";" + html.EscapeString(k[1:]),
		"_16":    k[:16],
		"_24":    k[:24],
		"_12":    k[:12],
		"_SHY":   shy.String(),
		"_TAG":   tag.String(),
	}
}

// check fails if s shows a needle (only the credential-shaped ones when
// shapedOnly) or, for a line, a Cc or Cf rune or invalid UTF-8.
func (hc *hostileCorpus) check(t *testing.T, where, s string, line, shapedOnly bool) {
	t.Helper()
	needles := hc.needles
	if shapedOnly {
		needles = hc.shaped
	}
	for _, n := range needles {
		if strings.Contains(s, n) {
			t.Errorf("%s shows %.30q…: %.200q", where, n, s)
		}
	}
	if !line {
		return
	}
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %.200q", where, s)
	}
	for _, r := range s {
		if r < utf8.RuneSelf && r >= 0x20 && r != 0x7f {
			continue // the common case, fast: the corpus has megabytes of text
		}
		if unicode.In(r, unicode.Cc, unicode.Cf) || (r >= 0xe0000 && r <= 0xe007f) || r == 0x2028 || r == 0x2029 {
			t.Errorf("%s holds %U: %.200q", where, r, s)
			return
		}
	}
}

// checkErr checks every rendering of err, caused by the entry e, and of
// the error types in it. (The renderings that only quote Error() again are
// skipped for a huge entry: Error() is capped, and %#v of a 64 KiB Body is
// slow under -race.)
func (hc *hostileCorpus) checkErr(t *testing.T, err error, e string) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	hc.check(t, "Error()", err.Error(), true, false)
	for _, verb := range []string{"%v", "%+v", "%s"} {
		hc.check(t, verb, fmt.Sprintf(verb, err), true, false)
	}
	for _, verb := range []string{"%q", "%#v", "%x"} {
		if len(e) <= 4<<10 {
			hc.check(t, verb, fmt.Sprintf(verb, err), false, false)
		}
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		hc.check(t, "APIError.Error()", apiErr.Error(), true, false)
		hc.check(t, "Code", apiErr.Code, true, false)
		hc.check(t, "Message", apiErr.Message, true, false)
		hc.check(t, "RequestID", apiErr.RequestID, true, false)
		hc.check(t, "Body", string(apiErr.Body), false, false)
		for k, vs := range apiErr.Header {
			for _, v := range vs {
				hc.check(t, "Header "+k, v, false, false)
			}
		}
	}
	var de *DecodeError
	if errors.As(err, &de) {
		hc.check(t, "DecodeError.Error()", de.Error(), true, false)
		hc.check(t, "Snippet", string(de.Snippet), false, false)
		hc.check(t, "DecodeError.Err", de.Err.Error(), true, false)
	}
	var te *TransportError
	if errors.As(err, &te) {
		hc.check(t, "TransportError.Err", te.Err.Error(), true, false)
	}
}

// withHostileCorpus runs a test once per client key, with the corpus
// expanded for it.
func withHostileCorpus(t *testing.T, run func(key string, hc *hostileCorpus)) {
	for _, key := range hostileClientKeys {
		run(key, hostileStrings(t, key))
	}
}

// checkLogs checks the records logged since the last check, each a line.
func (hc *hostileCorpus) checkLogs(t *testing.T, logs *logCapture) {
	t.Helper()
	for _, l := range logs.take() {
		hc.check(t, "log", l, true, false)
	}
}

// logCapture keeps the text of every log record: message and attributes.
type logCapture struct {
	mu    sync.Mutex
	lines []string
}

func (l *logCapture) Enabled(context.Context, slog.Level) bool { return true }

func (l *logCapture) WithAttrs([]slog.Attr) slog.Handler { return l }

func (l *logCapture) WithGroup(string) slog.Handler { return l }

func (l *logCapture) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		l.lines = append(l.lines, a.Key+"="+a.Value.Resolve().String())
		return true
	})
	return nil
}

func (l *logCapture) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	return out
}

// hostileServer answers every request with the reply stored last.
type hostileServer struct {
	*testServer
	cur atomic.Pointer[reply]
}

func newHostileServer(t *testing.T) *hostileServer {
	h := &hostileServer{testServer: newTestServer(t)}
	h.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rep := h.cur.Load()
		for k, v := range rep.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(rep.Status)
		_, _ = w.Write([]byte(rep.Body))
	})
	return h
}

// jsonString is s as a JSON string (invalid UTF-8 becomes U+FFFD).
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// headerSafe: net/http refuses to send a value with a line break or NUL.
func headerSafe(s string) bool { return fuzzValidHeaderValue(s) }

// hostileHeader carries e where a server may put it.
func hostileHeader(e, contentType string) http.Header {
	h := http.Header{"Content-Type": {contentType}}
	if headerSafe(e) {
		h["X-Request-Id"], h["X-Debug"], h["Location"] = []string{e}, []string{e}, []string{"https://x.example/?q=" + e}
	}
	return h
}

// hostileSeeds is the hostile corpus, expanded for both test client keys,
// without its huge entries (a fuzz seed is kept small).
func hostileSeeds(tb testing.TB) []string {
	var out []string
	for _, key := range hostileClientKeys {
		for _, s := range hostileStrings(tb, key).entries {
			if len(s) <= 4<<10 {
				out = append(out, s)
			}
		}
	}
	return out
}

// Seeds are the shapes of contract.md (Gen A first, then Gen B and the
// failure bodies). `go test` runs them as ordinary tests; `bash .ci/fuzz`
// mutates them.
var fuzzKeyObjects = []string{
	// Gen A list item
	`{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"CI pipeline key","prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null}`,
	`{"id":"0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5","name":"legacy","prefix":"mT3zQa","status":"disabled","scopes":"read,write","created_at":"2026-02-20T09:00:00+00:00","last_used_at":null}`,
	// Gen A detail
	`{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","team_id":"5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c","name":"CI pipeline key","prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_by":"3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null,"soft_blocked":false}`,
	// Gen A create (with the one-time plaintext)
	`{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"CI pipeline key","prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","key":"aistats_v1_sk_Q7xk2Pa9LmZt_Xb8RkT2mQ9vLw4NzC7yHd1Fp6JsGe3Ua5OiKc0Vt"}`,
	// Gen B management key
	`{"id":"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f","workspace_id":"5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c","name":"Terraform","prefix":"Hk29sd","status":"paused","scopes":["keys:read","keys:write"],"created_by":null,"created_at":"2026-07-20T10:11:12.345+00:00","updated_at":"2026-07-20T10:11:12.345+00:00","last_used_at":"2026-07-21 08:00:00+00","expires_at":null,"soft_blocked":true,"daily_limit_requests":null}`,
	`{"id":"x","created_at":"2026-03-10T14:02:11Z","last_used_at":"","scopes":null,"key":"phaseo_v1_mk_Hk29sdQwErTy_a1B2a1B2a1B2a1B2a1B2"}`,
	`{}`,
}

// fuzzValidHeaderValue mirrors what net/http lets through in a response
// header value: no control bytes other than tab.
func fuzzValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func newRTClient(t *testing.T, rt http.RoundTripper, extra ...Option) *Client {
	t.Helper()
	opts := append([]Option{WithAPIKey(testAPIKey), WithBaseURL("http://127.0.0.1:1/v1"),
		WithHTTPClient(&http.Client{Transport: rt}), WithRetryWait(time.Millisecond, 2*time.Millisecond)}, extra...)
	c, err := NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func getKey(ctx context.Context, k *KeysService) error { return errOnly(k.Get(ctx, testKeyID)) }

// inUTC puts a key's timestamps in UTC so keys compare by instant: "+00:00"
// parses into Local or a fixed zone, "Z" into UTC.
func inUTC(k *Key) *Key {
	if k == nil {
		return nil
	}
	out := *k
	out.CreatedAt = out.CreatedAt.UTC()
	for _, t := range []**time.Time{&out.LastUsedAt, &out.UpdatedAt, &out.ExpiresAt} {
		if *t != nil {
			*t = Ptr((*t).UTC())
		}
	}
	return &out
}

// secretOf is a mint's secret, or its error.
func secretOf[T any](k *T, err error, secret func() Secret) (Secret, error) {
	if err != nil || k == nil {
		return Secret{}, err
	}
	return secret(), nil
}

// sentAuthorization returns the Authorization header of one List call made
// by a client built from opts against a fresh server.
func sentAuthorization(t *testing.T, opts ...Option) string {
	t.Helper()
	srv := newTestServer(t, jsonReply(200, emptyListJSON))
	c, err := NewClient(append(opts, WithBaseURL(srv.BaseURL()), WithAPIVersion(APIVersionMarch2026))...)
	require.NoError(t, err)
	_, err = c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	return srv.only(t).Header.Get("Authorization")
}

func assertOnePrintableLine(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if unsafeRune(r) || r == '\n' || r == '\r' || r == '\u0085' {
			t.Errorf("error text holds %U: %q", r, s)
		}
	}
}

// otherFormatKey is a client key in a non-AI-Stats format with the characters
// that have several escaped spellings.
const otherFormatKey = `sk-live-Ab3/dE+f"Gh9JkLmNoPqRsTuVwXyZ0123456789`

func otherFormatClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	return newTestClient(t, base, append([]Option{WithAPIKey(otherFormatKey), WithAPIVersion(APIVersionJuly2026)}, opts...)...)
}

// leakCheck fails for every rendering of err that holds needle.
func leakCheck(t *testing.T, what string, err error, needle string) {
	t.Helper()
	renders := map[string]string{"Error()": err.Error()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		renders[verb] = fmt.Sprintf(verb, err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		renders["Code"], renders["Message"], renders["RequestID"] = apiErr.Code, apiErr.Message, apiErr.RequestID
		renders["Body"] = string(apiErr.Body)
		renders["Header"] = fmt.Sprint(apiErr.Header)
	}
	var de *DecodeError
	if errors.As(err, &de) {
		renders["Snippet"] = string(de.Snippet)
		renders["DecodeError.Err"] = de.Err.Error()
	}
	for where, s := range renders {
		if strings.Contains(s, needle) {
			t.Errorf("%s: %s holds %q", what, where, needle)
		}
	}
}
